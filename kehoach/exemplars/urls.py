from django.urls import path

from kehoach.exemplars import views

app_name = "exemplars"
urlpatterns = [
    path("", views.registry, name="registry"),
    path("de-cu/", views.nominate, name="nominate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/xac-minh/", views.verify, name="verify"),
    path("<int:pk>/tra-lai/", views.return_, name="return"),
    path("<int:pk>/khen-thuong/", views.commend, name="commend"),
    path("<int:pk>/nhan-rong/", views.promote, name="promote"),
    path("anh/<int:pk>/", views.photo, name="photo"),
    path("anh/<int:pk>/xoa/", views.remove_photo, name="remove_photo"),
]
