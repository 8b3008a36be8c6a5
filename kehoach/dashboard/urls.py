from django.urls import path

from kehoach.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("excel/", views.excel, name="excel"),
]
