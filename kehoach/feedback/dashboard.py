"""What the dashboard will show of listening and recognising, for one ward: read-only.

``dashboard_data(ward)`` composes the concern figures (this year up to today), exemplars by
stage and the latest period's opinion digests (tones by topic, hot spots) in a constant
number of queries. ``exemplars_by_stage`` is also what the reports use.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from kehoach.exemplars.models import Stage
from kehoach.feedback.concern_figures import concern_figures


def exemplars_by_stage(units: Iterable, start: date, end: date, *, subtree: bool = False) -> dict:
    """{"total": n, "by_stage": {stage: n}} summed over the units, counted as the exemplars
    app counts them (`kehoach.exemplars.figures.exemplar_counts`)."""
    from kehoach.exemplars.figures import TOTAL, exemplar_counts, stage_counts

    if not subtree:
        counts = stage_counts(units, start, end)
        return {"total": counts[TOTAL], "by_stage": {s: counts[s] for s in Stage.values}}
    by_stage = dict.fromkeys(Stage.values, 0)
    total = 0
    for counts in exemplar_counts(units, start, end, subtree=subtree).values():
        total += counts.get(TOTAL, 0)
        for stage in by_stage:
            by_stage[stage] += counts.get(stage, 0)
    return {"total": total, "by_stage": by_stage}


def dashboard_data(ward, today: date | None = None) -> dict:
    """The ward's figures: concerns and exemplars this year, the latest digests."""
    from kehoach.feedback.digests import opinion_figures
    from kehoach.feedback.models import OpinionDigest
    from kehoach.org.models import Unit

    today = today or timezone.localdate()
    year_start = date(today.year, 1, 1)
    units = list(Unit.objects.subtree_of(ward).exclude(kind="external").only("pk", "name"))
    unit_ids = [u.pk for u in units]
    latest = (
        OpinionDigest.objects.filter(unit_id__in=unit_ids, period__start__lte=today)
        .select_related("period", "period__plan")
        .order_by("-period__start", "-period_id")
        .first()
    )
    opinion = None
    if latest is not None:
        period = latest.period
        hot = list(
            OpinionDigest.objects.filter(period=period, unit_id__in=unit_ids, has_hot_spot=True)
            .order_by("unit__path")
            .values_list("unit__name", flat=True)
        )
        opinion = {
            "period_id": period.pk,
            "period": period.label,
            **opinion_figures(period, unit_ids),
            "hot_spot_units": hot,
        }
    return {
        "ward_id": ward.pk,
        "from": year_start.isoformat(),
        "to": today.isoformat(),
        "concerns": concern_figures(units, year_start, today),
        "exemplars": exemplars_by_stage([ward], year_start, today, subtree=True),
        "opinion": opinion,
    }
