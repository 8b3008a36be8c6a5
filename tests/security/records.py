"""Two wards with one record of every kind each, for the authorization matrix.

Ward A (world.ward) holds its records under `cell1`, plus a few private records of `cell2`;
ward B (world.other_ward) holds the same under `other_cell`. Every text of ward B carries
MARK_B and every private text of cell2 carries MARK_CELL2, so a leak shows up as the
marker in a response body, whatever the page or export.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from kehoach.accounts.models import Role, User
from kehoach.activities.models import Activity, ActivityTopic, Evidence, Notification, Task
from kehoach.content.models import (
    Broadcast,
    BroadcastSlot,
    BroadcastStation,
    ContentItem,
    ContentMedia,
    ContentTarget,
)
from kehoach.core.testing import World, make_user
from kehoach.documents.models import SourceDocument
from kehoach.documents.registry import number_key
from kehoach.exemplars.models import Exemplar, ExemplarPhoto
from kehoach.feedback.models import Concern, ConcernAttachment, OpinionDigest
from kehoach.indicators.models import Indicator, Measurement, Target
from kehoach.org.models import Unit
from kehoach.plans import services as plan_services
from kehoach.plans.models import Plan, PlanExport, PlanImport
from kehoach.plans.tests.builders import stage
from kehoach.reports.models import ReportingPeriod, SummaryExport, SummaryReport, UnitReport

MARK_B = "BIMATPHUONGB"
MARK_CELL2 = "RIENGCHIBOHAI"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class Side:
    """One ward's records. `unit` is the unit that owns them (cell1 or other_cell)."""

    ward: Unit
    unit: Unit
    plan: Plan
    plan_import: PlanImport
    topic: object
    duty: object
    task: Task
    activity: Activity
    evidence: Evidence
    period: ReportingPeriod
    report: UnitReport
    summary: SummaryReport
    exemplar: Exemplar
    photo: ExemplarPhoto
    concern: Concern
    attachment: ConcernAttachment
    item: ContentItem
    media: ContentMedia
    station: BroadcastStation
    broadcast: Broadcast
    indicator: Indicator
    notification: Notification
    digest: OpinionDigest
    extra: dict = field(default_factory=dict)


@dataclass
class Records:
    a: Side
    b: Side
    personas: dict[str, User | None]


