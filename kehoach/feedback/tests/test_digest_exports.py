"""The ward's opinion digests export as CSV (and keep their coloured Excel)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kehoach.core.testing import client_for
from kehoach.core.tests.exports import count_queries, csv_table, download, vi
from kehoach.feedback.digests import ward_digests
from kehoach.feedback.tests.test_digests import write
from kehoach.reports.tests.builders import reporting_world


@pytest.fixture
def rw(world):
    return reporting_world(world)


def url(rw) -> str:
    return reverse("opinion:ward", args=[rw.period.pk])


def test_the_csv_has_a_row_a_unit_hot_spots_first_then_those_without_a_digest(world, rw) -> None:
    write(world, rw, tones={str(rw.topic.pk): "positive"}, subjects="=Vỉa hè")
    response = download(client_for(world.coordinator), url(rw), "csv")
    header, rows = csv_table(response)
    data = ward_digests(world.coordinator, rw.period)
    assert [r[0] for r in rows] == [row["unit"].name for row in data["rows"]] + [
        u.name for u in data["missing"]
    ]
    assert header[:2] == vi("Unit", "Hot spot")
    assert rows[0][header.index(vi("Main subjects people discuss")[0])] == "'=Vỉa hè"
    assert rows[1][header.index(vi("Main subjects people discuss")[0])] == vi("No digest yet")[0]
    assert rows[0][2] != "" and rows[1][2] == ""


def test_a_cell_exports_only_its_own_digest(world, rw) -> None:
    write(world, rw, subjects="Chi bộ 1 viết.")
    write(world, rw, unit=world.cell2, actor=world.secretary2, subjects="Chi bộ 2 viết.")
    body = download(client_for(world.secretary), url(rw), "csv").content.decode("utf-8-sig")
    assert "Chi bộ 1 viết." in body and "Chi bộ 2 viết." not in body
    assert client_for(world.outsider).get(url(rw), {"xuat": "csv"}).status_code == 404


def test_the_excel_stays_the_coloured_workbook_and_keeps_a_formula_as_text(world, rw) -> None:
    write(world, rw, problems="=1+1")
    response = download(client_for(world.coordinator), url(rw), "xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "'=1+1" in values and "=1+1" not in values


def test_the_csv_costs_the_same_queries_however_many_digests(world, rw) -> None:
    write(world, rw)
    client = client_for(world.coordinator)
    before = count_queries(lambda: download(client, url(rw), "csv"))
    write(world, rw, unit=world.cell2, actor=world.secretary2)
    assert count_queries(lambda: download(client, url(rw), "csv")) == before
