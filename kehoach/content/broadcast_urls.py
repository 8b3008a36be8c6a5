from django.urls import path

from kehoach.content import broadcast_views as views

app_name = "broadcasts"

urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("tram/", views.station_add, name="station_add"),
    path("khung-gio/", views.slot_add, name="slot_add"),
    path("phat/", views.broadcast_add, name="broadcast_add"),
    path("phat/<int:pk>/xoa/", views.broadcast_remove, name="broadcast_remove"),
    path("ban-tin/<int:pk>/doc/", views.speak, name="speak"),
    path("ban-tin/<int:pk>/am-thanh.mp3", views.audio, name="audio"),
    path("<str:day>/danh-sach.<str:fmt>", views.playlist, name="playlist"),
]
