"""A rich ward to move (the demo ward plus a row in every carried table, with files), another
ward that must stay behind, and the comparison of a ward's records by natural identity."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models, transaction
from django.utils import timezone

from kehoach.accounts.models import ApiToken, Membership, Role, User
from kehoach.activities.models import Activity, Evidence, Notification, Task
from kehoach.audit.context import acting_as
from kehoach.audit.models import AuditEntry
from kehoach.content import models as cm
from kehoach.core.demo import SUPERIOR, WARD
from kehoach.core.testing import make_unit, make_user
from kehoach.documents.models import SourceDocument
from kehoach.exemplars.models import Exemplar, ExemplarPhoto
from kehoach.feedback.models import Concern, ConcernAttachment, OpinionDigest
from kehoach.org.models import Unit, UnitKind
from kehoach.plans.models import Citation, Plan, Topic
from kehoach.reports.models import ReportingPeriod, SummaryReport, UnitReport
from kehoach.transfer import catalogue

OTHER_WARD = "Đảng ủy phường Ngô Quyền"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5b3a3d70000000049454e44ae426082"
)


@dataclass
class Moving:
    ward: Unit
    other_ward: Unit
    admin: User
    chibo1: User
    outsider: User


def _user(username: str) -> User:
    return User.objects.get(username=username)


def other_ward() -> tuple[Unit, User]:
    ward = make_unit(OTHER_WARD, UnitKind.PARTY_COMMITTEE)
    cell = make_unit("Chi bộ số 7 Ngô Quyền", UnitKind.PARTY_CELL, ward)
    outsider = make_user("ngoquyen", unit=cell, role=Role.HEAD, full_name="Người Ngoài")
    with acting_as(outsider):
        plan = Plan.objects.create(unit=ward, title="Kế hoạch của phường khác")
        topic = Topic.objects.create(plan=plan, title="Chủ đề riêng")
        Activity.objects.create(unit=cell, plan=plan, channel="meeting", participants=9)
        Concern.objects.create(
            ward=ward,
            unit=cell,
            source="visit",
            category="other",
            summary="Ở phường khác",
            code="NQ000001",
            token="token-nq-1",
            topic=topic,
        )
    return ward, outsider


def build_moving() -> Moving:
    """The demo ward, filled out so that every table the move carries has rows."""
    call_command("demo", stdout=io.StringIO())
    ward = Unit.objects.get(name=WARD, parent=None)
    admin = _user("admin")
    chibo1, chibo2, coordinator = _user("chibo1"), _user("chibo2"), _user("xaydungdang")
    leader = _user("thuongvu")
    cell1 = Unit.objects.get(name="Chi bộ Tổ dân phố số 1")
    committee = Unit.objects.get(name="Ủy ban nhân dân phường")
    superior = Unit.objects.get(name=SUPERIOR, parent=None)
    plan = Plan.objects.get(unit=ward, parent=None)
    topic = plan.topics.order_by("order", "pk").first()
    period = ReportingPeriod.objects.get(plan=plan)
    other, outsider = other_ward()
    now = timezone.now()

    with acting_as(coordinator):
        retired = make_unit("Chi bộ đã giải thể", UnitKind.PARTY_CELL, ward, order=200)
        retired.is_active, retired.retired_at = False, now
        retired.save()
        sub = Plan.objects.create(
            unit=cell1,
            parent=plan,
            issuing_unit=superior,
            title="Kế hoạch của Chi bộ số 1",
            basis=["Căn cứ Kế hoạch của Đảng ủy"],
            other_sections={"V": ["Khác"]},
            created_by=chibo1,
        )
        sub.original_file.save("ke-hoach-chi-bo-1.txt", ContentFile("Nội dung".encode()))
        Citation.objects.create(plan=sub, document=SourceDocument.objects.first())
        report = UnitReport.objects.filter(period=period).first()
        report.results, report.figures = "Đã tuyên truyền", {"activities": 3}
        report.save()
        SummaryReport.objects.create(
            period=period,
            number="12-BC/ĐU",
            title="Báo cáo",
            figures={"total": 4},
            recipients=["Ban Tuyên giáo Thành ủy"],
            compiled_by=coordinator,
        )
        OpinionDigest.objects.create(
            unit=cell1,
            period=period,
            subjects="Giá điện",
            tones={str(topic.pk): "mixed"},
            created_by=chibo1,
        )
        task = Task.objects.filter(plan=plan, unit=cell1).first()
    with acting_as(chibo1):
        activity = Activity.objects.create(
            unit=cell1,
            plan=plan,
            task=task,
            channel="visual",
            posters=3,
            description="Pa nô",
            created_by=admin,  # an administrator: not carried
        )
        activity.topics.add(topic)
        evidence = Evidence(activity=activity, kind="photo", original_name="anh.png", size=67)
        evidence.file.save("anh.png", ContentFile(PNG))
        Evidence.objects.create(activity=activity, kind="link", url="https://example.vn/tin")
        first = Concern.objects.create(
            ward=ward,
            unit=committee,
            recorded_by_unit=cell1,
            source="cell_meeting",
            topic=topic,
            category="environment",
            summary="Rác ở ngõ 5",
            code="LC000001",
            token="token-lc-1",
            wants_answer=True,
            resident_name="Bà Hoa",
            resident_contact="0912 345 678",
            created_by=chibo1,
        )
        Concern.objects.create(
            ward=ward,
            unit=committee,
            source="visit",
            category="environment",
            summary="Rác ở ngõ 5 (lần 2)",
            code="LC000002",
            token="token-lc-2",
            status="duplicate",
            duplicate_of=first,
            contact_erased_at=now,
        )
        attachment = ConcernAttachment(concern=first, original_name="ngo-5.png")
        attachment.file.save("ngo-5.png", ContentFile(PNG + b"concern"))
        exemplar = Exemplar.objects.create(
            unit=cell1,
            kind="individual",
            field="social",
            name="Ông Ba",
            story="Giúp đỡ",
            year=2026,
            plan=plan,
            stage="verified",
            verified_by=coordinator,
            verified_at=now,
        )
        photo = ExemplarPhoto(exemplar=exemplar, original_name="ong-ba.png")
        photo.file.save("ong-ba.png", ContentFile(PNG + b"exemplar"))
    with acting_as(coordinator):
        item = cm.ContentItem.objects.create(
            unit=committee,
            kind="bulletin",
            title="Bản tin tháng",
            body="Kính thưa bà con",
            plan=plan,
            status="published",
            slug="ban-tin-thang",
            activity=activity,
            published_at=now,
            reviewed_by=leader,
        )
        cm.ContentTopic.objects.create(item=item, topic=topic)
        cm.ContentTarget.objects.create(item=item, outlet="loudspeaker")
        media = cm.ContentMedia(item=item, kind="audio", original_name="ban-tin.mp3", size=5)
        media.duration_seconds = 12.5
        media.file.save("ban-tin.mp3", ContentFile(b"ID3\x00\x01"))
        station = cm.BroadcastStation.objects.create(ward=ward, name="Cụm loa số 1")
        slot = cm.BroadcastSlot.objects.create(station=station, name="Sáng", starts_at=time(6, 30))
        cm.Broadcast.objects.create(slot=slot, date=date(2026, 5, 4), item=item)
        measurement = ward_indicator_measurement(ward)
        measurement.value = Decimal("12.3456")
        measurement.save()
    # What stays behind: secrets and this server's notifications.
    ApiToken.objects.create(
        user=chibo1, prefix="abc", key_hash="f" * 64, expires_at=now + timedelta(days=9)
    )
    Notification.objects.create(user=chibo2, text="Việc sắp đến hạn", link="/viec/1/")
    Membership.objects.create(user=outsider, unit=other, role=Role.VIEWER)
    return Moving(ward=ward, other_ward=other, admin=admin, chibo1=chibo1, outsider=outsider)


def ward_indicator_measurement(ward: Unit):
    from kehoach.indicators.models import Measurement

    return Measurement.objects.filter(indicator__ward=ward).first()


# Comparison ------------------------------------------------------------------------------


def _ward_users(ward: Unit) -> models.QuerySet:
    return User.objects.filter(memberships__unit__path__startswith=ward.path).distinct()


class Identity:
    """Each record as its values, with references replaced by the identity of their target."""

    def __init__(self, ward: Unit) -> None:
        self.ward = ward
        self.memo: dict[tuple[str, int], str] = {}
        self.carried: dict[str, set[int]] = {}
        # One query a table: every record the comparison may meet, by id.
        self.objects: dict[str, dict[int, models.Model]] = {}
        for model, lookup in catalogue.scoped_models():
            key = f"{lookup}__path__startswith" if lookup else "path__startswith"
            rows = model._base_manager.filter(**{key: ward.path})
            name = catalogue.label(model)
            self.objects[name] = {o.pk: o for o in rows}
            self.carried[name] = set(self.objects[name])
        self.users = {u.pk: u for u in _ward_users(ward)}
        self.carried["accounts.User"] = set(self.users)
        self.shared = {
            "documents.SourceDocument": {d.pk: d for d in SourceDocument.objects.all()},
            "org.Unit": {u.pk: u for u in Unit.objects.filter(parent=None, kind=UnitKind.EXTERNAL)},
        }

    def ref(self, model: type[models.Model], pk: Any) -> str | None:
        name = catalogue.label(model)
        if pk is None:
            return None
        if name == "accounts.User":
            user = self.users.get(pk)
            return user.username if user else None
        if name == "contenttypes.ContentType":
            return ".".join(ContentType.objects.get_for_id(pk).natural_key())
        obj = self.objects.get(name, {}).get(pk) or self.shared.get(name, {}).get(pk)
        return self.key(obj) if obj is not None else None

    def values(self, obj: models.Model) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for f in obj._meta.concrete_fields:
            if f.primary_key or f.name == "path":
                continue
            value = getattr(obj, f.attname)
            if f.is_relation:
                value = self.ref(f.related_model, value)
            elif isinstance(f, models.FileField):
                name = value.name if value else ""
                data = default_storage.open(name).read() if name else b""
                value = [name, hashlib.sha256(data).hexdigest(), len(data)]
            elif isinstance(f, models.JSONField):
                value = json.dumps(value, sort_keys=True, ensure_ascii=False)
            elif isinstance(value, datetime | date | time | Decimal):
                value = value.isoformat() if not isinstance(value, Decimal) else str(value)
            result[f.name] = value
        return result

    def key(self, obj: models.Model) -> str:
        memo_key = (catalogue.label(type(obj)), obj.pk)
        if memo_key not in self.memo:
            text = json.dumps(self.values(obj), sort_keys=True, ensure_ascii=False, default=str)
            self.memo[memo_key] = hashlib.sha256(text.encode()).hexdigest()
        return self.memo[memo_key]

    def snapshot(self, model: type[models.Model], snap: Any) -> str:
        if not isinstance(snap, dict):
            return json.dumps(snap)
        result = dict(snap)
        result.pop(model._meta.pk.name, None)
        for f in model._meta.concrete_fields:
            if f.is_relation and result.get(f.attname) is not None:
                result[f.attname] = self.ref(f.related_model, result[f.attname])
        return json.dumps(result, sort_keys=True, ensure_ascii=False, default=str)

    def audit(self, model: type[models.Model]) -> list[str]:
        name = catalogue.label(model)
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        ids = [str(pk) for pk in self.carried[name]]
        entries = AuditEntry.objects.filter(content_type=content_type, object_id__in=ids)
        rows = []
        objects = self.users if model is User else self.objects[name]
        for e in entries.exclude(after__has_key="imported_from"):
            obj = objects[int(e.object_id)]
            rows.append(
                json.dumps(
                    [
                        e.at.isoformat(),
                        e.action,
                        e.source,
                        e.request_id,
                        e.actor_label,
                        self.ref(User, e.actor_id),
                        self.key(obj),
                        e.object_repr,
                        self.snapshot(model, e.before),
                        self.snapshot(model, e.after),
                    ],
                    ensure_ascii=False,
                )
            )
        return sorted(rows)

    def everything(self) -> dict[str, list[Any]]:
        tables: dict[str, list[Any]] = {}
        carried = [*catalogue.scoped_models(), (User, None)]
        for model, _lookup in carried:
            name = catalogue.label(model)
            objs = (self.users if model is User else self.objects[name]).values()
            if model is User:
                tables[name] = sorted(
                    json.dumps(self.values(u), sort_keys=True, default=str) for u in objs
                )
            else:
                tables[name] = sorted(self.key(o) for o in objs)
            tables[f"audit:{name}"] = self.audit(model)
        return tables


def export_and_forget(
    build: Callable[[], Moving], *, compare: bool = False
) -> tuple[bytes, dict[str, list[Any]]]:
    """Builds a ward, exports it and rolls it all back: the archive of a ward this database
    no longer has, and the ward's records by identity as they were."""
    from kehoach.transfer import exporter

    with transaction.atomic():
        moving = build()
        out = io.BytesIO()
        manifest = exporter.export_ward(moving.ward, out)
        before = Identity(moving.ward).everything() if compare else {}
        transaction.set_rollback(True)
    for name in manifest["files"]:
        default_storage.delete(name[len("files/") :])
    return out.getvalue(), before
