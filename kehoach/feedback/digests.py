"""Opinion digests: a unit's aggregate account of public opinion for a reporting period.

``save_digest`` writes one (creating it on the first save) with a version check, so two
people editing the same digest never overwrite each other. The digest belongs to the unit's
report for the period: once that report has been submitted or accepted the digest is
frozen with it. The reads build the unit report's section and the coordinator's side-by-side
view of a ward's digests by topic (hot spots first).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.audit.context import acting_as
from kehoach.core.concurrency import StaleEdit
from kehoach.feedback.models import OpinionDigest, Tone
from kehoach.reports.models import ReportingPeriod, ReportStatus, UnitReport

TEXT_FIELDS = ("subjects", "problems", "proposals")
FIELDS = (*TEXT_FIELDS, "tones", "has_hot_spot")
# The unit report's states in which its digest can still change.
EDITABLE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
MAX_TEXT = 20_000


def stale_message() -> str:
    return _(
        "Someone else saved this opinion digest after you opened it. Your text has not been "
        "saved and nothing was overwritten: compare it with what was saved, then save again."
    )


def in_plan_scope(unit, period: ReportingPeriod) -> bool:
    """The unit lies in the subtree of the unit holding the period's plan."""
    return unit.path.startswith(period.plan.unit.path) and unit.kind != "external"


def report_for(unit, period: ReportingPeriod) -> UnitReport | None:
    return UnitReport.objects.filter(unit=unit, period=period).first()


def is_frozen(report: UnitReport | None) -> bool:
    """The digest is part of the unit's report: submitted or accepted, it no longer changes."""
    return report is not None and report.status not in EDITABLE_REPORT_STATUSES


def _clean_tones(value, period: ReportingPeriod) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError({"tones": [_("The tones are not in a readable form.")]})
    topic_ids = {str(pk) for pk in period.plan.topics.values_list("pk", flat=True)}
    tones: dict[str, str] = {}
    for key, tone in value.items():
        key = str(key)
        if key not in topic_ids:
            raise ValidationError({"tones": [_("A tone names a topic that is not in the plan.")]})
        if tone in (None, ""):
            continue
        if tone not in Tone.values:
            raise ValidationError({"tones": [_("A tone must be positive, mixed or negative.")]})
        tones[key] = tone
    return tones


def _clean(changes: dict, period: ReportingPeriod) -> dict:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    cleaned: dict = {}
    for name, value in changes.items():
        if name in TEXT_FIELDS:
            if not isinstance(value, str | None):
                raise ValidationError({name: [_("Enter text.")]})
            value = (value or "").replace("\r\n", "\n").strip()
            if len(value) > MAX_TEXT:
                raise ValidationError({name: [_("The text is too long.")]})
        elif name == "tones":
            value = _clean_tones(value, period)
        elif name == "has_hot_spot" and not isinstance(value, bool):
            raise ValidationError({name: [_("Answer yes or no.")]})
        cleaned[name] = value
    return cleaned


def save_digest(
    *, actor, unit, period: ReportingPeriod, changes: dict, version: int
) -> OpinionDigest:
    """Create or update the unit's digest for the period.

    `version` is the one the editor started from: 0 when there was no digest yet. When
    someone saved in between, StaleEdit is raised and nothing is written.
    """
    policy.require(actor, "opinion.write", OpinionDigest(unit=unit, period=period))
    if not in_plan_scope(unit, period):
        raise ValidationError(_("This unit does not report on this plan."))
    cleaned = _clean(changes, period)
    try:
        with transaction.atomic(), acting_as(actor):
            report = UnitReport.objects.select_for_update().filter(unit=unit, period=period).first()
            if is_frozen(report):
                raise ValidationError(
                    _(
                        "The unit's report for this period has been submitted; its opinion "
                        "digest can no longer be changed."
                    ),
                    code="frozen",
                )
            digest = (
                OpinionDigest.objects.select_for_update().filter(unit=unit, period=period).first()
            )
            current = digest.version if digest else 0
            if int(version) != current:
                raise StaleEdit(stale_message(), code="stale")
            if digest is None:
                digest = OpinionDigest(unit=unit, period=period, created_by=actor, version=1)
            else:
                digest.version += 1
            for name, value in cleaned.items():
                setattr(digest, name, value)
            digest.save()
    except IntegrityError:
        # Someone created the digest at the same moment.
        raise StaleEdit(stale_message(), code="stale") from None
    return digest


# Reads.


def digest_for(unit, period) -> OpinionDigest | None:
    return OpinionDigest.objects.filter(unit=unit, period=period).first()


def topics_of(period: ReportingPeriod) -> list:
    return list(period.plan.topics.order_by("order", "pk"))


def tone_row(digest: OpinionDigest | None, topics: list) -> list[dict]:
    """One mark per topic of the plan, in the plan's order: code and label (or None)."""
    labels = dict(Tone.choices)
    tones = (digest.tones if digest else None) or {}
    return [
        {
            "topic": topic,
            "tone": tones.get(str(topic.pk)),
            "label": labels.get(tones.get(str(topic.pk))),
        }
        for topic in topics
    ]


def edit_url(unit, period) -> str:
    return reverse("opinion:edit", kwargs={"period_id": period.pk, "unit_id": unit.pk})


