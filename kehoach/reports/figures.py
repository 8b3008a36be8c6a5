"""The figures of a unit's report, computed from logged activities and tasks.

Pure reads in a fixed number of queries whatever the number of units, activities or
topics. A unit's figures count its OWN alive activities (not its subtree's) dated within
the period, logged against the period's plan or one of its sub-plans; a sub-plan's topics
count under the plan's topic with the same `order`. Only codes and numbers come out:
labels are rendered where the figures are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kehoach.activities.models import (
    OUTPUT_FIELDS,
    REACH_FIELDS,
    Activity,
    ActivityAudience,
    ActivityTopic,
    Audience,
    Channel,
    Task,
    TaskState,
)
from kehoach.plans.models import Topic

REACHED = F("participants") + F("listeners") + F("views")
REACHED_THROUGH_LINK = F("activity__participants") + F("activity__listeners") + F("activity__views")
TASK_STATES = (
    TaskState.DONE_ON_TIME,
    TaskState.DONE_LATE,
    TaskState.PENDING,
    TaskState.OVERDUE,
    TaskState.CANCELLED,
)


def _plan_q(plan, prefix: str = "") -> Q:
    """The period's plan or one of its sub-plans."""
    return Q(**{f"{prefix}plan_id": plan.pk}) | Q(**{f"{prefix}plan__parent_id": plan.pk})


def _activities(unit_ids: list[int], period):
    return Activity.objects.filter(
        _plan_q(period.plan),
        deleted_at__isnull=True,
        unit_id__in=unit_ids,
        date__gte=period.start,
        date__lte=period.end,
    )


def _empty(topics: list[Topic]) -> dict:
    return {
        "activities": 0,
        "reached": 0,
        "reach": {name: 0 for name in REACH_FIELDS},
        "outputs": {name: 0 for name in OUTPUT_FIELDS},
        "by_topic": [
            {"topic_id": t.pk, "order": t.order, "title": t.title, "activities": 0, "reached": 0}
            for t in topics
        ],
        "by_channel": [{"channel": code, "activities": 0, "reached": 0} for code in Channel.values],
        "by_audience": [
            {"audience": code, "activities": 0, "reached": 0} for code in Audience.values
        ],
        "tasks": {"total": 0, **{str(state): 0 for state in TASK_STATES}},
    }


def _tasks_in(unit_ids: list[int], period):
    """The units' tasks of the plan due in the period, or, undated, whose period overlaps it."""
    dated = Q(due_date__gte=period.start, due_date__lte=period.end)
    undated = Q(due_date__isnull=True) & (
        Q(period_start__isnull=True)
        | Q(period_start__lte=period.end, period_end__gte=period.start)
        | Q(period_start__lte=period.end, period_end__isnull=True)
    )
    return (
        Task.objects.filter(plan_id=period.plan_id, unit_id__in=unit_ids)
        .filter(dated | undated)
        .only("pk", "unit_id", "status", "done_at", "due_date")
    )


def figures_for_units(units: Iterable, period, today: date | None = None) -> dict[int, dict]:
    """`unit_figures` for many units at once, in six queries whatever their number."""
    today = today or timezone.localdate()
    unit_ids = sorted({getattr(u, "pk", u) for u in units})
    if not unit_ids:
        return {}
    topics = list(Topic.objects.filter(plan_id=period.plan_id).order_by("order", "pk"))
    result = {unit_id: _empty(topics) for unit_id in unit_ids}
    activities = _activities(unit_ids, period)

    totals = activities.values("unit_id").annotate(
        n=Count("pk"),
        **{f"s_{name}": Sum(name) for name in (*REACH_FIELDS, *OUTPUT_FIELDS)},
    )
    for row in totals.order_by():
        figures = result[row["unit_id"]]
        figures["activities"] = row["n"]
        for name in REACH_FIELDS:
            figures["reach"][name] = row[f"s_{name}"] or 0
        for name in OUTPUT_FIELDS:
            figures["outputs"][name] = row[f"s_{name}"] or 0
        figures["reached"] = sum(figures["reach"].values())

    channel_index = {code: i for i, code in enumerate(Channel.values)}
    by_channel = activities.values("unit_id", "channel").annotate(n=Count("pk"), r=Sum(REACHED))
    for row in by_channel.order_by():
        if row["channel"] in channel_index:
            cell = result[row["unit_id"]]["by_channel"][channel_index[row["channel"]]]
            cell["activities"] += row["n"]
            cell["reached"] += row["r"] or 0

    # Topics: the plan's own by id, a sub-plan's through the plan's topic of the same order.
    topic_index = {t.pk: i for i, t in enumerate(topics)}
    order_index: dict[int, int] = {}
    for i, t in enumerate(topics):
        order_index.setdefault(t.order, i)
    links = (
        ActivityTopic.objects.filter(activity__in=activities.values("pk"))
        .values("activity__unit_id", "topic_id", "topic__order", "topic__plan_id")
        .annotate(n=Count("activity_id", distinct=True), r=Sum(REACHED_THROUGH_LINK))
    )
    for row in links.order_by():
        if row["topic__plan_id"] == period.plan_id:
            index = topic_index.get(row["topic_id"])
        else:
            index = order_index.get(row["topic__order"])
        if index is None:
            continue
        cell = result[row["activity__unit_id"]]["by_topic"][index]
        cell["activities"] += row["n"]
        cell["reached"] += row["r"] or 0

    audience_index = {code: i for i, code in enumerate(Audience.values)}
    audiences = (
        ActivityAudience.objects.filter(activity__in=activities.values("pk"))
        .values("activity__unit_id", "audience")
        .annotate(n=Count("activity_id"), r=Sum(REACHED_THROUGH_LINK))
    )
    for row in audiences.order_by():
        if row["audience"] in audience_index:
            cell = result[row["activity__unit_id"]]["by_audience"][audience_index[row["audience"]]]
            cell["activities"] += row["n"]
            cell["reached"] += row["r"] or 0

    for task in _tasks_in(unit_ids, period):
        counts = result[task.unit_id]["tasks"]
        counts["total"] += 1
        # Done tasks count as they were done (on time or late); open ones as of today.
        counts[str(task.state(today))] += 1
    return result


def unit_figures(unit, period, today: date | None = None) -> dict:
    """The figures of one unit's report for the period (see the module's docstring)."""
    return figures_for_units([unit], period, today)[unit.pk]


def activities_path() -> str:
    try:
        return reverse("activities:list")
    except NoReverseMatch:
        return "/hoat-dong/"


def activity_link(unit, period, **filters) -> str:
    """The activities list behind a figure: the unit, the plan, the period, and one filter
    among topic=<id>, channel=<code>, audience=<code>."""
    query = {
        "unit": getattr(unit, "pk", unit),
        "plan": period.plan_id,
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
    }
    for name in ("topic", "channel", "audience"):
        value = filters.pop(name, None)
        if value not in (None, ""):
            query[name] = getattr(value, "pk", value)
    if filters:
        raise TypeError(f"unknown filters: {sorted(filters)}")
    return f"{activities_path()}?{urlencode(query)}"
