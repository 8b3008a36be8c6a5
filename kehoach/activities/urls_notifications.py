from django.urls import path

from kehoach.activities import views_notifications as views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/da-doc/", views.mark_read, name="read"),
    path("da-doc-het/", views.mark_all_read, name="read_all"),
]
