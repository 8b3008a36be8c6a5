"""Every figure of the dashboard for one person, plan, date range and unit subtree.

`Filters.from_params` turns the page's (or the API's) parameters into a checked choice:
the plan among the person's plans, a reporting period of the plan or a quarter (?quy=2026-Q2)
or an explicit range, and a unit of their scope whose subtree is counted. `dashboard(...)`
then reads every panel in a constant number of aggregate queries, whatever the number of
units, activities, reports, tasks or concerns. Every read goes through a `for_user`
queryset, so nobody sees figures of units outside their scope.

The activity panels read the monthly tallies (tallies.py) for the whole months of the range
and the activities themselves only for the days at its edges (and for weekly charts), so a
year over 100,000 activities is a few thousand tally rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from kehoach.accounts import policy
from kehoach.activities.models import (
    Activity,
    ActivityAudience,
    Audience,
    Channel,
    Task,
    TaskStatus,
)
from kehoach.dashboard import tallies
from kehoach.dashboard.models import AudienceTally, ChannelTally, TopicTally
from kehoach.org.models import Unit
from kehoach.plans.models import Plan, Topic

REACHED = F("participants") + F("listeners") + F("views")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# Ranges up to this many days are drawn per week, longer ones per month.
WEEKLY_UP_TO = 92
# Off, the activity panels count the activities alone: bench/dashboard.py compares both.
USE_TALLIES = True


def quarter_range(value: str) -> tuple[date, date] | None:
    """ "2026-Q2" → (1 April 2026, 30 June 2026); anything else → None."""
    match = QUARTER.match(value or "")
    if not match:
        return None
    year, quarter = int(match.group(1)), int(match.group(2))
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(1)
    return start, end


def quarters_around(today: date) -> list[str]:
    """The quarters of last year and this year, for the quick filter."""
    return [f"{y}-Q{q}" for y in (today.year - 1, today.year) for q in (1, 2, 3, 4)]


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


@dataclass
class Filters:
    user: object
    today: date
    start: date
    end: date
    plans: list[Plan]
    plan: Plan | None
    periods: list  # the plan's reporting periods
    period: object | None
    quarter: str
    scope_units: list[Unit]  # every unit the person may see (no external bodies)
    unit: Unit | None  # the chosen subtree root, None for the whole scope
    units: list[Unit] = field(default_factory=list)  # the counted units
    # False reads the activities alone (benchmarks and tests compare both ways).
    use_tallies: bool = True

    @classmethod
    def from_params(cls, user, params, today: date | None = None) -> Filters:
        """Checked filters; a plan or unit outside the person's scope is a 404."""
        from kehoach.reports.models import ReportingPeriod

        today = today or timezone.localdate()
        scope_units = list(
            Unit.objects.own_for_user(user)
            .only("pk", "name", "path", "parent_id", "kind", "order")
            .order_by("path")
        )
        plans = list(Plan.objects.for_user(user).order_by("-date", "-created_at", "-pk"))
        plan_id = _int(params.get("plan"))
        if plan_id is not None:
            plan = next((p for p in plans if p.pk == plan_id), None)
            if plan is None:
                raise Http404
        else:
            plan = plans[0] if plans and params.get("plan") != "all" else None
        unit_id = _int(params.get("unit"))
        unit = None
        if unit_id is not None:
            unit = next((u for u in scope_units if u.pk == unit_id), None)
            if unit is None:
                raise Http404
        periods = (
            list(ReportingPeriod.objects.filter(plan=plan).order_by("start", "end", "pk"))
            if plan
            else []
        )
        period = None
        period_id = _int(params.get("period"))
        if period_id is not None:
            period = next((p for p in periods if p.pk == period_id), None)
            if period is None:
                raise Http404
        quarter = params.get("quy", "") or ""
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
        if period is not None:
            start, end = period.start, period.end
        elif quarter_range(quarter):
            start, end = quarter_range(quarter)
        else:
            quarter = ""
        start = _parse_date(params.get("date_from")) or start
        end = _parse_date(params.get("date_to")) or end
        if end < start:
            start, end = end, start
        if unit is None:
            units = scope_units
        else:
            units = [u for u in scope_units if u.path.startswith(unit.path)]
        return cls(
            user=user,
            today=today,
            start=start,
            end=end,
            plans=plans,
            plan=plan,
            periods=periods,
            period=period,
            quarter=quarter,
            scope_units=scope_units,
            unit=unit,
            units=units,
            use_tallies=USE_TALLIES,
        )

    @property
    def weekly(self) -> bool:
        return (self.end - self.start).days <= WEEKLY_UP_TO

    def in_subtree(self, qs: QuerySet, field_name: str = "unit") -> QuerySet:
        if self.unit is None:
            return qs
        return qs.filter(**{f"{field_name}__path__startswith": self.unit.path})

    def activities(self) -> QuerySet:
        """The visible activities counted: scope, subtree, plan and dates."""
        qs = Activity.objects.for_user(self.user).filter(date__gte=self.start, date__lte=self.end)
        if self.plan is not None:
            qs = qs.filter(plan=self.plan)
        return self.in_subtree(qs)

    @property
    def months(self) -> tuple[date, date] | None:
        """The first and last whole months of the range, read from the tallies; None when
        there are none (or tallies are off) and the activities are counted directly."""
        return tallies.whole_months(self.start, self.end) if self.use_tallies else None

    def tallied(self, model) -> QuerySet:
        """The tally rows of the whole months: same scope, subtree and plan as activities()."""
        first, last = self.months
        qs = model.objects.for_user(self.user).filter(month__gte=first, month__lte=last)
        if self.plan is not None:
            qs = qs.filter(plan=self.plan)
        return self.in_subtree(qs)

    def rest(self) -> QuerySet | None:
        """The activities of the days outside the whole months (all of them without
        tallies); None when the whole months cover the range."""
        parts = tallies.edges(self.start, self.end, self.months)
        if not parts:
            return None
        days = reduce(or_, (Q(date__gte=first, date__lte=last) for first, last in parts))
        qs = Activity.objects.for_user(self.user).filter(days)
        if self.plan is not None:
            qs = qs.filter(plan=self.plan)
        return self.in_subtree(qs)

    def units_queryset(self) -> QuerySet:
        """`units` as a query, for reads that filter by a city's thousands of units."""
        qs = Unit.objects.own_for_user(self.user).order_by("path")
        return qs if self.unit is None else qs.filter(path__startswith=self.unit.path)

    def link_params(self) -> dict:
        """The filters the activities list understands, for links to the records."""
        params = {"date_from": self.start.isoformat(), "date_to": self.end.isoformat()}
        if self.plan is not None:
            params["plan"] = self.plan.pk
        if self.unit is not None:
            params["unit"] = self.unit.pk
        return params


