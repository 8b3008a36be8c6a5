from django.urls import path

from kehoach.content import public, social

app_name = "content_public"
urlpatterns = [
    path("", public.item_list, name="list"),
    # Signed-in: the copy-ready package for social pages, for people who may see the item.
    path("noi-dung/<int:pk>/goi-mang-xa-hoi.zip", social.package, name="social_package"),
    path("<slug:slug>/", public.item_detail, name="detail"),
    path("<slug:slug>/tep/<int:pk>/", public.media_file, name="media"),
]
