"""Progress of a target against its path, and the status it earns.

The target path
    The baseline is the value at the end of the baseline year (31/12). Each year's target
    is the value to reach by the end of that year. Between two such points the path is a
    straight line by date, so within a year it rises (or falls) day by day. Years without
    a target are bridged by the line between their neighbours. Before the end of the
    baseline year the path is the baseline; after the last target year it stays at the
    last target.

Status of the latest measurement (measured on or before `today`)
    progress so far = how far the value has moved from the baseline, in the better
    direction, as a share of how far the path has moved by the measurement's date:

    - on_track:  at least 100% of the path's progress so far;
    - at_risk:   at least 90%;
    - off_track: below 90%;
    - no_data:   no measurement yet.

    Where the path asks for no movement yet (the measurement falls in the baseline year,
    or the target holds the baseline level), the value is compared with the path value
    itself: value / path (higher is better) or path / value (lower is better), with the
    same thresholds; if that ratio cannot be formed (a zero), the status is on_track when
    the value is at least as good as the path and off_track otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kehoach.indicators.models import Direction, Indicator, Measurement, Target

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"

ON_TRACK_FROM = Decimal(100)
AT_RISK_FROM = Decimal(90)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Point:
    on: date
    value: Decimal


def path_points(baseline: Decimal, baseline_year: int, targets: Iterable) -> list[Point]:
    """The corners of the path: the baseline at the end of its year, then each later target
    at the end of its year. `targets` holds Target objects or (year, value) pairs."""
    pairs = sorted(
        (t.year, t.value) if isinstance(t, Target) else (int(t[0]), Decimal(t[1])) for t in targets
    )
    points = [Point(date(baseline_year, 12, 31), Decimal(baseline))]
    points += [
        Point(date(year, 12, 31), Decimal(value)) for year, value in pairs if year > baseline_year
    ]
    return points


def value_on(points: list[Point], on: date) -> Decimal:
    """The path's value on a date."""
    if on <= points[0].on:
        return points[0].value
    for before, after in zip(points, points[1:], strict=False):
        if on <= after.on:
            span = (after.on - before.on).days
            share = Decimal((on - before.on).days) / Decimal(span)
            return before.value + (after.value - before.value) * share
    return points[-1].value


def _better_or_equal(direction: str, value: Decimal, than: Decimal) -> bool:
    return value <= than if direction == Direction.LOWER else value >= than


def progress_pct(
    direction: str, baseline: Decimal, path_value: Decimal, value: Decimal
) -> Decimal | None:
    """The share (in %) of the path's progress so far that the value has achieved."""
    sign = Decimal(-1) if direction == Direction.LOWER else Decimal(1)
    required = (path_value - baseline) * sign
    achieved = (value - baseline) * sign
    if required > 0:
        return achieved / required * _HUNDRED
    # No movement asked for yet: compare with the level itself.
    numerator, denominator = (path_value, value) if sign < 0 else (value, path_value)
    if denominator > 0 and numerator >= 0:
        return numerator / denominator * _HUNDRED
    return None


def status_for(direction: str, baseline: Decimal, path_value: Decimal, value) -> str:
    if value is None:
        return NO_DATA
    pct = progress_pct(direction, baseline, path_value, value)
    if pct is None:
        return ON_TRACK if _better_or_equal(direction, value, path_value) else OFF_TRACK
    if pct >= ON_TRACK_FROM:
        return ON_TRACK
    if pct >= AT_RISK_FROM:
        return AT_RISK
    return OFF_TRACK


def _row(indicator: Indicator, targets: list, latest: Measurement | None, today: date) -> dict:
    points = path_points(indicator.baseline, indicator.baseline_year, targets)
    on = latest.as_of if latest else today
    path_value = value_on(points, on)
    value = latest.value if latest else None
    pct = None
    if value is not None:
        pct = progress_pct(indicator.direction, indicator.baseline, path_value, value)
    this_year = next((t.value for t in targets if t.year == today.year), None)
    return {
        "indicator_id": indicator.pk,
        "name": indicator.name,
        "measure": indicator.measure,
        "programme": indicator.programme,
        "latest": value,
        "latest_as_of": latest.as_of if latest else None,
        "target": this_year,
        "path_value": path_value.quantize(Decimal("0.0001")),
        "progress_pct": pct.quantize(Decimal("0.1")) if pct is not None else None,
        "status": status_for(indicator.direction, indicator.baseline, path_value, value),
        "is_example": indicator.is_example,
    }


def progress_rows(indicators, today: date) -> list[dict]:
    """One row per indicator, in their order. Three queries at most whatever the number of
    indicators (one to read a queryset, one for targets, one for measurements).

    `path_value` is the path's value on the latest measurement's date (the value it is
    judged against), or on `today` when there is none; `target` is this year's target.
    Measurements dated after `today` are ignored.
    """
    indicators = list(indicators)
    ids = [i.pk for i in indicators]
    if not ids:
        return []
    targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(indicator_id__in=ids).order_by("year"):
        targets.setdefault(target.indicator_id, []).append(target)
    latest: dict[int, Measurement] = {}
    measurements = Measurement.objects.filter(indicator_id__in=ids, as_of__lte=today).order_by(
        "indicator_id", "-as_of", "-pk"
    )
    for measurement in measurements.only("indicator_id", "as_of", "value"):
        latest.setdefault(measurement.indicator_id, measurement)
    return [_row(i, targets.get(i.pk, []), latest.get(i.pk), today) for i in indicators]


def progress_row(indicator: Indicator, today: date) -> dict:
    return progress_rows([indicator], today)[0]