def _buckets(start: date, end: date, weekly: bool) -> list[date]:
    """The first day of every week (Monday) or month touched by the range."""
    day = start - timedelta(days=start.weekday()) if weekly else tallies.month_of(start)
    result = []
    while day <= end:
        result.append(day)
        day = day + timedelta(days=7) if weekly else tallies.next_month(day)
    return result


def _bucket_end(first: date, weekly: bool) -> date:
    return first + timedelta(days=6) if weekly else tallies.month_end(first)


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _bucket_of(day: date, weekly: bool) -> date:
    return day - timedelta(days=day.weekday()) if weekly else day.replace(day=1)


def over_time(f: Filters) -> dict:
    """Activities per week or month and channel: the whole months from the tallies, the
    rest (weeks, the days at the edges) grouped by day in the database (a native grouping,
    much faster on SQLite than truncating every row) and folded here. Two queries at most,
    of at most a few thousand rows whatever the number of activities."""
    counts: dict[tuple[date, str], int] = {}
    monthly = f.months is not None and not f.weekly
    if monthly:
        rows = f.tallied(ChannelTally).values_list("month", "channel")
        counts.update(((m, c), n) for m, c, n in rows.annotate(n=Sum("activities")).order_by())
    rest = f.rest() if monthly else f.activities()
    if rest is not None:
        rows = rest.values_list("date", "channel").annotate(n=Count("pk")).order_by()
        for day, channel, n in rows:
            key = (_bucket_of(_as_date(day), f.weekly), channel)
            counts[key] = counts.get(key, 0) + n
    buckets = _buckets(f.start, f.end, f.weekly)
    series = []
    for code, label in Channel.choices:
        values = [counts.get((b, code), 0) for b in buckets]
        series.append(
            {"channel": code, "label": str(label), "values": values, "total": sum(values)}
        )
    return {
        "step": "week" if f.weekly else "month",
        "buckets": [
            {
                "start": max(b, f.start),
                "end": min(_bucket_end(b, f.weekly), f.end),
                "total": sum(counts.get((b, code), 0) for code in Channel.values),
            }
            for b in buckets
        ],
        "series": series,
        "total": sum(s["total"] for s in series),
    }


