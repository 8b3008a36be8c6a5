"""Exemplar figures for unit reports, the summary report and the dashboard.

An exemplar counts in a period when something happened to it within the period: it was
nominated, verified, commended or promoted then. It is counted under its current stage.
One query, whatever the number of units and exemplars.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kehoach.exemplars.models import Exemplar, Stage
from kehoach.org.models import Unit

TOTAL = "total"


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware datetimes in the local time zone: [start 00:00, end+1 00:00)."""
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return low, high


def in_period(start: dt.date, end: dt.date) -> Q:
    low, high = _bounds(start, end)
    return (
        Q(created_at__gte=low, created_at__lt=high)
        | Q(verified_at__gte=low, verified_at__lt=high)
        | Q(commended_on__gte=start, commended_on__lte=end)
        | Q(promoted_at__gte=low, promoted_at__lt=high)
    )


def empty_counts() -> dict[str, int]:
    return {**dict.fromkeys(Stage.values, 0), TOTAL: 0}


def stage_counts(units: Iterable[Unit] | QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """`exemplar_counts` summed over the units (their own exemplars, not their subtrees'),
    in one grouped query: a city's 6,000 units need no row each."""
    ids = units.values("pk") if isinstance(units, QuerySet) else [u.pk for u in units]
    result = empty_counts()
    rows = (
        Exemplar.objects.filter(in_period(start, end), unit_id__in=ids)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for stage, n in rows:
        result[stage] += n
        result[TOTAL] += n
    return result


def exemplar_counts(
    units: Iterable[Unit], start: dt.date, end: dt.date, *, subtree: bool = False
) -> dict[int, dict[str, int]]:
    """{unit id: {stage: count, ..., "total": count}} for every unit given (zeros included).

    With `subtree=True` a unit's figures include the exemplars of the units under it.
    """
    units = list(units)
    result = {unit.pk: empty_counts() for unit in units}
    if not units:
        return result
    exemplars = Exemplar.objects.filter(in_period(start, end))
    if subtree:
        scope = Q()
        for unit in units:
            scope |= Q(unit__path__startswith=unit.path)
        rows = exemplars.filter(scope).values_list("unit__path", "stage").annotate(n=Count("pk"))
        for path, stage, n in rows.order_by():
            for unit in units:
                if path.startswith(unit.path):
                    result[unit.pk][stage] += n
                    result[unit.pk][TOTAL] += n
        return result
    rows = (
        exemplars.filter(unit_id__in=list(result))
        .values_list("unit_id", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, stage, n in rows:
        result[unit_id][stage] += n
        result[unit_id][TOTAL] += n
    return result
