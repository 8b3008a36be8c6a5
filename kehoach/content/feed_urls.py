from django.urls import path

from kehoach.content.feeds import ChannelFeed

app_name = "content_feeds"
urlpatterns = [
    path("<str:outlet>.atom", ChannelFeed(), name="channel"),
]
