from django.urls import path

from kehoach.feedback import digest_views

app_name = "opinion"
urlpatterns = [
    path("ky/<int:period_id>/", digest_views.ward, name="ward"),
    path("ky/<int:period_id>/excel/", digest_views.ward_excel, name="ward_excel"),
    path("ky/<int:period_id>/don-vi/<int:unit_id>/", digest_views.edit, name="edit"),
]
