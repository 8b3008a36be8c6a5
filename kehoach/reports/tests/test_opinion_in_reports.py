"""Public opinion in the reports: the unit's digest is a section of its report, concern and
exemplar figures appear in the unit report, the summary figures and the document, and the
document's figures equal the database's."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from kehoach.core.testing import client_for
from kehoach.documents.writer.report import vn_number
from kehoach.exemplars.models import Exemplar, ExemplarKind, Field, Stage
from kehoach.feedback.dashboard import dashboard_data
from kehoach.feedback.digests import save_digest
from kehoach.feedback.models import Concern, ConcernStatus, Urgency
from kehoach.feedback.tests.test_concern_figures import concern
from kehoach.reports import services
from kehoach.reports import summary as svc
from kehoach.reports import summary_document as docx_report
from kehoach.reports.models import ReportStatus, UnitReport
from kehoach.reports.tests.builders import reporting_world

HN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int = 9, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=HN)


def exemplar(unit, stage=Stage.NOMINATED, name="Mô hình Dân vận khéo", created=None) -> Exemplar:
    item = Exemplar.objects.create(
        unit=unit,
        kind=ExemplarKind.MODEL,
        field=Field.MASS_MOBILISATION,
        name=name,
        story="Câu chuyện.",
        year=2026,
        stage=stage,
    )
    Exemplar.objects.filter(pk=item.pk).update(created_at=created or at(12))
    return item


def digest(world, rw, unit, actor, **changes):
    return save_digest(actor=actor, unit=unit, period=rw.period, changes=changes, version=0)


def accept(world, report, writer, text: str) -> None:
    report = services.save_draft(
        actor=writer, report=report, changes={"results": text}, version=report.version
    )
    report = services.submit(actor=writer, report=report)
    services.accept(actor=world.coordinator, report=report)


@pytest.fixture
def rw(world):
    return reporting_world(world)


@pytest.fixture
def listening(world, rw):
    """Concerns across the ward (some outside the period or the ward), exemplars, digests."""
    created = at(4)
    due = created + timedelta(days=14)
    concern(
        world,
        created=created,
        status=ConcernStatus.ANSWERED,
        answered_at=at(6),
        acknowledged_at=at(4, 11),
        urgency=Urgency.HOT_SPOT,
        place="Tổ dân phố 2",
    )
    concern(
        world,
        created=created,
        status=ConcernStatus.CLOSED,
        answered_at=due + timedelta(1),
        acknowledged_at=at(5, 9),
        place="Tổ dân phố 2",
    )
    concern(world, world.cell1, created=at(20), place="Tổ dân phố 1")  # open, overdue
    concern(
        world,
        world.cell2,
        created=at(25),
        urgency=Urgency.ATTENTION,
        answer_due=datetime(2099, 1, 1, tzinfo=HN),
        acknowledged_at=at(25, 10),
    )
    concern(world, created=at(3, month=6))  # after the period
    concern(world, world.other_cell, created=at(10))  # another ward
    exemplar(world.cell1, Stage.COMMENDED)
    exemplar(world.cell1, Stage.NOMINATED, "Gia đình văn hóa")
    exemplar(world.cell2, Stage.VERIFIED, "Tổ tự quản")
    exemplar(world.cell2, Stage.NOMINATED, "Năm ngoái", created=datetime(2025, 5, 1, tzinfo=HN))
    exemplar(world.other_cell, Stage.PROMOTED, "Phường khác")
    digest(
        world,
        rw,
        world.cell1,
        world.secretary,
        subjects="Chỉnh trang đô thị",
        problems="Ngập úng",
        tones={str(rw.topic.pk): "mixed"},
    )
    digest(
        world,
        rw,
        world.cell2,
        world.secretary2,
        subjects="Giá điện",
        has_hot_spot=True,
        tones={str(rw.topic.pk): "negative"},
    )
    return rw


# ------------------------------------------------------------------ the unit report


def report_url(report) -> str:
    return f"/bao-cao/don-vi/{report.pk}/"


def test_the_unit_report_shows_its_digest_with_an_edit_link_while_editable(
    world, listening
) -> None:
    body = client_for(world.secretary).get(report_url(listening.report1)).content.decode()
    section = body[body.index('id="opinion-section"') :]
    assert "Chỉnh trang đô thị" in section and "Ngập úng" in section
    assert 'data-tone="mixed"' in section
    edit = f'href="/du-luan/ky/{listening.period.pk}/don-vi/{world.cell1.pk}/"'
    assert edit in section and 'id="edit-digest"' in section


def test_the_edit_link_goes_once_the_report_is_submitted_or_for_the_coordinator(
    world, listening
) -> None:
    coordinator = client_for(world.coordinator).get(report_url(listening.report1))
    assert b'id="edit-digest"' not in coordinator.content
    assert "Chỉnh trang đô thị" in coordinator.content.decode()
    UnitReport.objects.filter(pk=listening.report1.pk).update(status=ReportStatus.SUBMITTED)
    secretary = client_for(world.secretary).get(report_url(listening.report1))
    assert b'id="edit-digest"' not in secretary.content
    assert "Chỉnh trang đô thị" in secretary.content.decode()


def test_a_unit_without_a_digest_is_invited_to_write_one(world, rw) -> None:
    body = client_for(world.secretary).get(report_url(rw.report1)).content.decode()
    assert 'id="no-digest"' in body and 'id="edit-digest"' in body


def test_the_unit_report_shows_the_units_concern_and_exemplar_figures(world, listening) -> None:
    context = client_for(world.secretary).get(report_url(listening.report1)).context
    opinion = context["opinion"]
    assert opinion["concerns"]["received"] == 1
    assert (opinion["concerns"]["open"], opinion["concerns"]["overdue"]) == (1, 1)
    assert opinion["concerns"]["by_place"][0]["place"] == "Tổ dân phố 1"
    assert opinion["exemplars"]["total"] == 2
    assert opinion["exemplars"]["by_stage"][Stage.COMMENDED] == 1
    body = client_for(world.secretary).get(report_url(listening.report1)).content.decode()
    assert 'id="concerns-received">1<' in body and 'id="concerns-overdue">1<' in body


def test_the_unit_report_page_takes_the_same_number_of_queries_for_more_data(world, rw) -> None:
    client = client_for(world.secretary)
    client.get(report_url(rw.report1))
    with CaptureQueriesContext(connection) as small:
        assert client.get(report_url(rw.report1)).status_code == 200
    for i in range(8):
        concern(world, world.cell1, created=at(2 + i), place=f"Tổ dân phố {i}")
        exemplar(world.cell1, Stage.NOMINATED, f"Điển hình {i}")
    digest(world, rw, world.cell1, world.secretary, tones={str(rw.topic.pk): "positive"})
    with CaptureQueriesContext(connection) as large:
        assert client.get(report_url(rw.report1)).status_code == 200
    assert len(large) == len(small)


# ------------------------------------------------------------------ the summary


def db_listening(world, period) -> dict:
    """The ward's concern and exemplar totals recomputed here, independently of the figures
    modules."""
    since, until = at(1), at(1, month=6)
    ward = Concern.objects.filter(unit__path__startswith=world.ward.path)
    received = ward.filter(created_at__gte=since, created_at__lt=until)
    answered = received.filter(answered_at__isnull=False)
    on_time = sum(1 for c in answered if c.answered_at <= c.answer_due)
    still_open = ward.filter(
        created_at__lt=until,
        status__in=[ConcernStatus.NEW, ConcernStatus.ACKNOWLEDGED, ConcernStatus.IN_PROGRESS],
    )
    from django.utils import timezone

    now = timezone.now()
    overdue = [
        c
        for c in still_open
        if (c.acknowledged_at is None and c.acknowledge_due < now) or c.answer_due < now
    ]
    late_open = [c for c in received.filter(pk__in=[c.pk for c in overdue]) if c.answer_due < now]
    exemplars = Exemplar.objects.filter(
        unit__path__startswith=world.ward.path, created_at__gte=since, created_at__lt=until
    )
    return {
        "received": received.count(),
        "hot_spot": received.filter(urgency=Urgency.HOT_SPOT).count(),
        "attention": received.filter(urgency=Urgency.ATTENTION).count(),
        "answered": answered.count(),
        "on_time": on_time,
        "late": answered.count() - on_time + len(late_open),
        "open": still_open.count(),
        "overdue": len(overdue),
        "exemplars": exemplars.count(),
        "stages": {s: exemplars.filter(stage=s).count() for s in Stage.values},
    }


def test_the_summary_figures_hold_the_wards_concerns_exemplars_and_digests(
    world, listening
) -> None:
    accept(world, listening.report1, world.secretary, "Chi bộ 1.")
    figures = svc.summary_figures(listening.period)
    expected = db_listening(world, listening.period)
    concerns = figures["concerns"]
    assert concerns["received"] == expected["received"] == 4
    assert (concerns["open"], concerns["overdue"]) == (expected["open"], expected["overdue"])
    assert figures["exemplars"]["total"] == expected["exemplars"] == 3
    assert figures["exemplars"]["by_stage"] == expected["stages"]
    # Digests count for the accepted reports only.
    assert figures["opinion"]["digests"] == 1 and figures["opinion"]["hot_spots"] == 0
    assert figures["opinion"]["by_topic"][0]["mixed"] == 1


def test_the_digests_are_carried_into_the_summary_under_public_opinion(world, listening) -> None:
    accept(world, listening.report1, world.secretary, "Chi bộ 1.")
    accept(world, listening.report2, world.secretary2, "Chi bộ 2.")
    summary = svc.compile_summary(actor=world.coordinator, period=listening.period)
    results = summary.results
    heading = results.index("Tình hình tư tưởng, dư luận")
    hot = results.index(f"- {world.cell2.name} (có điểm nóng): Giá điện.")
    plain = results.index(f"- {world.cell1.name}: Chỉnh trang đô thị. Vấn đề phát sinh: Ngập úng.")
    assert heading < hot < plain


def docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_the_concern_and_exemplar_figures_in_the_docx_equal_the_database(world, listening) -> None:
    accept(world, listening.report1, world.secretary, "Chi bộ 1.")
    accept(world, listening.report2, world.secretary2, "Chi bộ 2.")
    summary = svc.compile_summary(actor=world.coordinator, period=listening.period)
    response = client_for(world.coordinator).get(f"/tong-hop/{summary.pk}/tai/docx/")
    assert response.status_code == 200
    paragraphs = docx_paragraphs(response.content)
    e = db_listening(world, listening.period)
    line = next(p for p in paragraphs if p.startswith("Tiếp nhận "))
    assert line.startswith(
        f"Tiếp nhận {vn_number(e['received'])} vụ việc, ý kiến của Nhân dân (trong đó "
        f"{vn_number(e['hot_spot'])} vụ việc điểm nóng, {vn_number(e['attention'])} vụ việc "
        f"cần quan tâm); đã trả lời {vn_number(e['answered'])} vụ việc, đúng hạn "
        f"{vn_number(e['on_time'])}, chậm {vn_number(e['late'])}"
    )
    assert (
        f"Hiện còn {vn_number(e['open'])} vụ việc đang giải quyết, trong đó "
        f"{vn_number(e['overdue'])} vụ việc quá hạn." in line
    )
    opinion = next(p for p in paragraphs if p.startswith("Có 2 đơn vị nắm"))
    assert "1 đơn vị phản ánh có điểm nóng" in opinion
    s = e["stages"]
    assert (
        f"Các đơn vị đề xuất {vn_number(e['exemplars'])} điển hình tiên tiến, mô hình hay "
        f"(đang xem xét {s['nominated']}, trả lại bổ sung {s['returned']}, đã thẩm định "
        f"{s['verified']}, đã khen thưởng {s['commended']}, đã tuyên truyền nhân rộng "
        f"{s['promoted']})." in paragraphs
    )
    # Both new parts sit in section II, after the reporting-timeliness part.
    text = "\n".join(paragraphs)
    section = text[text.index("II. KẾT QUẢ THỰC HIỆN") : text.index("III. ĐÁNH GIÁ CHUNG")]
    assert section.index("chế độ báo cáo") < section.index("Tiếp nhận ")
    assert section.index("Tiếp nhận ") < section.index("Phát hiện, biểu dương")


def test_a_summary_compiled_before_these_figures_existed_still_prints(world, rw) -> None:
    accept(world, rw.report1, world.secretary, "Chi bộ 1.")
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    for key in ("concerns", "exemplars", "opinion"):
        summary.figures.pop(key)
    paragraphs = docx_paragraphs(docx_report.summary_document(summary))
    assert not any(p.startswith("Tiếp nhận ") for p in paragraphs)
    assert not any("điển hình tiên tiến, mô hình hay" in p for p in paragraphs)


# ------------------------------------------------------------------ the dashboard's data


def test_the_dashboard_data_covers_the_ward_only(world, listening) -> None:
    data = dashboard_data(world.ward, today=date(2026, 6, 10))
    assert data["concerns"]["received"] == 5  # the June one counts for the year
    assert data["exemplars"]["total"] == 3  # last year's and the other ward's do not
    assert data["opinion"]["period_id"] == listening.period.pk
    assert data["opinion"]["hot_spot_units"] == [world.cell2.name]
    other = dashboard_data(world.other_ward, today=date(2026, 6, 10))
    assert other["concerns"]["received"] == 1 and other["exemplars"]["total"] == 1
    assert other["opinion"] is None


def test_the_dashboard_data_takes_a_fixed_number_of_queries(world, listening) -> None:
    with CaptureQueriesContext(connection) as small:
        dashboard_data(world.ward, today=date(2026, 6, 10))
    for i in range(6):
        concern(world, world.cell2, created=at(1 + i), place=f"Tổ {i}")
        exemplar(world.cell1, Stage.VERIFIED, f"Thêm {i}")
    with CaptureQueriesContext(connection) as large:
        dashboard_data(world.ward, today=date(2026, 6, 10))
    assert len(large) == len(small)