def _unit_topic_counts(f: Filters) -> dict[tuple[int, int], tuple[int, int]]:
    """{(unit id, topic id): (activities, people reached)} for the plan's topics. One query,
    shared by the topic panel and the heat map (an activity has one unit, so summing a
    topic's cells over the units counts each activity once)."""
    if f.plan is None:
        return {}
    counts: dict[tuple[int, int], tuple[int, int]] = {}
    if f.months:
        rows = (
            f.tallied(TopicTally)
            .filter(topic__plan=f.plan)
            .values_list("unit_id", "topic_id")
            .annotate(n=Sum("activities"), reached=Sum("reached"))
        )
        _add(counts, rows.order_by())
    rest = f.rest()
    if rest is not None:
        rows = (
            rest.filter(topic_links__topic__plan=f.plan)
            .values_list("unit_id", "topic_links__topic_id")
            .annotate(n=Count("pk"), reached=Sum(REACHED))
        )
        _add(counts, rows.order_by())
    return counts


def _add(counts: dict, rows) -> None:
    """Adds (key…, activities, reached) rows into {key: (activities, reached)}."""
    for *key, n, reached in rows:
        key = tuple(key) if len(key) > 1 else key[0]
        old_n, old_reached = counts.get(key, (0, 0))
        counts[key] = (old_n + n, old_reached + (reached or 0))


def by_topic(f: Filters, topics: list[Topic], cells: dict) -> list[dict]:
    """Activities and people reached per topic of the plan (an activity counts under each of
    its topics), from the unit × topic counts."""
    if f.plan is None:
        return []
    counts: dict[int, list[int]] = {}
    for (_unit_id, topic_id), (n, reached) in cells.items():
        total = counts.setdefault(topic_id, [0, 0])
        total[0] += n
        total[1] += reached
    return [
        {
            "topic_id": t.pk,
            "number": i,
            "label": t.title,
            "activities": counts.get(t.pk, (0, 0))[0],
            "reached": counts.get(t.pk, (0, 0))[1],
        }
        for i, t in enumerate(topics, start=1)
    ]


def by_audience(f: Filters) -> list[dict]:
    """People reached per audience group (an activity counts under each group it names).
    One query."""
    counts: dict[str, tuple[int, int]] = {}
    if f.months:
        rows = (
            f.tallied(AudienceTally)
            .values_list("audience")
            .annotate(n=Sum("activities"), reached=Sum("reached"))
        )
        _add(counts, rows.order_by())
    rest = f.rest()
    if rest is not None:
        rows = (
            ActivityAudience.objects.filter(activity__in=rest)
            .values_list("audience")
            .annotate(
                n=Count("activity_id"),
                reached=Sum(
                    F("activity__participants") + F("activity__listeners") + F("activity__views")
                ),
            )
        )
        _add(counts, rows.order_by())
    return [
        {
            "audience": code,
            "label": str(label),
            "activities": counts.get(code, (0, 0))[0],
            "reached": counts.get(code, (0, 0))[1],
        }
        for code, label in Audience.choices
    ]


