"""The board's summary report of a period: compiled from the accepted unit reports.

``compile_summary`` sums the accepted reports' figures (their snapshots, see
``kehoach.reports.figures``), gathers the units' narratives under each heading for editing
and proposes the number, recipients and signature; ``update_summary`` saves the
coordinator's edits (version check); ``approve_summary`` makes it final (a leader).
``summary_document`` renders it as the official .docx (the .xlsx is in summary_views).

The words of the document are Vietnamese, like the plan writer's: they are the official
text, not the interface.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.activities.models import OUTPUT_FIELDS, REACH_FIELDS, Activity, Audience, Channel
from kehoach.audit.context import acting_as
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


def _zero_unit() -> dict:
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
    from kehoach.reports import services

    raw = services.completeness(period) or {}
    out = {key: int(raw.get(key, 0) or 0) for key in TIMELINESS_KEYS}
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


def summary_figures(period: ReportingPeriod, reports: list[UnitReport] | None = None) -> dict:
    """The period's totals from the accepted unit reports, in a constant number of queries.

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
    totals = _zero_unit()
    units = []
    for report in reports:
        figures = report.figures or live.get(report.unit_id, {})
        row = _zero_unit()
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
        **_listening_figures(period, reports, topics),
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
    period: ReportingPeriod, reports: list[UnitReport], topics: list[dict]
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
        "opinion": opinion_figures(period, [r.unit_id for r in reports], topics),
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
        plan = period.plan
        reports = accepted_reports(period)
        summary.figures = _json_safe(summary_figures(period, reports))
        from kehoach.feedback.digests import digest_lines

        lines = digest_lines(period, [r.unit_id for r in reports])
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


# Labels and the document.


def labels() -> dict[str, dict[str, str]]:
    """Vietnamese names of the figure codes (the official document is always Vietnamese)."""
    with translation.override("vi"):
        return {
            "channel": {c.value: str(c.label) for c in Channel},
            "audience": {a.value: str(a.label) for a in Audience},
            "output": {f: str(Activity._meta.get_field(f).verbose_name) for f in OUTPUT_FIELDS},
            "reach": {f: str(Activity._meta.get_field(f).verbose_name) for f in REACH_FIELDS},
        }


def export_filename(summary: SummaryReport) -> str:
    from django.utils.text import slugify

    base = _fold(f"bao cao {summary.number} {summary.period.label}")[:80]
    return slugify(base) or "bao-cao"


def summary_document(summary: SummaryReport, profile=None) -> bytes:
    """The summary report as the official .docx (Party format)."""
    from kehoach.documents.profiles import profile_from_settings
    from kehoach.documents.writer.report import render_report

    return render_report(build_report(summary), profile or profile_from_settings(family="party"))


def _n(value) -> str:
    from kehoach.documents.writer.report import vn_number

    return vn_number(value or 0)


