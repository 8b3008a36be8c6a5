"""The targets catalogue exports with its progress, in the page's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from django.urls import reverse

from kehoach.core.testing import client_for
from kehoach.core.tests.exports import count_queries, csv_table, download, vi, xlsx_table
from kehoach.indicators.models import Indicator, Measurement, Target
from kehoach.indicators.tests.test_progress import make_indicator


def indicators(world, n: int = 1) -> None:
    for i in range(n):
        indicator = make_indicator(world, name=f"=Chỉ tiêu {Indicator.objects.count()} {i}")
        Target.objects.create(indicator=indicator, year=2026, value=D(200))
        Measurement.objects.create(
            indicator=indicator, as_of=date(2026, 1, 31), value=D("150.5"), source="s"
        )
    make_indicator(world, ward=world.other_ward, name="Chỉ tiêu Ngô Quyền")


def test_the_export_holds_the_catalogue_the_person_sees(world) -> None:
    indicators(world, 2)
    response = download(client_for(world.secretary), reverse("indicators:list"))
    header, rows = xlsx_table(response)
    assert header[:3] == vi("Programme", "Indicator", "Unit of measure")
    expected = Indicator.objects.for_user(world.secretary).order_by("programme", "order", "pk")
    assert [r[1] for r in rows] == [i.name for i in expected]
    assert "Chỉ tiêu Ngô Quyền" not in [r[1] for r in rows]
    assert rows[0][3] == 150.5
    assert rows[0][4] == date(2026, 1, 31) or rows[0][4].date() == date(2026, 1, 31)
    header, rows = csv_table(
        download(client_for(world.secretary), reverse("indicators:list"), "csv")
    )
    assert rows[0][1].startswith("'=")  # a formula typed as a name stays text
    assert rows[0][4] == "31/01/2026"


def test_the_coordinators_import_file_is_still_offered(world) -> None:
    html = client_for(world.coordinator).get(reverse("indicators:list")).content.decode()
    assert reverse("indicators:export") in html
    assert "?xuat=csv" in html


def test_the_export_costs_the_same_queries_however_many_indicators(world) -> None:
    indicators(world)
    client = client_for(world.coordinator)
    before = count_queries(lambda: download(client, reverse("indicators:list")))
    indicators(world, 4)
    assert count_queries(lambda: download(client, reverse("indicators:list"))) == before
