"""The summary report: compiled from accepted unit reports, edited, approved, exported."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Sum

from kehoach.accounts.models import Role
from kehoach.activities.models import Activity, Audience, Channel
from kehoach.core.concurrency import StaleEdit
from kehoach.core.testing import client_for, make_user
from kehoach.reports import services
from kehoach.reports import summary as svc
from kehoach.reports.models import ReportStatus, SummaryReport, SummaryStatus
from kehoach.reports.tests.builders import log, make_period, reporting_world


@pytest.fixture
def leader(world):
    return make_user("thuongvu", unit=world.ward, role=Role.LEADER, full_name="Lê Thị Hoa")


def accept(world, report, writer) -> None:
    report = services.save_draft(
        actor=writer, report=report, changes={"results": "Đã tuyên truyền."}, version=1
    )
    report = services.submit(actor=writer, report=report)
    services.accept(actor=world.coordinator, report=report)


@pytest.fixture
def rw(world):
    """cell1's report is accepted; cell2's is submitted but not accepted."""
    rw = reporting_world(world)
    log(
        world.cell1,
        world.secretary,
        date(2026, 5, 10),
        plan=rw.plan,
        topics=[rw.topic],
        audiences=[Audience.PARTY_MEMBERS],
        participants=1234,
        listeners=5,
        news_items=2,
    )
    log(
        world.cell1,
        world.secretary,
        date(2026, 5, 20),
        plan=rw.plan,
        channel=Channel.LOUDSPEAKER,
        listeners=2500,
        broadcasts=3,
    )
    log(world.cell1, world.secretary, date(2026, 6, 2), plan=rw.plan, participants=999)
    log(world.cell2, world.secretary2, date(2026, 5, 12), plan=rw.plan, participants=777)
    accept(world, rw.report1, world.secretary)
    report2 = services.save_draft(
        actor=world.secretary2, report=rw.report2, changes={"results": "Chi bộ 2."}, version=1
    )
    services.submit(actor=world.secretary2, report=report2)
    rw.report1.refresh_from_db()
    rw.report2.refresh_from_db()
    return rw


def database_totals(units, period) -> dict:
    """What the summary must say, straight from the activity log."""
    rows = Activity.objects.filter(
        unit__in=units,
        plan=period.plan,
        deleted_at__isnull=True,
        date__gte=period.start,
        date__lte=period.end,
    ).aggregate(
        activities=Count("pk"),
        reached=Sum(F("participants") + F("listeners") + F("views")),
        participants=Sum("participants"),
        news_items=Sum("news_items"),
    )
    return {k: v or 0 for k, v in rows.items()}


def test_compiling_counts_only_the_accepted_reports(world, rw) -> None:
    assert rw.report2.status == ReportStatus.SUBMITTED
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    expected = database_totals([world.cell1], rw.period)
    totals = summary.figures["totals"]
    assert totals["activities"] == expected["activities"] == 2
    assert totals["reached"] == expected["reached"] == 1234 + 5 + 2500
    assert totals["outputs"]["news_items"] == 2
    assert [u["unit_id"] for u in summary.figures["units"]] == [world.cell1.pk]
    assert summary.figures["by_topic"][0]["activities"] == 1
    channels = {c["channel"]: c["activities"] for c in summary.figures["by_channel"]}
    assert channels[Channel.LOUDSPEAKER] == 1 and channels[Channel.MEETING] == 1
    assert summary.figures["timeliness"]["expected"] == 2
    assert summary.figures["timeliness"]["submitted"] == 2


def test_a_new_summary_gets_a_number_recipients_and_the_board_signature(world, rw) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    assert summary.number == "01-BC/ĐU"
    assert summary.signer_authority == "T/M BAN THƯỜNG VỤ"
    assert summary.title.startswith("kết quả thực hiện Kế hoạch")
    assert any(r["note"] == "để báo cáo" for r in summary.recipients)
    other = make_period(
        rw.plan, label="Tháng 6/2026", start=date(2026, 6, 1), end=date(2026, 6, 30)
    )
    assert svc.compile_summary(actor=world.coordinator, period=other).number == "02-BC/ĐU"


def test_the_units_narratives_are_gathered_under_each_heading(world, rw) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    assert f"- {world.cell1.name}: Đã tuyên truyền." in summary.results
    assert "Chi bộ 2." not in summary.results


def test_compiling_again_refreshes_figures_but_keeps_the_coordinators_text(world, rw) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    summary = svc.update_summary(
        actor=world.coordinator,
        summary=summary,
        changes={"results": "Văn bản của Ban Xây dựng đảng."},
        version=summary.version,
    )
    services.accept(actor=world.coordinator, report=rw.report2)
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    assert summary.results == "Văn bản của Ban Xây dựng đảng."
    assert summary.figures["totals"]["activities"] == 3
    assert summary.figures["accepted"] == 2
    assert SummaryReport.objects.count() == 1


def test_only_the_coordinator_compiles(world, rw, leader) -> None:
    for person in (world.secretary, leader, world.outsider):
        with pytest.raises(PermissionDenied):
            svc.compile_summary(actor=person, period=rw.period)
    assert not SummaryReport.objects.exists()


def test_only_a_leader_approves(world, rw, leader) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    for person in (world.coordinator, world.secretary, world.outsider):
        with pytest.raises(PermissionDenied):
            svc.approve_summary(actor=person, summary=summary)
    summary = svc.approve_summary(actor=leader, summary=summary)
    assert summary.status == SummaryStatus.APPROVED
    assert summary.approved_by == leader and summary.approved_at is not None


def test_an_approved_summary_can_no_longer_be_edited_or_recompiled(world, rw, leader) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    summary = svc.approve_summary(actor=leader, summary=summary)
    with pytest.raises(ValidationError):
        svc.update_summary(
            actor=world.coordinator,
            summary=summary,
            changes={"results": "Sửa sau khi duyệt"},
            version=summary.version,
        )
    with pytest.raises(ValidationError):
        svc.compile_summary(actor=world.coordinator, period=rw.period)
    summary.refresh_from_db()
    assert summary.results != "Sửa sau khi duyệt"
    response = client_for(world.coordinator).post(
        f"/tong-hop/{summary.pk}/", {"version": summary.version, "results": "x"}
    )
    assert response.status_code == 403


def test_a_stale_version_is_refused_and_nothing_is_written(world, rw) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    opened = summary.version
    svc.update_summary(
        actor=world.coordinator, summary=summary, changes={"proposals": "A"}, version=opened
    )
    with pytest.raises(StaleEdit):
        svc.update_summary(
            actor=world.coordinator, summary=summary, changes={"proposals": "B"}, version=opened
        )
    summary.refresh_from_db()
    assert summary.proposals == "A"


def test_the_edit_form_keeps_a_stale_text_and_says_why(world, rw) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    svc.update_summary(
        actor=world.coordinator, summary=summary, changes={"proposals": "A"}, version=1
    )
    response = client_for(world.coordinator).post(
        f"/tong-hop/{summary.pk}/",
        {"version": 1, "number": summary.number, "title": summary.title, "proposals": "Mới"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="summary-errors"' in html and "Mới" in html
    summary.refresh_from_db()
    assert summary.proposals == "A"


def test_the_coordinator_compiles_from_the_period_page_and_edits_the_text(world, rw) -> None:
    client = client_for(world.coordinator)
    assert client.get(f"/tong-hop/ky/{rw.period.pk}/").status_code == 200
    response = client.post(f"/tong-hop/ky/{rw.period.pk}/")
    summary = SummaryReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tong-hop/{summary.pk}/"
    page = client.get(f"/tong-hop/{summary.pk}/").content.decode()
    assert 'id="summary-form"' in page and 'id="download-docx"' in page
    assert 'id="approve-summary"' not in page
    response = client.post(
        f"/tong-hop/{summary.pk}/",
        {
            "version": summary.version,
            "number": "07-BC/ĐU",
            "date": "20/06/2026",
            "title": summary.title,
            "leadership": "Ban Thường vụ đã chỉ đạo.",
            "recipients": "Ban Tuyên giáo và Dân vận Thành ủy (để báo cáo)\nLưu VPĐU",
        },
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.number == "07-BC/ĐU" and summary.date == date(2026, 6, 20)
    assert summary.leadership == "Ban Thường vụ đã chỉ đạo."
    assert summary.recipients[0] == {
        "name": "Ban Tuyên giáo và Dân vận Thành ủy",
        "note": "để báo cáo",
    }


def test_the_leader_approves_on_the_summary_page(world, rw, leader) -> None:
    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    client = client_for(leader)
    page = client.get(f"/tong-hop/{summary.pk}/").content.decode()
    assert 'id="approve-summary"' in page and 'id="summary-form"' not in page
    assert client_for(world.coordinator).post(f"/tong-hop/{summary.pk}/duyet/").status_code == 403
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT
    client.post(f"/tong-hop/{summary.pk}/duyet/")
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.APPROVED


class TestScope:
    """The summary belongs to the ward: its people and those above; the cells and other
    wards get 404."""

    @pytest.fixture
    def summary(self, world, rw):
        return svc.compile_summary(actor=world.coordinator, period=rw.period)

    @pytest.mark.parametrize(
        "path", ["/tong-hop/{pk}/", "/tong-hop/{pk}/tai/docx/", "/tong-hop/{pk}/tai/xlsx/"]
    )
    def test_other_wards_and_the_cells_get_not_found(self, world, summary, path) -> None:
        url = path.format(pk=summary.pk)
        assert client_for(world.outsider).get(url).status_code == 404
        assert client_for(world.secretary).get(url).status_code == 404
        assert client_for(world.coordinator).get(url).status_code == 200

    def test_the_period_page_is_not_found_outside_the_ward(self, world, rw) -> None:
        url = f"/tong-hop/ky/{rw.period.pk}/"
        assert client_for(world.outsider).post(url).status_code == 404
        assert client_for(None).get(url).status_code == 302
        assert not SummaryReport.objects.exists()

    def test_a_cell_secretary_cannot_compile(self, world, rw) -> None:
        assert client_for(world.secretary).post(f"/tong-hop/ky/{rw.period.pk}/").status_code == 404


def test_the_excel_file_has_every_figure(world, rw) -> None:
    from openpyxl import load_workbook

    summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
    response = client_for(world.coordinator).get(f"/tong-hop/{summary.pk}/tai/xlsx/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 8
    by_unit = book.worksheets[2]
    rows = list(by_unit.iter_rows(min_row=2, values_only=True))
    assert rows == [rows[0]] and rows[0][1] == world.cell1.name
    expected = database_totals([world.cell1], rw.period)
    assert rows[0][2:4] == (expected["activities"], expected["reached"])
    totals = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert expected["activities"] in totals.values() and expected["reached"] in totals.values()
    topics = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert topics[0][2] == 1
    channels = {r[0]: r[1] for r in book.worksheets[3].iter_rows(min_row=2, values_only=True)}
    assert sum(channels.values()) == expected["activities"]


class TestApi:
    def _headers(self, user) -> dict:
        from kehoach.accounts.services import issue_token

        return {"Authorization": f"Bearer {issue_token(actor=user)}"}

    def test_the_coordinator_compiles_and_reads_the_summary(self, world, rw) -> None:
        from django.test import Client

        client = Client()
        response = client.post(
            f"/api/v1/periods/{rw.period.pk}/summary", headers=self._headers(world.coordinator)
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["figures"]["totals"]["activities"] == 2
        assert body["number"] == "01-BC/ĐU"
        read = client.get(
            f"/api/v1/summaries/{body['id']}", headers=self._headers(world.coordinator)
        )
        assert read.json()["id"] == body["id"]
        docx = client.get(
            f"/api/v1/summaries/{body['id']}/document?format=docx",
            headers=self._headers(world.coordinator),
        )
        assert docx.status_code == 200 and docx.content[:2] == b"PK"

    def test_outsiders_and_cells_get_not_found_and_leaders_cannot_compile(
        self, world, rw, leader
    ) -> None:
        from django.test import Client

        url = f"/api/v1/periods/{rw.period.pk}/summary"
        assert Client().post(url).status_code == 401
        assert Client().post(url, headers=self._headers(world.outsider)).status_code == 404
        assert Client().post(url, headers=self._headers(world.secretary)).status_code == 404
        assert Client().post(url, headers=self._headers(leader)).status_code == 403
        summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
        read = f"/api/v1/summaries/{summary.pk}"
        assert Client().get(read, headers=self._headers(world.outsider)).status_code == 404
        assert Client().get(read, headers=self._headers(world.secretary)).status_code == 404

    def test_editing_checks_the_version_and_approval_is_the_leaders(
        self, world, rw, leader
    ) -> None:
        from django.test import Client

        summary = svc.compile_summary(actor=world.coordinator, period=rw.period)
        url = f"/api/v1/summaries/{summary.pk}"
        client = Client()
        ok = client.put(
            url,
            {"version": summary.version, "proposals": "Đề nghị"},
            content_type="application/json",
            headers=self._headers(world.coordinator),
        )
        assert ok.status_code == 200 and ok.json()["proposals"] == "Đề nghị"
        stale = client.put(
            url,
            {"version": summary.version, "proposals": "Cũ"},
            content_type="application/json",
            headers=self._headers(world.coordinator),
        )
        assert stale.status_code == 422
        refused = client.post(f"{url}/approve", headers=self._headers(world.coordinator))
        assert refused.status_code == 403
        approved = client.post(f"{url}/approve", headers=self._headers(leader))
        assert approved.json()["status"] == "approved"


def test_a_recompile_is_logged_from_the_row_as_it_was(world, rw) -> None:
    from kehoach.audit.models import AuditEntry

    first = svc.compile_summary(actor=world.coordinator, period=rw.period)
    services.accept(actor=world.coordinator, report=rw.report2)
    svc.compile_summary(actor=world.coordinator, period=rw.period)
    created, updated = AuditEntry.objects.for_object(first).order_by("pk")
    assert created.before is None
    # The recompile's "before" is exactly what the first compile stored.
    assert updated.before == created.after
    assert updated.after["version"] == created.after["version"] + 1
    assert updated.before["figures"]["accepted"] == 1
    assert updated.after["figures"]["accepted"] == 2
