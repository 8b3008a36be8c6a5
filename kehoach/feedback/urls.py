from django.urls import path

from kehoach.feedback import views, views_imports

app_name = "feedback"
urlpatterns = [
    path("", views.concern_list, name="list"),
    path("ghi-nhan/", views.record, name="record"),
    path("nhap-excel/", views_imports.import_concerns, name="import"),
    path("nhap-excel/mau.xlsx", views_imports.import_template, name="import_template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    path("tep/<int:pk>/", views.attachment, name="attachment"),
    # Public pages: no sign-in.
    path("gui/<int:ward_id>/", views.public_form, name="public_form"),
    path("theo-doi/<str:token>/", views.follow, name="follow"),
]
