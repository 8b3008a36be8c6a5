from django.urls import path

from kehoach.content import ical, views

app_name = "content"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("cho-duyet/", views.review_queue, name="review_queue"),
    path("them/", views.create, name="create"),
    path("lich/", views.calendar, name="calendar"),
    path("lich/<str:outlet>.ics", ical.channel_feed, name="ical"),
    path("chu-de-chua-co-bai/", views.gaps, name="gaps"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/tep/", views.add_media, name="add_media"),
    path("<int:pk>/<str:name>/", views.transition, name="transition"),
    path("tep/<int:pk>/", views.media_file, name="media"),
]
