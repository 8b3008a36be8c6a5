from django.urls import path

from kehoach.activities import views_activities as views
from kehoach.activities import views_imports

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("them/", views.create, name="create"),
    path("them/phan/", views.form_part, name="form_part"),
    path("lich/", views.calendar, name="calendar"),
    path("xuat-excel/", views.export, name="export"),
    path("nhap-excel/", views_imports.import_activities, name="import"),
    path("nhap-excel/mau.xlsx", views_imports.import_template, name="import_template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/xoa/", views.delete, name="delete"),
    path("<int:pk>/khoi-phuc/", views.restore, name="restore"),
    path("<int:pk>/mo-khoa/", views.unlock, name="unlock"),
    path("<int:pk>/them-bang-chung/", views.add_evidence, name="add_evidence"),
    path("bang-chung/<int:pk>/", views.evidence_file, name="evidence"),
    path("bang-chung/<int:pk>/xoa/", views.remove_evidence, name="remove_evidence"),
]