def _results_blocks(figures: dict, names: dict) -> list:
    """Section II: the figures, in words and tables, then the units' own words."""
    from kehoach.documents.writer.report import Block

    totals = figures.get("totals") or _zero_unit()
    timeliness = figures.get("timeliness") or {}
    blocks = [Block("subheading", "1. Kết quả chung")]
    reach = totals["reach"]
    blocks.append(
        Block(
            "paragraph",
            f"Trong kỳ báo cáo, {_n(figures.get('accepted', 0))} đơn vị có báo cáo được duyệt "
            f"đã tổ chức {_n(totals['activities'])} hoạt động tuyên truyền, với "
            f"{_n(totals['reached'])} lượt người được tiếp cận (trong đó "
            f"{_n(reach['participants'])} lượt người tham dự trực tiếp, "
            f"{_n(reach['listeners'])} lượt người nghe, {_n(reach['views'])} lượt xem).",
        )
    )
    blocks.append(Block("subheading", "2. Kết quả theo từng nội dung tuyên truyền"))
    for index, topic in enumerate(figures.get("by_topic", []), 1):
        blocks.append(
            Block(
                "bullet",
                f"Nội dung {index} ({topic['title'].rstrip('.')}): "
                f"{_n(topic['activities'])} hoạt động, {_n(topic['reached'])} lượt người.",
            )
        )
    blocks.append(Block("subheading", "3. Kết quả theo đơn vị"))
    rows = [["TT", "Đơn vị", "Số hoạt động", "Lượt người", "Nhiệm vụ hoàn thành"]]
    for index, unit in enumerate(figures.get("units", []), 1):
        done = unit["tasks"]["done_on_time"] + unit["tasks"]["done_late"]
        rows.append(
            [
                str(index),
                unit["name"],
                _n(unit["activities"]),
                _n(unit["reached"]),
                f"{_n(done)}/{_n(unit['tasks']['total'])}",
            ]
        )
    done = totals["tasks"]["done_on_time"] + totals["tasks"]["done_late"]
    rows.append(
        [
            "",
            "Tổng cộng",
            _n(totals["activities"]),
            _n(totals["reached"]),
            f"{_n(done)}/{_n(totals['tasks']['total'])}",
        ]
    )
    blocks.append(
        Block(
            "table",
            rows=rows,
            widths_mm=[11.0, 70.0, 26.0, 28.0, 28.0],
            numeric=(2, 3, 4),
            centred=(0,),
            bold_last_row=True,
        )
    )
    blocks.append(Block("subheading", "4. Theo hình thức tuyên truyền"))
    used = [c for c in figures.get("by_channel", []) if c["activities"]]
    for item in used:
        blocks.append(
            Block(
                "bullet",
                f"{names['channel'].get(item['channel'], item['channel'])}: "
                f"{_n(item['activities'])} hoạt động, {_n(item['reached'])} lượt người.",
            )
        )
    if not used:
        blocks.append(Block("bullet", "Chưa có hoạt động được ghi nhận."))
    audiences = [a for a in figures.get("by_audience", []) if a["activities"]]
    if audiences:
        blocks.append(Block("subheading", "5. Theo đối tượng tuyên truyền"))
        for item in audiences:
            blocks.append(
                Block(
                    "bullet",
                    f"{names['audience'].get(item['audience'], item['audience'])}: "
                    f"{_n(item['activities'])} hoạt động, {_n(item['reached'])} lượt người.",
                )
            )
    number = 6 if audiences else 5
    outputs = [f"{_n(v)} {names['output'][k]}" for k, v in totals["outputs"].items() if v]
    blocks.append(Block("subheading", f"{number}. Sản phẩm tuyên truyền"))
    blocks.append(
        Block("paragraph", ("Đã thực hiện " + ", ".join(outputs) + ".") if outputs else "Không có.")
    )
    tasks = totals["tasks"]
    blocks.append(Block("subheading", f"{number + 1}. Thực hiện nhiệm vụ được giao"))
    blocks.append(
        Block(
            "paragraph",
            f"Tổng số {_n(tasks['total'])} nhiệm vụ: hoàn thành đúng hạn "
            f"{_n(tasks['done_on_time'])}, hoàn thành chậm {_n(tasks['done_late'])}, đang "
            f"thực hiện trong hạn {_n(tasks['pending'])}, quá hạn chưa hoàn thành "
            f"{_n(tasks['overdue'])}, không thực hiện (hủy) {_n(tasks['cancelled'])}.",
        )
    )
    blocks.append(Block("subheading", f"{number + 2}. Việc thực hiện chế độ báo cáo"))
    blocks.append(
        Block(
            "paragraph",
            f"Có {_n(timeliness.get('expected', 0))} đơn vị phải báo cáo; "
            f"{_n(timeliness.get('submitted', 0))} đơn vị đã báo cáo "
            f"({_n(timeliness.get('on_time', 0))} đúng hạn, {_n(timeliness.get('late', 0))} "
            f"chậm), {_n(timeliness.get('missing', 0))} đơn vị chưa báo cáo. Tỷ lệ báo cáo "
            f"đúng hạn đạt {_n(float(timeliness.get('on_time_rate', 0)))}%.",
        )
    )
    blocks += _listening_blocks(figures, number + 3)
    return blocks


def _hours(value) -> str:
    return "—" if value is None else _n(float(value))


