from django.urls import path

from kehoach.reports import views, views_board

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/<int:plan_id>/", views.periods, name="periods"),
    path("ke-hoach/<int:plan_id>/mo-ky/", views.open_periods, name="open_periods"),
    path("ke-hoach/<int:plan_id>/them-ky/", views.period_add, name="period_add"),
    path("ke-hoach/<int:plan_id>/tien-do/", views_board.board, name="board"),
    path("ke-hoach/<int:plan_id>/tien-do/excel/", views_board.board_excel, name="board_excel"),
    path("ky/<int:period_id>/sua/", views.period_edit, name="period_edit"),
    path("ky/<int:period_id>/don-vi/", views.period_units, name="period_units"),
    path("don-vi/<int:report_id>/", views.unit_report, name="unit_report"),
    path("don-vi/<int:report_id>/chap-nhan/", views.accept, name="accept"),
    path("don-vi/<int:report_id>/tra-lai/", views.return_report, name="return"),
]
