from django.urls import path

from kehoach.transfer import views

app_name = "transfer"
urlpatterns = [
    path("", views.index, name="index"),
    path("xuat/<int:unit_pk>/", views.export, name="export"),
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/xoa-tep/", views.delete_file, name="delete_file"),
]
