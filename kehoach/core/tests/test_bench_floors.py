"""bench/scale.py compares each page with its floor, hand-written SQL for the same aggregate. A
floor that computes less than the page flatters the page no more than one that computes more
shames it: the completeness floor must work out exactly what the board shows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from bench import floors
from bench.citygen import City, generate
from kehoach.reports.views_board import board_data

KEYS = ("expected", "submitted", "on_time", "late", "missing", "not_due")
RATES = ("submitted_rate", "on_time_rate")


@pytest.fixture
def small_city(db) -> City:
    return generate(2, 200)


def _figures(row) -> tuple:
    counts = tuple(int(value) for value in row[10:16])
    rates = tuple(None if value is None else float(Decimal(str(value))) for value in row[16:])
    return counts + rates


def _board(figures: dict) -> tuple:
    return tuple(figures[key] for key in KEYS) + tuple(figures[key] for key in RATES)


@pytest.mark.parametrize("who", ["city", "ward"])
def test_the_completeness_floor_works_out_what_the_board_shows(small_city, who) -> None:
    city = small_city
    ward = city.wards[0]
    user, scope = (city.coordinator, city.root) if who == "city" else (ward.coordinator, ward.unit)
    params = {"plan": ward.plan.pk, "path": scope.path + "%", "today": timezone.localdate()}
    with connection.cursor() as cursor:
        cursor.execute(floors.completeness()[0], params)
        rows = cursor.fetchall()
    board = board_data(ward.plan, user)
    assert board["rows"], "the generated plan has reports to count"

    cells = [(row[3], row[6], row[7]) for row in rows if row[0] == 0]
    shown = [
        (mark["pk"], mark["code"], mark["timeliness"])
        for unit in board["rows"]
        for mark in unit["grid"]
        if mark is not None
    ]
    assert sorted(cells) == sorted(shown)
    # SQLite hands a union's dates back as text.
    periods = [(row[1], row[4], str(row[9]), *_figures(row)) for row in rows if row[0] == 1]
    assert periods == [
        (p.pk, p.label, str(p.due_date), *_board(p.figures)) for p in board["periods"]
    ]
    units = [(row[2], row[4], *_figures(row)) for row in rows if row[0] == 2]
    assert sorted(units) == sorted(
        (unit["unit"].pk, unit["unit"].name, *_board(unit["figures"])) for unit in board["rows"]
    )
    [overall] = [_figures(row) for row in rows if row[0] == 3]
    assert overall == _board(board["overall"])
