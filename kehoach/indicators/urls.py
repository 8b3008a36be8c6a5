from django.urls import path

from kehoach.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("them/", views.create, name="create"),
    path("nhap-excel/", views.import_view, name="import"),
    path("xuat-excel/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/so-lieu/", views.measure, name="measure"),
]