def _side(ward: Unit, unit: Unit, coordinator: User, head: User, mark: str, n: int) -> Side:
    plan = plan_services.save_import(actor=coordinator, staged=stage(ward, coordinator))
    Plan.objects.filter(pk=plan.pk).update(title=f"{plan.title} {mark}")
    plan.refresh_from_db()
    plan_import = stage(ward, coordinator)
    topic = plan.topics.order_by("order").first()
    duty = plan.assignments.first().duties.first()
    task = Task.objects.create(plan=plan, unit=unit, title=f"Nhiệm vụ {mark}", duty=duty)
    today = timezone.localdate()
    activity = Activity.objects.create(
        unit=unit,
        plan=plan,
        task=task,
        date=today - timedelta(days=3),
        channel="meeting",
        participants=30,
        description=f"Sinh hoạt chi bộ {mark}",
        created_by=head,
    )
    ActivityTopic.objects.create(activity=activity, topic=topic)
    evidence = Evidence(
        activity=activity,
        kind="photo",
        original_name=f"anh-{mark}.png",
        content_type="image/png",
        size=100,
    )
    evidence.file.save(f"ev-{n}.png", ContentFile(_png()), save=False)
    evidence.save()
    period = ReportingPeriod.objects.create(
        plan=plan,
        kind="month",
        label=f"Tháng {today.month}/{today.year}",
        start=today.replace(day=1),
        end=today.replace(day=1) + timedelta(days=27),
        due_date=today + timedelta(days=20),
    )
    report = UnitReport.objects.create(period=period, unit=unit, results=f"Kết quả {mark}")
    summary = SummaryReport.objects.create(period=period, title=f"Tổng hợp {mark}")
    exemplar = Exemplar.objects.create(
        unit=unit,
        kind="model",
        field="culture",
        name=f"Mô hình {mark}",
        story=f"Câu chuyện {mark}",
        year=today.year,
        created_by=head,
    )
    photo = ExemplarPhoto(exemplar=exemplar, original_name="anh.png", content_type="image/png")
    photo.file.save(f"ex-{n}.png", ContentFile(_png()), save=False)
    photo.save()
    concern = Concern.objects.create(
        ward=ward,
        unit=unit,
        source="cell_meeting",
        category="environment",
        summary=f"Đèn đường hỏng {mark}",
        code=f"YK-{n:04d}",
        token=f"token-{mark.lower()}-{n}",
        wants_answer=True,
        resident_name=f"Nguyễn Văn {mark}",
        resident_contact="0912345678",
    )
    attachment = ConcernAttachment(
        concern=concern, original_name="anh.png", content_type="image/png"
    )
    attachment.file.save(f"yk-{n}.png", ContentFile(_png()), save=False)
    attachment.save()
    item = ContentItem.objects.create(
        unit=unit,
        kind="news",
        title=f"Tin {mark}",
        body=f"Nội dung {mark}",
        slug=f"tin-{mark.lower()}-{n}",
        plan=plan,
        created_by=head,
    )
    ContentTarget.objects.create(item=item, outlet="portal")
    media = ContentMedia(item=item, kind="image", original_name="anh.png", content_type="image/png")
    media.file.save(f"ct-{n}.png", ContentFile(_png()), save=False)
    media.save()
    station = BroadcastStation.objects.create(ward=ward, name=f"Cụm loa {mark}")
    slot = BroadcastSlot.objects.create(station=station, name="Sáng", starts_at=time(6, 0))
    broadcast = Broadcast.objects.create(slot=slot, date=today, item=item)
    indicator = Indicator.objects.create(
        ward=ward,
        programme="Chương trình hành động 20-CTr/TU",
        name=f"Chỉ tiêu {mark}",
        measure="%",
        baseline=Decimal("10"),
        baseline_year=today.year - 1,
        responsible=unit,
    )
    Target.objects.create(indicator=indicator, year=today.year, value=Decimal("13"))
    Measurement.objects.create(
        indicator=indicator,
        period_label="Quý I",
        as_of=today.replace(month=1, day=31),
        value=Decimal("11"),
        source=f"Thống kê {mark}",
    )
    notification = Notification.objects.create(user=head, text=f"Thông báo {mark}", link="/")
    digest = OpinionDigest.objects.create(unit=unit, period=period)
    extra = {
        "plan_export": PlanExport.objects.create(plan=plan, requested_by=coordinator),
        "summary_export": SummaryExport.objects.create(summary=summary, requested_by=coordinator),
        "document": plan.citations.select_related("document").first().document
        if plan.citations.exists()
        else SourceDocument.objects.get_or_create(
            number_key=number_key("58-CT/TW"), defaults={"number": "58-CT/TW"}
        )[0],
    }
    return Side(
        ward=ward,
        unit=unit,
        plan=plan,
        plan_import=plan_import,
        topic=topic,
        duty=duty,
        task=task,
        activity=activity,
        evidence=evidence,
        period=period,
        report=report,
        summary=summary,
        exemplar=exemplar,
        photo=photo,
        concern=concern,
        attachment=attachment,
        item=item,
        media=media,
        station=station,
        broadcast=broadcast,
        indicator=indicator,
        notification=notification,
        digest=digest,
        extra=extra,
    )


def _cell2_private(world: World, plan: Plan) -> None:
    """Records of cell2 that a cell1 person must never see."""
    Activity.objects.create(
        unit=world.cell2,
        plan=plan,
        date=timezone.localdate() - timedelta(days=2),
        channel="oral",
        participants=12,
        description=f"Tuyên truyền miệng {MARK_CELL2}",
    )
    Concern.objects.create(
        ward=world.ward,
        unit=world.cell2,
        source="visit",
        category="other",
        summary=f"Kiến nghị {MARK_CELL2}",
        code="YK-9002",
        token="token-cell2",
    )
    Exemplar.objects.create(
        unit=world.cell2,
        kind="individual",
        field="social",
        name=f"Gương {MARK_CELL2}",
        story="…",
        year=date.today().year,
    )
    ContentItem.objects.create(
        unit=world.cell2, kind="news", title=f"Bản nháp {MARK_CELL2}", slug="ban-nhap-cell2"
    )


def build_records(world: World) -> Records:
    coordinator_b = make_user("dieuphoi-b", unit=world.other_ward, role=Role.COORDINATOR)
    a = _side(world.ward, world.cell1, world.coordinator, world.secretary, "PHUONGA", 1)
    b = _side(world.other_ward, world.other_cell, coordinator_b, world.outsider, MARK_B, 2)
    _cell2_private(world, a.plan)
    personas: dict[str, User | None] = {
        "anonymous": None,
        "outsider": world.outsider,
        "viewer": make_user("xem", unit=world.cell1, role=Role.VIEWER),
        "officer": make_user("canbo", unit=world.cell1, role=Role.OFFICER),
        "head": world.secretary,
        "other_coordinator": coordinator_b,
        "coordinator": world.coordinator,
        "leader": make_user("lanhdao", unit=world.ward, role=Role.LEADER),
        "admin": world.admin,
    }
    return Records(a=a, b=b, personas=personas)
