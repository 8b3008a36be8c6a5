"""Concern figures for reports and dashboards: computed from the concerns' timestamps."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kehoach.feedback.concern_figures import concern_figures
from kehoach.feedback.models import Category, Concern, ConcernStatus, Source, Urgency

HN = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = date(2026, 5, 1), date(2026, 5, 31)
NOW = datetime(2026, 6, 10, 9, 0, tzinfo=HN)
_codes = itertools.count(1)


def at(day: int, hour: int = 9, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=HN)


def concern(world, unit=None, *, created: datetime, **fields) -> Concern:
    """A concern made directly in the database (the services are another engineer's)."""
    n = next(_codes)
    fields.setdefault("category", Category.URBAN_ORDER)
    fields.setdefault("source", Source.NEIGHBOURHOOD_MEETING)
    fields.setdefault("acknowledge_due", created + timedelta(hours=8))
    fields.setdefault("answer_due", created + timedelta(days=14))
    item = Concern.objects.create(
        ward=world.ward,
        unit=unit or world.committee,
        summary=f"Đèn đường hỏng số {n}",
        code=f"PA{n:06d}",
        token=f"token-{n:06d}",
        **fields,
    )
    Concern.objects.filter(pk=item.pk).update(created_at=created)
    item.refresh_from_db()
    return item


def figures(world, units=None, **kwargs):
    return concern_figures(units or [world.committee, world.cell1], START, END, now=NOW, **kwargs)


def test_only_concerns_received_within_the_local_dates_count(world) -> None:
    concern(world, created=datetime(2026, 5, 31, 23, 30, tzinfo=HN))
    concern(world, created=datetime(2026, 6, 1, 0, 10, tzinfo=HN))
    concern(world, created=datetime(2026, 4, 30, 23, 50, tzinfo=HN))
    concern(world, created=datetime(2026, 5, 1, 0, 5, tzinfo=HN))
    assert figures(world)["received"] == 2


def test_times_to_acknowledge_and_answer_are_median_and_average_hours(world) -> None:
    for ack_hours, answer_hours in ((2, 24), (4, 48), (12, 120)):
        created = at(5)
        concern(
            world,
            created=created,
            status=ConcernStatus.ANSWERED,
            acknowledged_at=created + timedelta(hours=ack_hours),
            answered_at=created + timedelta(hours=answer_hours),
        )
    concern(world, created=at(6))  # not acknowledged yet: no time to count
    data = figures(world)
    assert data["acknowledge_hours"] == {"count": 3, "median": 4.0, "average": 6.0}
    assert data["answer_hours"] == {"count": 3, "median": 48.0, "average": 64.0}


def test_no_concern_gives_no_time_and_no_rate(world) -> None:
    data = figures(world)
    assert data["acknowledge_hours"]["median"] is None
    assert data["totals"]["on_time_rate"] is None
    assert data["received"] == 0 and data["open"] == 0


def test_the_on_time_rate_counts_late_answers_and_open_concerns_past_their_due(world) -> None:
    created = at(2)
    due = created + timedelta(days=14)
    # Committee: one on time, one answered late, one open past its due time → 1/3.
    concern(
        world, created=created, status=ConcernStatus.ANSWERED, answered_at=due - timedelta(hours=1)
    )
    concern(
        world, created=created, status=ConcernStatus.CLOSED, answered_at=due + timedelta(hours=1)
    )
    concern(world, created=created, status=ConcernStatus.IN_PROGRESS)
    # Transferred away: not counted for timeliness.
    concern(world, created=created, status=ConcernStatus.TRANSFERRED)
    # Cell 1: one open, not yet due (answer due after NOW): no rate yet.
    concern(world, world.cell1, created=at(30), answer_due=NOW + timedelta(days=3))
    data = figures(world)
    by_unit = {row["unit_id"]: row for row in data["units"]}
    committee = by_unit[world.committee.pk]
    assert (committee["on_time"], committee["late"], committee["received"]) == (1, 2, 4)
    assert committee["on_time_rate"] == 33.3
    assert by_unit[world.cell1.pk]["on_time_rate"] is None
    assert data["totals"]["on_time_rate"] == 33.3


def test_acknowledgements_are_on_time_or_late_against_their_own_due_time(world) -> None:
    created = at(3)
    concern(world, created=created, acknowledged_at=created + timedelta(hours=1))
    concern(world, created=created, acknowledged_at=created + timedelta(hours=9))
    concern(world, created=created)  # never acknowledged, past due
    totals = figures(world)["totals"]
    assert (totals["acknowledged_on_time"], totals["acknowledged_late"]) == (1, 2)
    assert totals["acknowledged_on_time_rate"] == 33.3


def test_open_and_overdue_concerns_are_grouped_by_topic_or_category_and_by_place(world) -> None:
    concern(world, created=at(4), place="Tổ dân phố 3", category=Category.ENVIRONMENT)
    concern(
        world,
        created=at(28),
        place="Tổ dân phố 3",
        category=Category.ENVIRONMENT,
        acknowledged_at=at(28, 10),
        answer_due=NOW + timedelta(days=1),
    )
    concern(world, created=at(5), place="Tổ dân phố 5", urgency=Urgency.HOT_SPOT)
    # A category in two places, a place with two categories: each total sums both.
    concern(world, created=at(6), place="Tổ dân phố 5", category=Category.ENVIRONMENT)
    concern(world, created=at(5), place="Tổ dân phố 5", status=ConcernStatus.CLOSED)
    # Received after the range: not among the range's open concerns.
    concern(world, created=at(2, month=6), place="Tổ dân phố 9")
    data = figures(world)
    assert (data["open"], data["overdue"], data["open_hot_spots"]) == (4, 3, 1)
    places = [(row["place"], row["open"], row["overdue"]) for row in data["by_place"]]
    # The most overdue place first.
    assert places == [("Tổ dân phố 5", 2, 2), ("Tổ dân phố 3", 2, 1)]
    categories = {row["category"]: (row["open"], row["overdue"]) for row in data["by_topic"]}
    assert categories == {Category.ENVIRONMENT: (3, 2), Category.URBAN_ORDER: (1, 1)}


def test_counts_by_urgency_cover_the_concerns_received(world) -> None:
    concern(world, created=at(7), urgency=Urgency.HOT_SPOT)
    concern(world, created=at(7), urgency=Urgency.HOT_SPOT)
    concern(world, created=at(7), urgency=Urgency.ATTENTION)
    concern(world, created=at(7))
    assert figures(world)["by_urgency"] == {"normal": 1, "attention": 1, "hot_spot": 2}


def test_concerns_of_units_not_asked_for_do_not_count(world) -> None:
    concern(world, world.cell2, created=at(7))
    concern(world, world.other_cell, created=at(7))
    data = figures(world)
    assert data["received"] == 0 and data["open"] == 0


def test_a_queryset_of_units_works_like_a_list(world) -> None:
    from kehoach.org.models import Unit

    concern(world, world.cell2, created=at(7))
    units = Unit.objects.subtree_of(world.ward)
    assert figures(world, units)["received"] == 1


@pytest.mark.parametrize("count", [2, 30])
def test_the_figures_take_the_same_number_of_queries_whatever_the_data(
    world, count, django_assert_num_queries
) -> None:
    for i in range(count):
        concern(
            world,
            world.cell1 if i % 2 else world.committee,
            created=at(1 + i % 28),
            place=f"Tổ dân phố {i % 5}",
            status=ConcernStatus.ANSWERED if i % 3 else ConcernStatus.NEW,
            answered_at=at(2 + i % 28) if i % 3 else None,
        )
    # Per unit counts, the waiting times, open concerns by topic, category and place.
    with django_assert_num_queries(3):
        data = figures(world)
    assert data["received"] == count
