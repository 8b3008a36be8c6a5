from django.urls import path

from kehoach.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("<int:ct>/<str:object_id>/", views.object_history, name="history"),
]