def report_section(report: UnitReport, user) -> dict:
    """What the unit report shows of public opinion: the digest (read-only, with an edit link
    while the report is editable) and the period's concern and exemplar figures."""
    from kehoach.feedback.concern_figures import concern_figures
    from kehoach.feedback.dashboard import exemplars_by_stage

    unit, period = report.unit, report.period
    concerns = concern_figures([unit], period.start, period.end)
    exemplars = exemplars_by_stage([unit], period.start, period.end)
    digest = digest_for(unit, period)
    editable = report.status in EDITABLE_REPORT_STATUSES
    can_write = editable and policy.can(
        user, "opinion.write", OpinionDigest(unit=unit, period=period)
    )
    topics = topics_of(period)
    return {
        "digest": digest,
        "tones": tone_row(digest, topics),
        "edit_url": edit_url(unit, period),
        "can_write": can_write,
        "concerns": labelled_concerns(concerns),
        "exemplars": labelled_exemplars(exemplars),
    }


def labelled_concerns(figures: dict) -> dict:
    """The concern figures with the labels of their codes, for a page."""
    from kehoach.feedback.models import Category, Urgency

    categories = dict(Category.choices)
    urgencies = dict(Urgency.choices)
    return {
        **figures,
        "urgency_rows": [
            {"code": code, "label": urgencies.get(code, code), "value": value}
            for code, value in figures["by_urgency"].items()
        ],
        "topic_rows": [
            {**row, "label": row["topic_title"] or categories.get(row["category"], row["category"])}
            for row in figures["by_topic"]
        ],
    }


def labelled_exemplars(counts: dict) -> dict:
    from kehoach.exemplars.models import Stage

    labels = dict(Stage.choices)
    return {
        **counts,
        "stage_rows": [
            {"code": code, "label": labels.get(code, code), "value": value}
            for code, value in counts["by_stage"].items()
        ],
    }


def ward_digests(user, period: ReportingPeriod) -> dict:
    """The period's digests the person may see, side by side by topic, hot spots first; then
    the units that owe a report but have written no digest yet. Three queries."""
    topics = topics_of(period)
    digests = list(
        OpinionDigest.objects.for_user(user)
        .filter(period=period)
        .select_related("unit")
        .order_by("-has_hot_spot", "unit__path", "pk")
    )
    written = {d.unit_id for d in digests}
    missing = [
        r.unit
        for r in UnitReport.objects.for_user(user)
        .filter(period=period)
        .exclude(unit_id__in=written)
        .select_related("unit")
        .order_by("unit__path", "pk")
    ]
    rows = [{"digest": d, "unit": d.unit, "tones": tone_row(d, topics)} for d in digests]
    totals = []
    for index, topic in enumerate(topics):
        counts = dict.fromkeys(Tone.values, 0)
        for row in rows:
            tone = row["tones"][index]["tone"]
            if tone in counts:
                counts[tone] += 1
        totals.append({"topic": topic, **counts})
    return {
        "topics": topics,
        "rows": rows,
        "missing": missing,
        "totals": totals,
        "hot_spots": sum(1 for d in digests if d.has_hot_spot),
    }


def unit_digests(period: ReportingPeriod, unit_ids) -> list[OpinionDigest]:
    """The units' digests of the period with their units, hot spots first, in tree order:
    what opinion_figures and digest_lines read, for a caller that needs both."""
    return list(
        OpinionDigest.objects.filter(period=period, unit_id__in=list(unit_ids))
        .select_related("unit")
        .order_by("-has_hot_spot", "unit__path")
    )


def opinion_figures(
    period: ReportingPeriod,
    unit_ids,
    topics: list[dict] | None = None,
    digests: list[OpinionDigest] | None = None,
) -> dict:
    """For the summary: how many digests, how many report a hot spot, tones per topic.
    `topics`: the plan's topics as pk, order and title, and `digests`: the units' digests
    (unit_digests), if the caller has read them."""
    if topics is None:
        topics = list(period.plan.topics.order_by("order", "pk").values("pk", "order", "title"))
    if digests is None:
        rows = OpinionDigest.objects.filter(period=period, unit_id__in=list(unit_ids))
        marks = list(rows.values_list("tones", "has_hot_spot"))
    else:
        marks = [(digest.tones, digest.has_hot_spot) for digest in digests]
    by_topic = []
    for topic in topics:
        counts = dict.fromkeys(Tone.values, 0)
        for tones, _hot in marks:
            tone = (tones or {}).get(str(topic["pk"]))
            if tone in counts:
                counts[tone] += 1
        by_topic.append(
            {"topic_id": topic["pk"], "order": topic["order"], "title": topic["title"], **counts}
        )
    return {
        "digests": len(marks),
        "hot_spots": sum(1 for _tones, hot in marks if hot),
        "by_topic": by_topic,
    }


def digest_lines(
    period: ReportingPeriod, unit_ids=(), digests: list[OpinionDigest] | None = None
) -> list[str]:
    """The digests' words for the summary's public-opinion part, one line per unit (Vietnamese:
    the official text): the units' digests, or `digests` (unit_digests) if the caller has
    read them."""
    lines = []
    for digest in unit_digests(period, unit_ids) if digests is None else digests:
        parts = []
        if digest.subjects.strip():
            parts.append(" ".join(digest.subjects.split()).rstrip("."))
        if digest.problems.strip():
            parts.append("Vấn đề phát sinh: " + " ".join(digest.problems.split()).rstrip("."))
        if digest.proposals.strip():
            parts.append("Kiến nghị: " + " ".join(digest.proposals.split()).rstrip("."))
        if not parts:
            continue
        mark = " (có điểm nóng)" if digest.has_hot_spot else ""
        lines.append(f"- {digest.unit.name}{mark}: " + ". ".join(parts) + ".")
    return lines
