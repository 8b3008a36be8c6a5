from django.urls import path, re_path

from kehoach.reports import summary_views as views

app_name = "summary"
urlpatterns = [
    path("ky/<int:period_id>/", views.compile_page, name="compile"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/duyet/", views.approve, name="approve"),
    re_path(r"^(?P<pk>\d+)/tai/(?P<fmt>docx|pdf|xlsx)/$", views.export, name="export"),
    path("xuat/<int:pk>/", views.export_status, name="export_status"),
]
