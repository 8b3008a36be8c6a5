from django.urls import path

from kehoach.indicators import views, views_imports

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("them/", views.create, name="create"),
    path("nhap-excel/", views.import_view, name="import"),
    path("xuat-excel/", views.export, name="export"),
    path("so-lieu/nhap-excel/", views_imports.import_measurements, name="import_figures"),
    path("so-lieu/nhap-excel/mau.xlsx", views_imports.import_template, name="figures_template"),
    path("so-lieu/xuat-excel/", views_imports.export_measurements, name="export_figures"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/so-lieu/", views.measure, name="measure"),
]