def _listening_blocks(figures: dict, number: int) -> list:
    """Public opinion and residents' concerns; exemplars by stage (summaries compiled before
    these figures existed have none: nothing is printed)."""
    from kehoach.documents.writer.report import Block
    from kehoach.exemplars.models import Stage
    from kehoach.feedback.models import Category

    blocks = []
    concerns, opinion = figures.get("concerns"), figures.get("opinion")
    if concerns is not None or opinion is not None:
        blocks.append(
            Block(
                "subheading",
                f"{number}. Tình hình tư tưởng, dư luận; tiếp nhận, giải quyết tâm tư, "
                "nguyện vọng của Nhân dân",
            )
        )
        number += 1
    if opinion is not None:
        blocks.append(
            Block(
                "paragraph",
                f"Có {_n(opinion['digests'])} đơn vị nắm, tổng hợp tình hình tư tưởng, dư luận "
                f"trong kỳ; {_n(opinion['hot_spots'])} đơn vị phản ánh có điểm nóng.",
            )
        )
    if concerns is not None:
        totals = concerns["totals"]
        urgency = concerns["by_urgency"]
        rate = totals.get("on_time_rate")
        blocks.append(
            Block(
                "paragraph",
                f"Tiếp nhận {_n(concerns['received'])} vụ việc, ý kiến của Nhân dân (trong đó "
                f"{_n(urgency.get('hot_spot', 0))} vụ việc điểm nóng, "
                f"{_n(urgency.get('attention', 0))} vụ việc cần quan tâm); đã trả lời "
                f"{_n(totals['answered'])} vụ việc, đúng hạn {_n(totals['on_time'])}, chậm "
                f"{_n(totals['late'])}"
                + (f" (tỷ lệ đúng hạn {_n(float(rate))}%)" if rate is not None else "")
                + ". Thời gian tiếp nhận trung bình "
                f"{_hours(concerns['acknowledge_hours']['average'])} giờ (trung vị "
                f"{_hours(concerns['acknowledge_hours']['median'])} giờ); thời gian trả lời "
                f"trung bình {_hours(concerns['answer_hours']['average'])} giờ (trung vị "
                f"{_hours(concerns['answer_hours']['median'])} giờ). Hiện còn "
                f"{_n(concerns['open'])} vụ việc đang giải quyết, trong đó "
                f"{_n(concerns['overdue'])} vụ việc quá hạn.",
            )
        )
        with translation.override("vi"):
            categories = {c.value: str(c.label) for c in Category}
        for row in concerns.get("by_topic", []):
            label = row.get("topic_title") or categories.get(row["category"], row["category"])
            blocks.append(
                Block(
                    "bullet",
                    f"{label.rstrip('.')}: {_n(row['open'])} vụ việc đang giải quyết, "
                    f"{_n(row['overdue'])} quá hạn.",
                )
            )
    exemplars = figures.get("exemplars")
    if exemplars is not None:
        stages = exemplars["by_stage"]
        blocks.append(Block("subheading", f"{number}. Phát hiện, biểu dương điển hình tiên tiến"))
        blocks.append(
            Block(
                "paragraph",
                f"Các đơn vị đề xuất {_n(exemplars['total'])} điển hình tiên tiến, mô hình hay "
                f"(đang xem xét {_n(stages.get(Stage.NOMINATED, 0))}, trả lại bổ sung "
                f"{_n(stages.get(Stage.RETURNED, 0))}, đã thẩm định "
                f"{_n(stages.get(Stage.VERIFIED, 0))}, đã khen thưởng "
                f"{_n(stages.get(Stage.COMMENDED, 0))}, đã tuyên truyền nhân rộng "
                f"{_n(stages.get(Stage.PROMOTED, 0))}).",
            )
        )
    return blocks


def build_report(summary: SummaryReport):
    """The summary as the writer's input: words, figures and the units' narratives."""
    from kehoach.documents.writer.report import Block, ReportSection, ResultsReport
    from kehoach.plans.importer.result import Recipient, Signature

    period = summary.period
    plan = period.plan
    figures = summary.figures or {}
    names = labels()

    def text(value: str) -> list:
        return [Block("text", value)] if value.strip() else []

    reference = plan_reference(plan)
    results = _results_blocks(figures, names)
    if summary.results.strip():
        results += [Block("subheading", "Kết quả cụ thể tại các đơn vị"), *text(summary.results)]
    return ResultsReport(
        family="party",
        number=summary.number or None,
        superior=plan.superior_text,
        issuer=plan.issuer_text or (plan.issuing_unit or plan.unit).name.upper(),
        place=plan.place,
        date=summary.date,
        subject=summary.title or propose_subject(period),
        opening=[
            f"Thực hiện {reference}, Ban Thường vụ Đảng ủy báo cáo kết quả thực hiện "
            f"{period.label[:1].lower()}{period.label[1:]}"
            f" (từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}) như sau:"
        ],
        sections=[
            ReportSection(
                "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, QUÁN TRIỆT, TUYÊN TRUYỀN", text(summary.leadership)
            ),
            ReportSection("KẾT QUẢ THỰC HIỆN", results),
            ReportSection("ĐÁNH GIÁ CHUNG", text(summary.assessment)),
            ReportSection("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", text(summary.tasks_ahead)),
            ReportSection("ĐỀ XUẤT, KIẾN NGHỊ", text(summary.proposals)),
        ],
        closing=f"Trên đây là báo cáo kết quả thực hiện {reference}./.",
        recipients=[Recipient(name=r["name"], note=r.get("note", "")) for r in summary.recipients],
        signature=Signature(
            authority=summary.signer_authority,
            title=summary.signer_title,
            name=summary.signer_name,
        ),
    )
