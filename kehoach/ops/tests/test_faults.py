"""Every write is one transaction: a failure half-way through a service leaves nothing behind.

Each case runs a real service call against the demo ward. A dry run (rolled back) counts the
audit entries the call writes; each audited row is written just before its entry, so failing
the k-th entry means k rows are already in the database. The call is then repeated with an
exception injected at the first, the middle and the last entry; after each, every row of
every table (count and checksum) and every file under MEDIA_ROOT must be as before.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image

from kehoach.accounts.models import User
from kehoach.audit import recorder
from kehoach.core.demo import FIXTURE
from kehoach.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

INJECTED: list[str] = []


class InjectedFault(Exception):
    """Raised in place of the k-th audit entry."""


class _Rollback(Exception):
    pass


def table_states() -> dict[str, tuple[int, str]]:
    states = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            states[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return states


def media_state() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@contextmanager
def audit_entries(fail_at: int | None = None) -> Iterator[list[int]]:
    calls = [0]
    real = recorder.record

    def counted(*args: Any, **kwargs: Any):
        calls[0] += 1
        if calls[0] == fail_at:
            raise InjectedFault(f"fault at audit entry {fail_at}")
        return real(*args, **kwargs)

    with mock.patch.object(recorder, "record", counted):
        yield calls


def writes_of(call: Callable[[], Any]) -> int:
    with audit_entries() as calls:
        try:
            with transaction.atomic():
                call()
                raise _Rollback
        except _Rollback:
            pass
    return calls[0]


def assert_all_or_nothing(name: str, call: Callable[[], Any]) -> None:
    """`call` must build its arguments afresh each time (services update the objects given)."""
    writes = writes_of(call)
    assert writes >= 1, f"{name}: the call wrote no audited row, nothing to interrupt"
    for k in sorted({1, (writes + 1) // 2, writes}):
        rows, files = table_states(), media_state()
        with audit_entries(fail_at=k), pytest.raises(InjectedFault):
            call()
        assert table_states() == rows, f"{name}: rows changed after a fault at write {k}"
        assert media_state() == files, f"{name}: files left behind after a fault at write {k}"
        INJECTED.append(f"{name}@{k}/{writes}")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def demo(db) -> None:
    call_command("demo", stdout=io.StringIO())


def user(name: str) -> User:
    return User.objects.get(username=name)


def cell1() -> Unit:
    return Unit.objects.get(name="Chi bộ Tổ dân phố số 1")


def ward() -> Unit:
    return Unit.objects.get(name="Đảng ủy phường Lê Chân", parent=None)


def stage_plan():
    from kehoach.plans import services

    return services.stage_import(
        actor=user("xaydungdang"), unit=ward(), data=FIXTURE.read_bytes(), filename=FIXTURE.name
    )


def test_importing_a_plan_is_all_or_nothing(demo) -> None:
    from kehoach.plans import services
    from kehoach.plans.models import PlanImport

    pk = stage_plan().pk
    assert_all_or_nothing(
        "plans.save_import",
        lambda: services.save_import(
            actor=user("xaydungdang"), staged=PlanImport.objects.get(pk=pk)
        ),
    )


def test_staging_a_plan_leaves_no_file_behind_when_it_fails(demo) -> None:
    assert_all_or_nothing("plans.stage_import", stage_plan)


def test_logging_editing_and_deleting_an_activity_are_all_or_nothing(demo) -> None:
    from kehoach.activities import activity_services as svc
    from kehoach.activities.models import Activity
    from kehoach.plans.models import Plan

    def log():
        plan = Plan.objects.get()
        return svc.log_activity(
            actor=user("chibo1"),
            unit=cell1(),
            date=timezone.localdate(),
            channel="meeting",
            plan=plan,
            topics=list(plan.topics.all()[:2]),
            audiences=["party_members", "people"],
            description="Hội nghị quán triệt",
            files=[SimpleUploadedFile("hoi-nghi.jpg", jpeg())],
            participants=40,
        )

    assert_all_or_nothing("activities.log_activity", log)
    pk = Activity.objects.filter(unit=cell1()).order_by("pk").first().pk
    assert_all_or_nothing(
        "activities.update_activity",
        lambda: svc.update_activity(
            actor=user("chibo1"),
            activity=Activity.objects.get(pk=pk),
            changes={"description": "Đã sửa", "participants": 41},
        ),
    )
    assert_all_or_nothing(
        "activities.delete_activity",
        lambda: svc.delete_activity(actor=user("chibo1"), activity=Activity.objects.get(pk=pk)),
    )


def test_submitting_accepting_and_compiling_reports_are_all_or_nothing(demo) -> None:
    from kehoach.reports import services, summary
    from kehoach.reports.models import ReportingPeriod, UnitReport

    report = UnitReport.objects.get(unit=cell1())
    services.save_draft(
        actor=user("chibo1"),
        report=report,
        changes={"results": "Tổ chức 2 buổi tuyên truyền."},
        version=report.version,
    )
    pk = report.pk
    assert_all_or_nothing(
        "reports.submit",
        lambda: services.submit(actor=user("chibo1"), report=UnitReport.objects.get(pk=pk)),
    )
    services.submit(actor=user("chibo1"), report=UnitReport.objects.get(pk=pk))
    assert_all_or_nothing(
        "reports.accept",
        lambda: services.accept(actor=user("xaydungdang"), report=UnitReport.objects.get(pk=pk)),
    )
    services.accept(actor=user("xaydungdang"), report=UnitReport.objects.get(pk=pk))
    assert_all_or_nothing(
        "reports.compile_summary",
        lambda: summary.compile_summary(
            actor=user("xaydungdang"), period=ReportingPeriod.objects.get()
        ),
    )


def test_recording_and_answering_a_concern_are_all_or_nothing(demo) -> None:
    from kehoach.feedback import services
    from kehoach.feedback.models import Concern

    def record():
        return services.record_concern(
            actor=user("chibo1"),
            unit=cell1(),
            category=Concern._meta.get_field("category").choices[0][0],
            summary="Đèn đường ngõ 12 hỏng, người dân đề nghị sửa",
            place="Ngõ 12",
            wants_answer=True,
            resident_name="Người đề nghị",
            resident_contact="0900000000",
            files=[SimpleUploadedFile("den-duong.jpg", jpeg())],
        )

    assert_all_or_nothing("feedback.record_concern", record)
    pk = record().pk
    handler = Concern.objects.get(pk=pk).unit.memberships.first().user
    assert_all_or_nothing(
        "feedback.answer",
        lambda: services.answer(
            actor=handler, concern=Concern.objects.get(pk=pk), text="Đã báo điện lực sửa."
        ),
    )


def test_nominating_and_verifying_an_exemplar_are_all_or_nothing(demo) -> None:
    from kehoach.exemplars import services
    from kehoach.exemplars.models import Exemplar

    def nominate():
        return services.nominate_exemplar(
            actor=user("chibo1"),
            unit=cell1(),
            kind=Exemplar._meta.get_field("kind").choices[0][0],
            field=Exemplar._meta.get_field("field").choices[0][0],
            name="Bác Nguyễn Văn A",
            story="Vận động bà con giữ gìn vệ sinh ngõ phố suốt mười năm.",
            photos=[SimpleUploadedFile("bac-a.jpg", jpeg())],
        )

    assert_all_or_nothing("exemplars.nominate", nominate)
    pk = nominate().pk
    assert_all_or_nothing(
        "exemplars.verify",
        lambda: services.verify_exemplar(
            actor=user("xaydungdang"), exemplar=Exemplar.objects.get(pk=pk)
        ),
    )


def test_creating_and_submitting_content_are_all_or_nothing(demo) -> None:
    from kehoach.content import services
    from kehoach.content.models import ContentItem

    def create():
        return services.create_item(
            actor=user("ubnd"),
            unit=Unit.objects.get(name="Ủy ban nhân dân phường"),
            kind=ContentItem._meta.get_field("kind").choices[0][0],
            title="Phường ra quân làm sạch môi trường",
            body="Sáng chủ nhật, hơn 300 người dân tham gia.",
            outlets=["portal"],
        )

    assert_all_or_nothing("content.create_item", create)
    pk = create().pk
    assert_all_or_nothing(
        "content.submit",
        lambda: services.submit(actor=user("ubnd"), item=ContentItem.objects.get(pk=pk)),
    )


def test_recording_a_measurement_is_all_or_nothing(demo) -> None:
    from kehoach.indicators import services
    from kehoach.indicators.models import Indicator

    pk = Indicator.objects.order_by("pk").first().pk
    assert_all_or_nothing(
        "indicators.record_measurement",
        lambda: services.record_measurement(
            actor=user("xaydungdang"),
            indicator=Indicator.objects.get(pk=pk),
            period_label="Quý mới",
            as_of=timezone.localdate() - timedelta(days=1),
            value=Decimal("42"),
            source="Báo cáo của Văn phòng",
        ),
    )


def test_creating_and_moving_a_unit_are_all_or_nothing(demo) -> None:
    from kehoach.org import services

    assert_all_or_nothing(
        "org.create_unit",
        lambda: services.create_unit(
            actor=user("admin"),
            name="Chi bộ Tổ dân phố số 9",
            kind=UnitKind.PARTY_CELL,
            parent=ward(),
        ),
    )
    pk = cell1().pk
    new_parent = Unit.objects.get(name="Ủy ban nhân dân phường")
    assert_all_or_nothing(
        "org.move_unit",
        lambda: services.move_unit(
            actor=user("admin"), unit=Unit.objects.get(pk=pk), new_parent=new_parent
        ),
    )


def test_zz_the_number_of_faults_injected_is_reported() -> None:
    # Runs last in the module when its siblings ran in the same process (not under xdist).
    print(f"\nfaults injected in this process: {len(INJECTED)}: {', '.join(INJECTED)}")
