"""The summary report as the official .docx (Party format): the writer's input built from the
compiled summary (``build_report``), the document, its file name and the figures' names.

The words of the document are Vietnamese, like the plan writer's: they are the official
text, not the interface.
"""

from __future__ import annotations

from django.utils import translation

from kehoach.activities.models import OUTPUT_FIELDS, REACH_FIELDS, Activity, Audience, Channel
from kehoach.core.text import fold
from kehoach.reports.models import SummaryReport
from kehoach.reports.summary import plan_reference, propose_subject, zero_unit


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

    base = fold(f"bao cao {summary.number} {summary.period.label}")[:80]
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

    totals = figures.get("totals") or zero_unit()
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
