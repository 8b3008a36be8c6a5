from django.urls import path

from kehoach.dashboard import infographic_views as views

app_name = "infographics"
urlpatterns = [
    path("chi-tieu/<int:pk>/", views.for_target, name="target"),
    path("ky/<int:pk>/", views.for_period, name="period"),
    path("<int:pk>/<str:size>.png", views.download, name="download"),
]
