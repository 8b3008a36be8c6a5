"""Figures on residents' concerns for reports and dashboards: pure reads, constant queries.

For a set of handling units and a date range (local dates, both ends included):

- the concerns RECEIVED in the range (their `created_at`): how many, by urgency; time to
  acknowledge and to answer (median and average, in elapsed hours); per unit, answers on
  time and late and the on-time rate (a concern counts as late once answered after its due
  time, or while still open past it);
- the concerns received up to the end of the range that are still OPEN today, and among them
  the OVERDUE ones (acknowledgement or answer due time passed), by topic/category and place.

Three queries whatever the number of units or concerns (one more when `units` is a queryset
to be read). Only codes, names and numbers come out; labels are rendered where shown.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from kehoach.feedback.models import Category, Concern, ConcernStatus, Urgency
from kehoach.org.querysets import SCOPE_IDS_UP_TO

OPEN_STATUSES = (ConcernStatus.NEW, ConcernStatus.ACKNOWLEDGED, ConcernStatus.IN_PROGRESS)
# Concerns that left the unit's hands without an answer of ours: not counted for timeliness.
NOT_OURS = (ConcernStatus.TRANSFERRED, ConcernStatus.OUT_OF_SCOPE, ConcernStatus.DUPLICATE)
# What each unit's row counts, in the database.
COUNTED = ("received", "answered", "on_time", "late", "acknowledged_on_time", "acknowledged_late")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _stats(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "median": None, "average": None}
    return {
        "count": len(values),
        "median": round(statistics.median(values), 1),
        "average": round(sum(values) / len(values), 1),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def overdue_q(now: datetime) -> Q:
    """Open, and the acknowledgement or the answer is past its due time."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(acknowledged_at__isnull=True, acknowledge_due__lt=now) | Q(answer_due__lt=now)
    )


def _on_time(at: str, due: str) -> Q:
    """Done by its due time; concerns that left our hands do not count."""
    return ~Q(status__in=NOT_OURS) & Q(**{f"{at}__lte": F(due)})


def _late(at: str, due: str, now: datetime) -> Q:
    """Done after its due time, or still open past it."""
    still_open = Q(**{f"{at}__isnull": True, f"{due}__lt": now, "status__in": OPEN_STATUSES})
    return ~Q(status__in=NOT_OURS) & (Q(**{f"{at}__gt": F(due)}) | still_open)


def _elapsed(at: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(at) - F("created_at"), output_field=DurationField())


def _unit_filter(units) -> tuple[Q, list]:
    """The filter on handling units, and the units themselves as (pk, name) pairs. A large
    queryset (a city's 6,000 units) is filtered by itself as a subquery: written out, its
    ids cost half a second in every query to build and to send."""
    if isinstance(units, QuerySet):
        listed = list(units.values_list("pk", "name"))
        if len(listed) > SCOPE_IDS_UP_TO:
            return Q(unit_id__in=units.values("pk")), listed
    else:
        listed = [(u.pk, u.name) for u in units]
    # One array on PostgreSQL (core.lookups): 60 ids bound one by one cost each of the four
    # statements 0.3 ms.
    return Q(unit_id__any=[pk for pk, _name in listed]), listed


