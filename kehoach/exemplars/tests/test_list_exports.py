"""The exemplar registry exports with its filters and the page's scope."""

from __future__ import annotations

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
    xlsx_notes,
    xlsx_table,
)
from kehoach.exemplars.models import Exemplar
from kehoach.exemplars.tests.test_services import commended, make_leader, nominate, photo


@pytest.fixture
def leader(world):
    return make_leader(world)


@pytest.fixture
def spread(world, leader) -> None:
    nominate(world, kind="individual", name="Bà Hoa", year=2025, photos=[photo()])
    commended(world, leader, kind="model", name="Mô hình ngõ xanh", year=2026)
    nominate(world, actor=world.secretary2, unit=world.cell2, kind="model", name="Chi bộ 2")
    nominate(world, actor=world.outsider, unit=world.other_cell, name="Ông Ngô Quyền")


def names(user, **filters) -> list[str]:
    visible = Exemplar.objects.for_user(user).filter(**filters)
    return list(visible.order_by("-year", "-created_at", "-pk").values_list("name", flat=True))


@pytest.mark.parametrize("persona", ["secretary", "coordinator", "outsider"])
def test_the_export_holds_the_exemplars_the_person_sees(world, spread, persona) -> None:
    user = getattr(world, persona)
    header, rows = xlsx_table(download(client_for(user), reverse("exemplars:registry")))
    assert column(header, rows, header[0]) == names(user)
    assert header[:3] == vi("Name", "Kind of exemplar", "Field of work")


def test_the_export_applies_the_filters_and_names_them(world, spread) -> None:
    client = client_for(world.coordinator)
    response = download(client, reverse("exemplars:registry"), kind="model")
    header, rows = xlsx_table(response)
    assert column(header, rows, header[0]) == names(world.coordinator, kind="model")
    assert vi("Kind of exemplar")[0] in xlsx_notes(response)[0]
    commended_on = [r[9] for r in rows if r[9] is not None]
    assert commended_on and all(is_date(d) for d in commended_on)
    header, rows = csv_table(download(client, reverse("exemplars:registry"), "csv", year="2025"))
    assert [(r[0], r[-1]) for r in rows] == [("Bà Hoa", "1")]


def test_a_cell_cannot_filter_its_way_into_another_cell(world, spread) -> None:
    client = client_for(world.secretary)
    response = download(client, reverse("exemplars:registry"), "csv", unit=world.cell2.pk)
    assert {r[4] for r in csv_table(response)[1]} == {world.cell1.name}


def test_the_export_costs_the_same_queries_however_many_exemplars(world, spread, leader) -> None:
    client = client_for(world.coordinator)
    url = reverse("exemplars:registry")
    before = count_queries(lambda: download(client, url))
    for year in (2021, 2022, 2023):
        commended(world, leader, year=year, photos=[photo()])
    assert count_queries(lambda: download(client, url)) == before