def heat_map(f: Filters, topics: list[Topic], cells: dict) -> dict | None:
    """Units × topics of the chosen plan: activities in the range. One query (the units
    the plan assigns)."""
    if f.plan is None:
        return None
    from kehoach.activities.coverage import _ordered
    from kehoach.plans.models import AssignmentUnit

    counts = {key: n for key, (n, _reached) in cells.items()}
    targets = set(
        AssignmentUnit.objects.filter(assignment__plan=f.plan).values_list("unit_id", flat=True)
    )
    logged = {unit_id for unit_id, _topic in counts}
    units = _ordered([u for u in f.units if u.pk in targets or u.pk in logged])
    peak = max(counts.values(), default=0)
    return {
        "topics": [
            {"topic_id": t.pk, "number": i, "label": t.title} for i, t in enumerate(topics, start=1)
        ],
        "rows": [
            {
                "unit_id": u.pk,
                "unit": u.name,
                "cells": [counts.get((u.pk, t.pk), 0) for t in topics],
            }
            for u in units
        ],
        "max": peak,
        "empty_cells": sum(1 for u in units for t in topics if not counts.get((u.pk, t.pk))),
    }


def completeness(f: Filters) -> dict | None:
    """Reports expected, on time, late, missing and not yet due, per period of the plan, for
    the units counted (the reports app's own timeliness rule). One query."""
    if f.plan is None:
        return None
    from kehoach.reports.completeness import counts_of, percent, state_of
    from kehoach.reports.models import UnitReport

    unit_ids = {u.pk for u in f.units}
    due = {p.pk: p.due_date for p in f.periods}
    rows = UnitReport.objects.filter(period__plan=f.plan).values_list(
        "period_id", "unit_id", "first_submitted_on"
    )
    states: dict[int, list[str]] = {p.pk: [] for p in f.periods}
    for period_id, unit_id, first in rows.order_by():
        if unit_id not in unit_ids:
            continue
        states[period_id].append(state_of(first, due[period_id], f.today))

    def totals(values: list[str]) -> dict:
        result: dict = counts_of(values)
        expected = result["expected"]
        result["on_time_rate"] = percent(result["on_time"], expected)
        result["submitted_rate"] = percent(result["submitted"], expected)
        return result

    everything = [s for values in states.values() for s in values]
    return {
        "periods": [
            {
                "period_id": p.pk,
                "label": p.label,
                "start": p.start,
                "end": p.end,
                "due_date": p.due_date,
                **totals(states[p.pk]),
            }
            for p in f.periods
        ],
        "overall": totals(everything),
    }


def tasks_overdue(f: Filters) -> dict:
    """Open tasks past their due date today, per unit (of the plan when one is chosen). One
    query."""
    qs = f.in_subtree(Task.objects.for_user(f.user)).filter(
        status=TaskStatus.OPEN, due_date__lt=f.today
    )
    if f.plan is not None:
        qs = qs.filter(plan=f.plan)
    counts = dict(qs.values_list("unit_id").annotate(n=Count("pk")).order_by())
    rows = [
        {"unit_id": u.pk, "unit": u.name, "overdue": counts[u.pk]}
        for u in f.units
        if counts.get(u.pk)
    ]
    rows.sort(key=lambda r: -r["overdue"])
    return {"total": sum(counts.values()), "units": rows}


