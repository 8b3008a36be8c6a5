"""The dashboard's CSV: every panel's figures in long form, with the page's filters."""

from __future__ import annotations

from django.urls import reverse

from kehoach.accounts.models import Role
from kehoach.activities.models import Activity
from kehoach.core.testing import client_for, make_user
from kehoach.core.tests.exports import count_queries, csv_table, download, vi
from kehoach.dashboard.tests.builders import overdue_tasks, saved_plan, spread

YEAR = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def test_the_csv_holds_the_same_figures_as_the_page(world) -> None:
    plan = saved_plan(world)
    spread(world, plan, 30)
    client = client_for(world.coordinator)
    response = download(client, reverse("dashboard:index"), "csv", plan=plan.pk, **YEAR)
    header, rows = csv_table(response)
    assert len(header) == 4
    by_channel = [r for r in rows if r[0] == vi("By channel")[0]]
    expected = Activity.objects.filter(
        plan=plan, unit__in=[world.cell1, world.cell2, world.committee]
    ).count()
    assert sum(int(r[3]) for r in by_channel) == expected
    assert {r[0] for r in rows} >= set(vi("Over time", "By topic", "Coverage"))
    assert world.other_cell.name not in {r[1] for r in rows}


def test_the_excel_keeps_a_sheet_a_panel(world) -> None:
    response = download(client_for(world.coordinator), reverse("dashboard:index"), "xlsx")
    assert response.content[:2] == b"PK"


def test_people_without_a_dashboard_role_get_no_file(world) -> None:
    officer = make_user("canbo", unit=world.cell1, role=Role.OFFICER)
    response = client_for(officer).get(reverse("dashboard:index"), {"xuat": "csv"})
    assert response.status_code == 403


def test_the_csv_costs_the_same_queries_however_many_activities(world) -> None:
    plan = saved_plan(world)
    spread(world, plan, 5, seed=5)
    client = client_for(world.coordinator)
    url = reverse("dashboard:index")

    def call():
        return download(client, url, "csv", plan=plan.pk, **YEAR)

    before = count_queries(call)
    spread(world, plan, 60, seed=6)
    overdue_tasks(world, plan)
    assert count_queries(call) == before
