"""The board's summary report of a period: compiled from the accepted unit reports.

``compile_summary`` sums the accepted reports' figures (their snapshots, see
``kehoach.reports.figures``), gathers the units' narratives under each heading for editing
and proposes the number, recipients and signature; ``update_summary`` saves the
coordinator's edits (version check); ``approve_summary`` makes it final (a leader).
The official .docx is written by ``summary_document`` (the .xlsx is in summary_views).

The words of the document are Vietnamese, like the plan writer's: they are the official
text, not the interface.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.activities.models import OUTPUT_FIELDS, REACH_FIELDS, Audience, Channel
from kehoach.audit.context import acting_as
from kehoach.audit.recorder import remember
from kehoach.core.concurrency import StaleEdit
from kehoach.reports.models import (
    ReportingPeriod,
    ReportStatus,
    SummaryReport,
    SummaryStatus,
    UnitReport,
)

# The summary's text fields, in the order of the document.
NARRATIVE_FIELDS = ("leadership", "results", "assessment", "tasks_ahead", "proposals")
EDITABLE_FIELDS = (
    "number",
    "date",
    "title",
    *NARRATIVE_FIELDS,
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
)
TASK_KEYS = ("total", "done_on_time", "done_late", "pending", "overdue", "cancelled")
TIMELINESS_KEYS = ("expected", "submitted", "on_time", "late", "missing")
SIGNER_AUTHORITY = "T/M BAN THƯỜNG VỤ"
REPORT_NOTE = "để báo cáo"


# Figures.


def zero_unit() -> dict:
    return {
        "activities": 0,
        "reached": 0,
        "reach": {f: 0 for f in REACH_FIELDS},
        "outputs": {f: 0 for f in OUTPUT_FIELDS},
        "tasks": {k: 0 for k in TASK_KEYS},
    }


def _add(into: dict, figures: dict) -> None:
    into["activities"] += int(figures.get("activities", 0))
    into["reached"] += int(figures.get("reached", 0))
    for group in ("reach", "outputs", "tasks"):
        for key, value in (figures.get(group) or {}).items():
            if key in into[group]:
                into[group][key] += int(value or 0)


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _timeliness(period: ReportingPeriod) -> dict:
    from kehoach.reports.completeness import completeness_counts

    raw = completeness_counts(period)
    out = {key: raw[key] for key in TIMELINESS_KEYS}
    expected = out["expected"]
    for key in ("submitted", "on_time", "late", "missing"):
        out[f"{key}_rate"] = round(100 * out[key] / expected, 1) if expected else 0.0
    return out


def accepted_reports(period: ReportingPeriod) -> list[UnitReport]:
    return list(
        UnitReport.objects.filter(period=period, status=ReportStatus.ACCEPTED)
        .select_related("unit")
        .order_by("unit__path")
    )


def summary_figures(
    period: ReportingPeriod, reports: list[UnitReport] | None = None, digests: list | None = None
) -> dict:
    """The period's totals from the accepted unit reports, in a constant number of queries.
    `reports` and `digests` (the accepted units' opinion digests), if the caller has them.

    Each accepted report counts with the figures snapshotted when it was accepted; a report
    accepted without a snapshot (made directly in the database) counts with its live figures.
    """
    from kehoach.reports.figures import figures_for_units

    reports = accepted_reports(period) if reports is None else reports
    missing = [r.unit for r in reports if not r.figures]
    live = figures_for_units(missing, period) if missing else {}
    topics = list(period.plan.topics.order_by("order", "pk").values("pk", "order", "title"))
    by_topic = {t["pk"]: {"activities": 0, "reached": 0} for t in topics}
    by_order = {t["order"]: t["pk"] for t in topics}
    by_channel = {c: {"activities": 0, "reached": 0} for c in Channel.values}
    by_audience = {a: {"activities": 0, "reached": 0} for a in Audience.values}
    totals = zero_unit()
    units = []
    for report in reports:
        figures = report.figures or live.get(report.unit_id, {})
        row = zero_unit()
        _add(row, figures)
        _add(totals, figures)
        units.append({"unit_id": report.unit_id, "name": report.unit.name, **row})
        for item in figures.get("by_topic", []):
            pk = item.get("topic_id")
            if pk not in by_topic:
                pk = by_order.get(item.get("order"))
            if pk in by_topic:
                by_topic[pk]["activities"] += int(item.get("activities", 0))
                by_topic[pk]["reached"] += int(item.get("reached", 0))
        for key, into, bucket in (
            ("by_channel", by_channel, "channel"),
            ("by_audience", by_audience, "audience"),
        ):
            for item in figures.get(key, []):
                if item.get(bucket) in into:
                    into[item[bucket]]["activities"] += int(item.get("activities", 0))
                    into[item[bucket]]["reached"] += int(item.get("reached", 0))
    return {
        **_listening_figures(period, reports, topics, digests),
        "accepted": len(reports),
        "totals": totals,
        "units": units,
        "by_topic": [
            {"topic_id": t["pk"], "order": t["order"], "title": t["title"], **by_topic[t["pk"]]}
            for t in topics
        ],
        "by_channel": [{"channel": c, **v} for c, v in by_channel.items()],
        "by_audience": [{"audience": a, **v} for a, v in by_audience.items()],
        "timeliness": _timeliness(period),
        "compiled_at": timezone.now().isoformat(),
    }


def _listening_figures(
    period: ReportingPeriod, reports: list[UnitReport], topics: list[dict], digests: list | None
) -> dict:
    """Concerns and exemplars of the whole ward (the plan's unit and its subtree) in the
    period, and the accepted units' opinion digests. Constant queries."""
    from kehoach.feedback.concern_figures import concern_figures
    from kehoach.feedback.dashboard import exemplars_by_stage
    from kehoach.feedback.digests import opinion_figures
    from kehoach.org.models import Unit

    ward_units = Unit.objects.subtree_of(period.plan.unit).exclude(kind="external")
    return {
        "concerns": concern_figures(ward_units, period.start, period.end),
        "exemplars": exemplars_by_stage([period.plan.unit], period.start, period.end, subtree=True),
        "opinion": opinion_figures(period, [r.unit_id for r in reports], topics, digests),
    }


# Proposals for a new summary: subject, number, recipients, signature, narratives.


def plan_reference(plan) -> str:
    """``Kế hoạch số 12-KH/ĐU, ngày 20/5/2026 của Đảng ủy phường … về …``."""
    issuer = plan.issuing_unit or plan.unit
    if plan.number:
        words = f"Kế hoạch số {plan.number}"
        if plan.date:
            words += f", ngày {plan.date.day}/{plan.date.month}/{plan.date.year}"
        words += f" của {issuer.name}"
        title = plan.title.strip()
        if title and not title.lower().startswith("về "):
            title = f"về {title}"
        return f"{words} {title}".strip()
    # No number: "Kế hoạch tuyên truyền …".
    return f"Kế hoạch {plan.title.strip()}".strip()


def propose_subject(period: ReportingPeriod) -> str:
    return f"kết quả thực hiện {plan_reference(period.plan)} ({period.label})"


def propose_number(plan) -> str:
    from kehoach.documents.numbering import next_number, parse_number

    issuer_code = "ĐU"
    parsed = parse_number(plan.number) if plan.number else None
    if parsed is not None and parsed.family == "party":
        issuer_code = parsed.issuer
    existing = list(
        SummaryReport.objects.filter(period__plan__unit=plan.unit)
        .exclude(number="")
        .values_list("number", flat=True)
    )
    return next_number(existing, "BC", issuer_code, "party")


def propose_recipients(plan) -> list[dict]:
    """The superiors the plan reported to, "để báo cáo"; then the committee and the units."""
    superiors = [
        {"name": r.name, "note": REPORT_NOTE}
        for r in plan.recipients.all()
        if "bao cao" in _fold(r.note)
    ]
    if not superiors and plan.superior_text:
        superiors = [{"name": f"Ban Thường vụ {plan.superior_text.title()}", "note": REPORT_NOTE}]
    return [
        *superiors,
        {"name": "Các đồng chí Đảng ủy viên", "note": ""},
        {"name": "Các chi bộ, đảng bộ trực thuộc", "note": ""},
    ]


def _fold(text: str) -> str:
    from kehoach.core.text import fold

    return fold(text or "")


def gather_narratives(
    reports: list[UnitReport], digest_lines: list[str] | None = None
) -> dict[str, str]:
    """The units' words under the summary's headings: "- Unit: text" per unit; the units'
    opinion digests go under public opinion, after their reports' own words on it."""

    def lines(field: str) -> list[str]:
        out = []
        for report in reports:
            text = " ".join(getattr(report, field).split())
            if text:
                out.append(f"- {report.unit.name}: {text}")
        return out

    opinion = lines("opinion") + list(digest_lines or [])
    results = lines("results")
    if opinion:
        results += ["Tình hình tư tưởng, dư luận trong cán bộ, đảng viên và Nhân dân:", *opinion]
    limitations = lines("limitations")
    assessment = [
        "1. Ưu điểm",
        "2. Hạn chế",
        *limitations,
        "3. Nguyên nhân",
        "- Nguyên nhân khách quan:",
        "- Nguyên nhân chủ quan:",
        "4. Bài học kinh nghiệm",
    ]
    return {
        "leadership": "\n".join(lines("leadership")),
        "results": "\n".join(results),
        "assessment": "\n".join(assessment) if limitations else "",
        "tasks_ahead": "\n".join(lines("tasks_ahead")),
        "proposals": "\n".join(lines("proposals")),
    }


# Services.


def compile_summary(*, actor, period: ReportingPeriod) -> SummaryReport:
    """Create or refresh the period's summary.

    Figures are always recomputed; narratives are gathered only into empty fields, so the
    coordinator's edits survive a second compile. An approved summary is final.
    """
    policy.require(actor, "reports.compile", period)
    with transaction.atomic(), acting_as(actor):
        summary = SummaryReport.objects.select_for_update().filter(period=period).first()
        created = summary is None
        if created:
            summary = SummaryReport(period=period)
        elif summary.status == SummaryStatus.APPROVED:
            raise ValidationError(
                _("The summary report has been approved; it can no longer be changed.")
            )
        else:
            # The period and its plan the caller already holds: its audit entry and search
            # entry name them, and would read them again.
            summary.period = period
            remember(summary)
        plan = period.plan
        reports = accepted_reports(period)
        from kehoach.feedback.digests import digest_lines, unit_digests

        # Read once for the figures (tones, hot spots) and the narrative (their words).
        digests = unit_digests(period, [r.unit_id for r in reports])
        summary.figures = _json_safe(summary_figures(period, reports, digests))
        lines = digest_lines(period, digests=digests)
        for name, text in gather_narratives(reports, lines).items():
            if not getattr(summary, name).strip():
                setattr(summary, name, text)
        if not summary.number:
            summary.number = propose_number(plan)
        if not summary.title:
            summary.title = propose_subject(period)
        if summary.date is None:
            summary.date = timezone.localdate()
        if not summary.recipients:
            summary.recipients = propose_recipients(plan)
        if not summary.signer_authority:
            summary.signer_authority = SIGNER_AUTHORITY
            summary.signer_title = summary.signer_title or plan.signer_title
            summary.signer_name = summary.signer_name or plan.signer_name
        summary.compiled_by = actor
        if not created:
            summary.version += 1
        summary.save()
    return summary


def _clean_recipients(value) -> list[dict]:
    if isinstance(value, str):
        items = []
        for line in value.splitlines():
            line = line.strip().lstrip("-–+ ").rstrip(",;.").strip()
            if not line:
                continue
            name, note = line, ""
            for mark in ("(", "“", '"'):
                if line.endswith((")", "”", '"')) and mark in line:
                    head, _sep, tail = line.rpartition(mark)
                    name, note = head.strip(), tail.rstrip(')”"').strip()
                    break
            items.append({"name": name, "note": note})
        return items
    if not isinstance(value, list):
        raise ValidationError(_("The recipients are not in a readable form."))
    return [
        {"name": str(item.get("name", "")).strip(), "note": str(item.get("note", "")).strip()}
        for item in value
        if isinstance(item, dict) and str(item.get("name", "")).strip()
    ]


def update_summary(*, actor, summary: SummaryReport, changes: dict, version: int) -> SummaryReport:
    """Save the coordinator's edits; refused once approved or when based on an old version."""
    policy.require(actor, "reports.compile", summary)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic(), acting_as(actor):
        fresh = SummaryReport.objects.select_for_update().get(pk=summary.pk)
        if fresh.status == SummaryStatus.APPROVED:
            raise ValidationError(
                _("The summary report has been approved; it can no longer be changed.")
            )
        if int(version) != fresh.version:
            raise StaleEdit(
                _(
                    "Someone else saved this summary report after you opened it. Your text has "
                    "not been saved: copy it, reload the page and apply your changes again."
                )
            )
        for name, value in changes.items():
            if name == "recipients":
                value = _clean_recipients(value)
            elif name == "date":
                value = value or None
            elif isinstance(value, str):
                value = value.replace("\r\n", "\n").strip()
            setattr(fresh, name, value)
        fresh.version += 1
        fresh.save()
    return fresh


def approve_summary(*, actor, summary: SummaryReport) -> SummaryReport:
    """A leader approves: from now on the summary is final."""
    policy.require(actor, "reports.approve", summary)
    with transaction.atomic(), acting_as(actor):
        fresh = SummaryReport.objects.select_for_update().get(pk=summary.pk)
        if fresh.status == SummaryStatus.APPROVED:
            raise ValidationError(_("The summary report has already been approved."))
        if not fresh.number.strip():
            raise ValidationError(_("Give the summary report a number before approving it."))
        fresh.status = SummaryStatus.APPROVED
        fresh.approved_at = timezone.now()
        fresh.approved_by = actor
        fresh.version += 1
        fresh.save()
    return fresh


def request_pdf(*, actor, summary: SummaryReport):
    """Queues the PDF; the worker renders it after this transaction commits."""
    from kehoach.reports.models import SummaryExport
    from kehoach.reports.tasks import render_summary_pdf

    with transaction.atomic():
        export = SummaryExport.objects.create(summary=summary, fmt="pdf", requested_by=actor)
        transaction.on_commit(lambda: render_summary_pdf.enqueue(export.pk))
    return export
