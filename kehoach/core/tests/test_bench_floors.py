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


@pytest.mark.parametrize(("who", "offset"), [("city", 0), ("ward", 0), ("ward", 50), ("ward", -1)])
def test_the_activity_list_floor_reads_what_the_list_shows(small_city, who, offset) -> None:
    from kehoach.activities.models import Activity
    from kehoach.activities.rows import list_rows
    from kehoach.activities.views_activities import totals
    from kehoach.core.text import clip
    from kehoach.org.models import Unit

    city = small_city
    ward = city.wards[0]
    user, scope = (city.coordinator, city.root) if who == "city" else (ward.coordinator, ward.unit)
    visible = Activity.objects.for_user(user)
    last = offset < 0
    if last:  # the last full page: the oldest activities, of periods already accepted
        offset = visible.count() - 50
    ids = list(visible.order_by("-date", "-pk").values_list("pk", flat=True)[offset : offset + 50])
    # What the generator leaves out: a unit's short name.
    first = Activity.objects.get(pk=ids[0])
    Unit.objects.filter(pk=first.unit_id).update(short_name="Tổ 1")
    with connection.cursor() as cursor:
        counted, page = floors.activity_page()
        cursor.execute(counted, {"path": scope.path + "%"})
        [sums] = cursor.fetchall()
        cursor.execute(page, {"path": scope.path + "%", "offset": offset})
        rows = cursor.fetchall()
    shown = totals(visible)
    assert shown["count"] >= offset + 50, "the generated city fills the page"
    assert list(sums) == [shown["count"], *(shown[name] for name in floors.COUNTED)]

    titles: dict[int, list[str]] = {}
    for row in rows:
        if row[0] == 1:
            titles.setdefault(row[1], []).append(clip(row[9], 40))
    read = [
        (
            pk,
            str(day),
            bool(locked),
            channel,
            clip(text, 90),
            reached,
            unit,
            evidence,
            titles.get(pk, []),
        )
        for kind, pk, day, locked, channel, text, reached, unit, evidence, *_ in rows
        if kind == 0
    ]
    assert read == [
        (
            r.pk,
            str(r.date),
            r.locked_at is not None,
            Activity.objects.get(pk=r.pk).channel,
            r.summary,
            r.reached,
            r.unit_label,
            r.evidence_count,
            r.topic_titles,
        )
        for r in list_rows(ids)
    ]
    assert any(titles.values()), "some rows carry topics"
    locked, unit, evidence = 2, 6, 7
    assert read[0][unit] == "Tổ 1"
    # The generator's photos and links, and its locks (activities of an accepted report's
    # period), reach the page as the floor counts them.
    assert {row[evidence] for row in read} > {0}
    if last:
        assert any(row[locked] for row in read)
