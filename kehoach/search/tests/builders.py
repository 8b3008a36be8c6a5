"""One record of each searchable kind, made directly: the index follows whatever path
saved them."""

from __future__ import annotations

import secrets
from datetime import date

from kehoach.activities.models import Activity
from kehoach.content.models import ContentItem
from kehoach.documents.models import SourceDocument
from kehoach.documents.registry import number_key
from kehoach.exemplars.models import Exemplar
from kehoach.feedback.models import Concern
from kehoach.plans.models import Citation, Plan, Topic
from kehoach.reports.models import ReportingPeriod, SummaryReport, UnitReport


def document(number: str = "58-CT/TW", title: str = "về tăng cường công tác tuyên truyền"):
    return SourceDocument.objects.create(
        number=number,
        number_key=number_key(number),
        doc_type="CT",
        issuer="Ban Bí thư",
        date=date(2026, 1, 10),
        title=title,
    )


def plan(unit, title: str = "tuyên truyền về chuyển đổi số", **extra) -> Plan:
    return Plan.objects.create(unit=unit, title=title, status="issued", **extra)


def topic(plan: Plan, title: str = "Tuyên truyền về Đảng ủy phường", **extra) -> Topic:
    return Topic.objects.create(plan=plan, title=title, **extra)


def cite(plan: Plan, doc: SourceDocument, topic: Topic | None = None) -> Citation:
    return Citation.objects.create(plan=plan, document=doc, topic=topic)


def activity(unit, description: str = "Họp chi bộ quán triệt nghị quyết", **extra) -> Activity:
    fields = {"channel": "meeting", "date": date(2026, 3, 2), "participants": 20}
    fields.update(extra)
    return Activity.objects.create(unit=unit, description=description, **fields)


def period(plan: Plan, label: str = "Tháng 3/2026") -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        plan=plan,
        kind="month",
        label=label,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        due_date=date(2026, 4, 15),
    )


def unit_report(period: ReportingPeriod, unit, results: str = "Tổ chức 3 buổi sinh hoạt"):
    return UnitReport.objects.create(period=period, unit=unit, results=results)


def summary(period: ReportingPeriod, results: str = "Toàn Đảng bộ tổ chức 40 hội nghị"):
    return SummaryReport.objects.create(period=period, number="15-BC/ĐU", results=results)


def concern(ward, unit, summary: str = "Đèn đường ngõ 12 Hàng Kênh bị hỏng", **extra):
    fields = {
        "ward": ward,
        "unit": unit,
        "source": "neighbourhood_meeting",
        "category": "urban_order",
        "summary": summary,
        "code": secrets.token_hex(4).upper(),
        "token": secrets.token_urlsafe(16),
    }
    fields.update(extra)
    return Concern.objects.create(**fields)


def exemplar(unit, name: str = "Mô hình Dân vận khéo ngõ xanh", **extra) -> Exemplar:
    fields = {
        "kind": "model",
        "field": "mass_mobilisation",
        "story": "Bà con cùng trồng cây, giữ ngõ sạch đẹp.",
        "year": 2026,
    }
    fields.update(extra)
    return Exemplar.objects.create(unit=unit, name=name, **fields)


def content(unit, title: str = "Bản tin về phòng cháy chữa cháy", **extra) -> ContentItem:
    fields = {
        "kind": "bulletin",
        "body": "Kính thưa bà con, mùa hanh khô đã đến.",
        "status": "draft",
    }
    fields.update(extra)
    return ContentItem.objects.create(unit=unit, title=title, slug=secrets.token_hex(6), **fields)
