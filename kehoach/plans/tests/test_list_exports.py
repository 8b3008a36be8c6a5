"""The plan list exports to Excel and CSV with the page's scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kehoach.core.testing import client_for
from kehoach.core.tests.exports import (
    column,
    count_queries,
    csv_table,
    download,
    is_date,
    vi,
    xlsx_table,
)
from kehoach.plans import services as plan_services
from kehoach.plans.models import Plan
from kehoach.plans.tests.builders import sample_parsed, stage


def save(world, title: str) -> Plan:
    staged = stage(world.ward, world.coordinator, sample_parsed(title=title))
    return plan_services.save_import(actor=world.coordinator, staged=staged)


@pytest.fixture
def plans(world) -> list[Plan]:
    ours = save(world, "tuyên truyền Chỉ thị 58-CT/TW")
    foreign = Plan.objects.create(
        unit=world.other_cell, title="=kế hoạch của phường Ngô Quyền", date=date(2026, 2, 1)
    )
    return [ours, foreign]


def expected_titles(user) -> list[str]:
    return list(
        Plan.objects.for_user(user).order_by("-date", "-created_at").values_list("title", flat=True)
    )


@pytest.mark.parametrize("persona", ["secretary", "coordinator", "outsider"])
def test_the_excel_holds_the_plans_the_person_sees(world, plans, persona) -> None:
    user = getattr(world, persona)
    header, rows = xlsx_table(download(client_for(user), reverse("plans:list")))
    assert header[:5] == vi("Number and symbol", "Date", "Subject", "Unit", "Status")
    assert column(header, rows, header[2]) == expected_titles(user)


def test_another_wards_plan_never_appears(world, plans) -> None:
    for fmt in ("xlsx", "csv"):
        response = download(client_for(world.secretary), reverse("plans:list"), fmt)
        assert "Ngô Quyền".encode() not in response.content
    header, rows = xlsx_table(download(client_for(world.outsider), reverse("plans:list")))
    assert [r[2] for r in rows] == ["=kế hoạch của phường Ngô Quyền"]


def test_dates_are_dates_in_excel_and_day_first_in_csv(world, plans) -> None:
    client = client_for(world.coordinator)
    header, rows = xlsx_table(download(client, reverse("plans:list")))
    assert is_date(rows[0][1]) and rows[0][1].date() == date(2026, 5, 20)
    header, rows = csv_table(download(client, reverse("plans:list"), "csv"))
    assert rows[0][1] == "20/05/2026"


def test_the_export_costs_the_same_queries_however_many_plans(world, plans) -> None:
    client = client_for(world.coordinator)
    url = reverse("plans:list")
    before = count_queries(lambda: download(client, url))
    for n in range(4):
        save(world, f"kế hoạch số {n}")
    assert count_queries(lambda: download(client, url)) == before


def test_the_list_page_offers_both_files(world, plans) -> None:
    html = client_for(world.secretary).get(reverse("plans:list")).content.decode()
    assert "?xuat=xlsx" in html and "?xuat=csv" in html
