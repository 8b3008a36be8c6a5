from django.urls import path

from kehoach.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("them/", views.create, name="create"),
    path("nhap-excel/", views.import_units, name="import"),
    path("nhap-excel/mau.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/chuyen/", views.move, name="move"),
    path("<int:pk>/giai-the/", views.retire, name="retire"),
]
