from django.urls import path

from kehoach.activities import views_coverage as views

app_name = "coverage"
urlpatterns = [
    path("ke-hoach/<int:plan_id>/", views.matrix, name="matrix"),
    path("ke-hoach/<int:plan_id>/excel/", views.excel, name="excel"),
]