def concern_figures(units: Iterable, start: date, end: date, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    unit_q, listed = _unit_filter(units)
    since, until = _bounds(start, end)
    received = Concern.objects.filter(unit_q, created_at__gte=since, created_at__lt=until)
    per_unit = {
        pk: {
            "unit_id": pk,
            "name": name,
            **dict.fromkeys(COUNTED, 0),
        }
        for pk, name in listed
    }
    by_urgency = dict.fromkeys(Urgency.values, 0)
    # Counted in the database, per unit: a city's year is 14,000 concerns, and reading their
    # four time stamps each into Python took half a second of the city dashboard.
    urgency_counts = {
        f"urgency_{i}": Count("pk", filter=Q(urgency=code)) for i, code in enumerate(Urgency.values)
    }
    grouped = (
        received.values("unit_id")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=_on_time("answered_at", "answer_due")),
            late=Count("pk", filter=_late("answered_at", "answer_due", now)),
            acknowledged_on_time=Count("pk", filter=_on_time("acknowledged_at", "acknowledge_due")),
            acknowledged_late=Count("pk", filter=_late("acknowledged_at", "acknowledge_due", now)),
            **urgency_counts,
        )
        .order_by()
    )
    total_received = 0
    urgencies = list(enumerate(Urgency.values))
    for item in grouped:
        row = per_unit[item["unit_id"]]
        for key in COUNTED:
            row[key] = item[key]
        total_received += item["received"]
        for i, code in urgencies:
            by_urgency[code] += item[f"urgency_{i}"]
    acknowledge, answer = [], []
    waits = received.filter(Q(acknowledged_at__isnull=False) | Q(answered_at__isnull=False))
    for to_acknowledge, to_answer in waits.values_list(
        _elapsed("acknowledged_at"), _elapsed("answered_at")
    ).order_by():
        if to_acknowledge is not None:
            acknowledge.append(_hours(to_acknowledge))
        if to_answer is not None:
            answer.append(_hours(to_answer))
    unit_rows = []
    totals = dict.fromkeys(COUNTED, 0)
    for row in per_unit.values():
        row["on_time_rate"] = _rate(row["on_time"], row["on_time"] + row["late"])
        unit_rows.append(row)
        for key in totals:
            totals[key] += row[key]
    totals["on_time_rate"] = _rate(totals["on_time"], totals["on_time"] + totals["late"])
    totals["acknowledged_on_time_rate"] = _rate(
        totals["acknowledged_on_time"], totals["acknowledged_on_time"] + totals["acknowledged_late"]
    )

    # Open today among those received up to the end of the range, grouped in the database.
    still_open = Concern.objects.filter(
        unit_q, created_at__lt=until, status__in=OPEN_STATUSES
    ).order_by()
    counts = {
        "open": Count("pk"),
        "overdue": Count("pk", filter=overdue_q(now)),
        "hot_spots": Count("pk", filter=Q(urgency=Urgency.HOT_SPOT)),
    }
    # One statement grouped by category, topic and place; by topic and by place are summed
    # from it here (two grouped statements read the same open concerns twice).
    topics: dict[tuple, dict] = {}
    places: dict[str, dict] = {}
    grouped_open = still_open.values(
        "category", "topic_id", "topic__order", "topic__title", "place"
    ).annotate(**counts)
    for row in grouped_open.order_by():
        topic = topics.setdefault(
            (row["category"], row["topic_id"]),
            {
                "category": row["category"],
                "topic_id": row["topic_id"],
                "topic_order": row["topic__order"],
                "topic_title": row["topic__title"] or "",
                **dict.fromkeys(counts, 0),
            },
        )
        place = places.setdefault(row["place"], {"place": row["place"], **dict.fromkeys(counts, 0)})
        for key in counts:
            topic[key] += row[key]
            place[key] += row[key]
    by_topic = list(topics.values())
    category_index = {code: i for i, code in enumerate(Category.values)}
    by_topic.sort(
        key=lambda r: (
            r["topic_id"] is None,
            r["topic_order"] or 0,
            r["topic_id"] or 0,
            category_index.get(r["category"], 99),
        )
    )
    by_place = sorted(
        places.values(), key=lambda r: (-r["overdue"], -r["open"], r["place"] == "", r["place"])
    )
    open_total = sum(r["open"] for r in by_place)
    overdue_total = sum(r["overdue"] for r in by_place)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "received": total_received,
        "by_urgency": by_urgency,
        "acknowledge_hours": _stats(acknowledge),
        "answer_hours": _stats(answer),
        "totals": totals,
        "units": unit_rows,
        "open": open_total,
        "overdue": overdue_total,
        "open_hot_spots": sum(r["hot_spots"] for r in by_place),
        "by_topic": by_topic,
        "by_place": by_place,
    }
