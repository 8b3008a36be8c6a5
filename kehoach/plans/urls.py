from django.urls import path, re_path

from kehoach.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("nhap/", views.upload, name="upload"),
    path("nhap/<int:pk>/", views.review, name="review"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/ban-hanh/", views.issue, name="issue"),
    path("<int:pk>/ke-hoach-don-vi/", views.sub_plan, name="sub_plan"),
    path("<int:pk>/ban-goc/", views.original, name="original"),
    path("xuat/<int:pk>/", views.export_status, name="export_status"),
    path("noi-dung/<int:pk>/sua/", views.edit_topic, name="edit_topic"),
    path("nhiem-vu/<int:pk>/sua/", views.edit_duty, name="edit_duty"),
    re_path(r"^(?P<pk>\d+)/tai/(?P<fmt>docx|pdf)/$", views.export, name="export"),
]
