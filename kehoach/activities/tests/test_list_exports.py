"""Task lists, notifications and the coverage matrix export with the page's filters and scope."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kehoach.activities.coverage import coverage
from kehoach.activities.models import Notification, Task, TaskStatus
from kehoach.core.testing import client_for
from kehoach.core.tests.exports import (
    column,
    count_queries,
    csv_table,
    download,
    is_date,
    vi,
    xlsx_notes,
    xlsx_table,
)
from kehoach.dashboard.tests.builders import saved_plan, spread

TODAY = timezone.localdate()


@pytest.fixture
def plan(world):
    return saved_plan(world)


def make_tasks(world, plan, n: int = 1) -> None:
    for i in range(n):
        for unit in (world.cell1, world.cell2, world.other_cell):
            Task.objects.create(
                plan=plan,
                unit=unit,
                title=f"Việc {i} của {unit.name}",
                due_date=TODAY - timedelta(days=3 - i),
            )
        Task.objects.create(
            plan=plan,
            unit=world.cell1,
            title=f"Đã xong {i}",
            due_date=TODAY,
            status=TaskStatus.DONE,
            done_at=timezone.now(),
            done_by=world.secretary,
        )


def test_all_tasks_exports_every_matching_task_not_only_the_first_page(world, plan) -> None:
    make_tasks(world, plan, 30)  # 120 tasks in the ward, more than one page of 50
    response = download(client_for(world.coordinator), reverse("tasks:all"))
    header, rows = xlsx_table(response)
    visible = Task.objects.for_user(world.coordinator)
    assert len(rows) == visible.count() > 50
    assert header[:5] == vi("Unit", "Task", "Plan", "Period", "Due date")
    assert "Ngô Quyền" not in " ".join(str(r[0]) for r in rows)


def test_all_tasks_export_applies_the_filters_and_names_them(world, plan) -> None:
    make_tasks(world, plan, 2)
    client = client_for(world.coordinator)
    url = reverse("tasks:all")
    response = download(client, url, "xlsx", unit=world.cell2.pk, state="overdue")
    header, rows = xlsx_table(response)
    expected = Task.objects.for_user(world.coordinator).filter(
        unit=world.cell2, status=TaskStatus.OPEN, due_date__lt=TODAY
    )
    assert sorted(column(header, rows, header[1])) == sorted(t.title for t in expected)
    assert all(is_date(d) for d in column(header, rows, header[4]))
    assert world.cell2.name in xlsx_notes(response)[0]
    header, rows = csv_table(download(client, url, "csv", unit=world.cell2.pk, state="overdue"))
    assert sorted(r[4] for r in rows) == sorted(f"{t.due_date:%d/%m/%Y}" for t in expected)


def test_a_cell_cannot_export_its_way_into_another_cell(world, plan) -> None:
    make_tasks(world, plan)
    client = client_for(world.secretary)
    header, rows = xlsx_table(download(client, reverse("tasks:all"), unit=world.cell2.pk))
    # An unknown unit is an invalid filter: the page (and the file) show the person's scope.
    assert {r[0] for r in rows} == {world.cell1.name}


def test_my_tasks_exports_the_open_and_recently_done_tasks_of_my_units(world, plan) -> None:
    make_tasks(world, plan, 2)
    header, rows = csv_table(download(client_for(world.secretary), reverse("tasks:mine"), "csv"))
    mine = Task.objects.filter(unit=world.cell1)
    assert sorted(r[1] for r in rows) == sorted(t.title for t in mine)
    assert {r[0] for r in rows} == {world.cell1.name}


def test_task_exports_cost_the_same_queries_however_many_tasks(world, plan) -> None:
    make_tasks(world, plan)
    client = client_for(world.coordinator)
    for name in ("tasks:all", "tasks:mine"):
        before = count_queries(lambda name=name: download(client, reverse(name)))
        make_tasks(world, plan, 3)
        assert count_queries(lambda name=name: download(client, reverse(name))) == before


# ---------------------------------------------------------------- notifications


def notify(user, n: int) -> None:
    for i in range(n):
        Notification.objects.create(user=user, text=f"Việc {i} sắp đến hạn", link=f"/viec/{i}/")


def test_notifications_export_only_the_persons_own(world) -> None:
    notify(world.secretary, 40)
    notify(world.secretary2, 2)
    response = download(client_for(world.secretary), reverse("notifications:list"))
    header, rows = xlsx_table(response)
    assert len(rows) == 40  # every one, not the first page of 30
    assert header[0] == vi("Time")[0]
    assert is_date(rows[0][0])
    assert rows[0][2].startswith("http://testserver/viec/")
    before = count_queries(lambda: download(client_for(world.secretary), "/thong-bao/"))
    notify(world.secretary, 5)
    assert count_queries(lambda: download(client_for(world.secretary), "/thong-bao/")) == before


# ---------------------------------------------------------------- coverage


def test_the_coverage_csv_is_the_matrix_in_long_form(world, plan) -> None:
    spread(world, plan, 30)
    client = client_for(world.coordinator)
    header, rows = csv_table(download(client, reverse("coverage:matrix", args=[plan.pk]), "csv"))
    result = coverage(plan, world.coordinator)
    expected = {
        (row.unit.name, column.label, str(cell.activities), str(cell.reached))
        for table in (result.topics, result.channels)
        for row in table.rows
        for column, cell in zip(table.columns, row.cells, strict=True)
    }
    assert {(r[0], r[3], r[4], r[5]) for r in rows} == expected
    assert len(rows) == len(expected)
    assert header[0] == vi("Unit")[0]
    assert world.other_cell.name not in {r[0] for r in rows}


def test_the_coverage_excel_keeps_its_two_sheet_workbook(world, plan) -> None:
    client = client_for(world.coordinator)
    response = download(client, reverse("coverage:matrix", args=[plan.pk]), "xlsx")
    assert len(load_workbook(io.BytesIO(response.content)).sheetnames) == 2


def test_the_coverage_csv_costs_the_same_queries_however_many_activities(world, plan) -> None:
    client = client_for(world.coordinator)
    url = reverse("coverage:matrix", args=[plan.pk])
    spread(world, plan, 5)
    before = count_queries(lambda: download(client, url, "csv"))
    spread(world, plan, 20, seed=2)
    assert count_queries(lambda: download(client, url, "csv")) == before


def test_an_outsider_cannot_export_the_coverage_of_a_plan_they_cannot_see(world, plan) -> None:
    response = client_for(world.outsider).get(
        reverse("coverage:matrix", args=[plan.pk]), {"xuat": "csv"}
    )
    assert response.status_code == 404


def test_the_activity_list_itself_answers_xuat_like_every_list(world):
    from kehoach.core.testing import client_for

    client = client_for(world.secretary)
    csv = client.get("/hoat-dong/?xuat=csv")
    assert csv["Content-Type"].startswith("text/csv")
    xlsx = client.get("/hoat-dong/?xuat=xlsx")
    assert "spreadsheetml" in xlsx["Content-Type"]