def concerns(f: Filters) -> dict:
    """Residents' concerns received in the range, open and overdue today. Three queries."""
    from kehoach.feedback.concern_figures import concern_figures

    figures = concern_figures(f.units_queryset(), f.start, f.end)
    return {
        "received": figures["received"],
        "open": figures["open"],
        "overdue": figures["overdue"],
        "open_hot_spots": figures["open_hot_spots"],
        "units": [
            {
                "unit_id": r["unit_id"],
                "unit": r["name"],
                "received": r["received"],
                "answered": r["answered"],
                "on_time": r["on_time"],
                "late": r["late"],
            }
            for r in figures["units"]
            if r["received"]
        ],
    }


def exemplars(f: Filters) -> dict:
    """Exemplars by stage (counted as the exemplars app counts them). One query."""
    from kehoach.exemplars.models import Stage
    from kehoach.feedback.dashboard import exemplars_by_stage

    figures = exemplars_by_stage(f.units_queryset(), f.start, f.end)
    return {
        "total": figures["total"],
        "stages": [
            {"stage": code, "label": str(label), "count": figures["by_stage"].get(code, 0)}
            for code, label in Stage.choices
        ],
    }


def content(f: Filters) -> dict:
    """Content items published in the range, per channel they went out on. One query."""
    from kehoach.content.models import ContentItem, ContentStatus, ContentTarget, Outlet
    from kehoach.feedback.concern_figures import _bounds

    since, until = _bounds(f.start, f.end)
    items = f.in_subtree(ContentItem.objects.for_user(f.user)).filter(
        status=ContentStatus.PUBLISHED, published_at__gte=since, published_at__lt=until
    )
    if f.plan is not None:
        items = items.filter(plan=f.plan)
    counts = dict(
        ContentTarget.objects.filter(item__in=items)
        .values_list("outlet")
        .annotate(n=Count("item_id"))
        .order_by()
    )
    return {
        "outlets": [
            {"outlet": code, "label": str(label), "count": counts.get(code, 0)}
            for code, label in Outlet.choices
        ],
        "total": sum(counts.values()),
    }


def targets(f: Filters) -> list[dict] | None:
    """Target progress from the indicators app, when it is there; None otherwise."""
    try:
        from kehoach.indicators.models import Indicator
        from kehoach.indicators.progress import progress_rows
    except ImportError:
        return None
    indicators = Indicator.objects.for_user(f.user)
    if f.unit is not None:
        ward_id = int(f.unit.path.strip("/").split("/")[0])
        indicators = indicators.filter(ward_id=ward_id)
    return progress_rows(indicators, f.today)


def dashboard(f: Filters) -> dict:
    """Every panel. Refuses people without the dashboard.view role."""
    policy.require(f.user, "dashboard.view")
    if f.use_tallies:
        tallies.flush()
    topics = (
        list(Topic.objects.filter(plan=f.plan).order_by("order", "pk").only("pk", "title"))
        if f.plan
        else []
    )
    time_series = over_time(f)
    cells = _unit_topic_counts(f)
    return {
        "filters": {
            "plan": f.plan.pk if f.plan else None,
            "period": f.period.pk if f.period else None,
            "unit": f.unit.pk if f.unit else None,
            "date_from": f.start,
            "date_to": f.end,
        },
        "activities": {
            "total": time_series["total"],
            "over_time": time_series,
            "by_channel": [
                {"channel": s["channel"], "label": s["label"], "activities": s["total"]}
                for s in time_series["series"]
            ],
            "by_topic": by_topic(f, topics, cells),
            "by_audience": by_audience(f),
        },
        "heat_map": heat_map(f, topics, cells),
        "completeness": completeness(f),
        "tasks_overdue": tasks_overdue(f),
        "concerns": concerns(f),
        "exemplars": exemplars(f),
        "content": content(f),
        "targets": targets(f),
    }


def allowed(user) -> bool:
    return policy.can(user, "dashboard.view")


__all__ = ["Filters", "allowed", "dashboard", "quarter_range", "quarters_around"]
