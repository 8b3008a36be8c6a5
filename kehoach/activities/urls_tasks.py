from django.urls import path

from kehoach.activities import views_tasks as views

app_name = "tasks"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("tat-ca/", views.all_tasks, name="all"),
    path("them/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/xong/", views.mark_done, name="done"),
    path("<int:pk>/mo-lai/", views.reopen, name="reopen"),
    path("<int:pk>/han/", views.set_due, name="set_due"),
    path("<int:pk>/giao-lai/", views.reassign, name="reassign"),
    path("<int:pk>/huy/", views.cancel, name="cancel"),
    path("ke-hoach/<int:plan_id>/", views.plan_block, name="plan_block"),
    path("ke-hoach/<int:plan_id>/giao-viec/", views.generate, name="generate"),
]
