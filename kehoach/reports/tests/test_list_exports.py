"""Reporting periods and the completeness board export in the page's scope."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kehoach.core.testing import client_for
from kehoach.core.tests.exports import (
    count_queries,
    csv_table,
    download,
    is_date,
    vi,
    xlsx_notes,
    xlsx_table,
)
from kehoach.reports.models import ReportingPeriod, UnitReport
from kehoach.reports.tests.builders import make_period, reporting_world
from kehoach.reports.views_board import board_data


@pytest.fixture
def rw(world):
    return reporting_world(world)


def more_periods(rw, world, n: int) -> None:
    first = ReportingPeriod.objects.filter(plan=rw.plan).count()
    for i in range(first, first + n):
        start = date(2027 + i, 1, 1)
        make_period(
            rw.plan,
            label=f"Năm {start.year}",
            start=start,
            end=date(start.year, 12, 31),
            due_date=date(start.year + 1, 1, 15),
            units=[world.cell1, world.cell2, world.committee],
        )


def test_the_periods_export_has_a_row_a_report_owed(world, rw) -> None:
    make_period(rw.plan, label="Tháng 6/2026", start=date(2026, 6, 1), end=date(2026, 6, 30))
    response = download(
        client_for(world.coordinator), reverse("reports:periods", args=[rw.plan.pk])
    )
    header, rows = xlsx_table(response)
    assert header[:2] == vi("Period", "Kind")
    reports = UnitReport.objects.for_user(world.coordinator).filter(period__plan=rw.plan)
    assert len(rows) == reports.count() + 1  # June is owed by nobody yet: one row still
    assert [(r[0], r[5]) for r in rows] == [
        ("Tháng 5/2026", world.cell1.name),
        ("Tháng 5/2026", world.cell2.name),
        ("Tháng 6/2026", None),
    ]
    assert all(is_date(v) for r in rows for v in r[2:5])
    assert str(rw.plan)[:20] in xlsx_notes(response)[0]


def test_a_cell_exports_only_its_own_reports(world, rw) -> None:
    response = download(
        client_for(world.secretary), reverse("reports:periods", args=[rw.plan.pk]), "csv"
    )
    header, rows = csv_table(response)
    assert [(r[0], r[2], r[5]) for r in rows] == [("Tháng 5/2026", "01/05/2026", world.cell1.name)]


def test_an_outsider_cannot_export_the_periods(world, rw) -> None:
    url = reverse("reports:periods", args=[rw.plan.pk])
    assert client_for(world.outsider).get(url, {"xuat": "csv"}).status_code == 404


def test_the_board_csv_has_a_row_a_unit_with_its_figures_and_each_period(world, rw) -> None:
    more_periods(rw, world, 2)
    url = reverse("reports:board", args=[rw.plan.pk])
    header, rows = csv_table(download(client_for(world.coordinator), url, "csv"))
    data = board_data(rw.plan, world.coordinator)
    assert [r[0] for r in rows] == [row["unit"].name for row in data["rows"]]
    assert [int(r[1]) for r in rows] == [row["figures"]["expected"] for row in data["rows"]]
    periods = ReportingPeriod.objects.filter(plan=rw.plan).order_by("start", "pk")
    assert header[-periods.count() :] == [p.label for p in periods]
    assert header[0] == vi("Unit")[0]
    assert world.other_cell.name not in {r[0] for r in rows}


def test_the_board_excel_keeps_its_two_sheets(world, rw) -> None:
    response = download(client_for(world.coordinator), reverse("reports:board", args=[rw.plan.pk]))
    assert len(load_workbook(io.BytesIO(response.content)).sheetnames) == 2


def test_report_exports_cost_the_same_queries_however_many_reports(world, rw) -> None:
    client = client_for(world.coordinator)
    for name in ("reports:periods", "reports:board"):
        url = reverse(name, args=[rw.plan.pk])
        before = count_queries(lambda url=url: download(client, url, "csv"))
        more_periods(rw, world, 3)
        assert count_queries(lambda url=url: download(client, url, "csv")) == before
