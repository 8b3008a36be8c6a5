import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from kehoach.accounts.models import Role
from kehoach.activities.models import Channel
from kehoach.core.testing import ScopedViewChecks, client_for, make_unit, make_user
from kehoach.org.models import UnitKind
from kehoach.plans.models import AssignmentUnit
from kehoach.reports import completeness, figures, services
from kehoach.reports.models import ReportingPeriod, ReportStatus, UnitReport, first_day
from kehoach.reports.tests.builders import log, make_period, reporting_world

NARRATIVE = {
    "leadership": "Chi bộ đã quán triệt Chỉ thị 58.",
    "results": "Tổ chức 3 buổi sinh hoạt.",
    "limitations": "",
    "tasks_ahead": "",
    "proposals": "",
    "opinion": "",
}


@pytest.fixture
def rw(world):
    return reporting_world(world)


@pytest.fixture
def officer(world):
    return make_user("canbo1", unit=world.cell1, role=Role.OFFICER, full_name="Cán Bộ")


@pytest.fixture
def viewer(world):
    return make_user("xem1", unit=world.cell1, role=Role.VIEWER, full_name="Người Xem")


@pytest.fixture
def leader(world):
    return make_user("thuongvu", unit=world.ward, role=Role.LEADER, full_name="Thường Vụ")


def _url(report, action: str = "") -> str:
    suffix = {"": "", "accept": "chap-nhan/", "return": "tra-lai/"}[action]
    return f"/bao-cao/don-vi/{report.pk}/{suffix}"


def _post_narrative(user, report, action="save", version=None, **text):
    data = {**NARRATIVE, **text, "action": action}
    data["version"] = report.version if version is None else version
    return client_for(user).post(_url(report), data)


def _submitted(report, user, when=None) -> UnitReport:
    report = services.save_draft(actor=user, report=report, changes=NARRATIVE, version=1)
    report = services.submit(actor=user, report=report)
    if when is not None:
        UnitReport.objects.filter(pk=report.pk).update(
            first_submitted_at=when, first_submitted_on=first_day(when), submitted_at=when
        )
        report.refresh_from_db()
    return report


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


# ---------------------------------------------------------------- scoping


class TestUnitReportPage(ScopedViewChecks):
    def url(self, world) -> str:
        return _url(reporting_world(world).report1)


class TestSavingTheDraft(ScopedViewChecks):
    method = "post"
    ok_status = 302

    def url(self, world) -> str:
        return _url(reporting_world(world).report1)

    def data(self, world) -> dict:
        return {**NARRATIVE, "version": 1, "action": "save"}

    def test_coordinator_above_is_served(self, world) -> None:
        # The coordinator reads and reviews; writing is the unit's.
        assert self._call(world.coordinator, world).status_code == 403


# ---------------------------------------------------------------- the unit's buttons


def test_the_head_sees_save_and_submit_and_the_figures_of_the_period(world, rw) -> None:
    log(
        world.cell1,
        world.secretary,
        date(2026, 5, 10),
        plan=rw.plan,
        topics=[rw.topic],
        audiences=["party_members"],
        participants=30,
    )
    html = client_for(world.secretary).get(_url(rw.report1)).content.decode()
    assert 'id="button-save"' in html and 'id="button-submit"' in html
    assert 'id="button-accept"' not in html and 'id="form-return"' not in html
    assert 'name="version" value="1"' in html
    total = figures.activity_link(world.cell1, rw.period).replace("&", "&amp;")
    meeting = figures.activity_link(world.cell1, rw.period, channel=Channel.MEETING)
    topic = figures.activity_link(world.cell1, rw.period, topic=rw.topic.pk)
    assert f'href="{total}"' in html
    assert f'href="{meeting.replace("&", "&amp;")}"' in html
    assert f'href="{topic.replace("&", "&amp;")}"' in html
    party = figures.activity_link(world.cell1, rw.period, audience="party_members")
    assert f'href="{party.replace("&", "&amp;")}"' in html
    # A figure of zero links nowhere.
    social = figures.activity_link(world.cell1, rw.period, channel=Channel.SOCIAL)
    assert social.replace("&", "&amp;") not in html
    for table in ("by-topic", "by-channel", "by-audience", "outputs", "task-status"):
        assert f'id="{table}"' in html


def test_the_head_saves_a_draft_and_the_version_moves_on(world, rw) -> None:
    response = _post_narrative(world.secretary, rw.report1, results="Kết quả mới")
    assert response.status_code == 302
    assert response["Location"] == _url(rw.report1)
    rw.report1.refresh_from_db()
    assert (rw.report1.results, rw.report1.status) == ("Kết quả mới", ReportStatus.DRAFT)
    assert rw.report1.version == 2


def test_the_head_submits_what_was_typed(world, rw) -> None:
    response = _post_narrative(world.secretary, rw.report1, "submit", results="Đã làm xong")
    assert response.status_code == 302
    rw.report1.refresh_from_db()
    assert rw.report1.status == ReportStatus.SUBMITTED
    assert rw.report1.results == "Đã làm xong"
    assert rw.report1.submitted_by == world.secretary


def test_submitting_an_empty_report_is_refused_and_keeps_nothing_half_done(world, rw) -> None:
    empty = dict.fromkeys(NARRATIVE, "")
    response = _post_narrative(world.secretary, rw.report1, "submit", **empty)
    assert response.status_code == 422
    assert 'id="action-errors"' in response.content.decode()
    rw.report1.refresh_from_db()
    assert (rw.report1.status, rw.report1.version) == (ReportStatus.DRAFT, 1)


def test_an_officer_may_save_but_not_submit(world, rw, officer) -> None:
    html = client_for(officer).get(_url(rw.report1)).content.decode()
    assert 'id="button-save"' in html and 'id="button-submit"' not in html
    assert _post_narrative(officer, rw.report1, results="Bản nháp").status_code == 302
    rw.report1.refresh_from_db()
    response = _post_narrative(officer, rw.report1, "submit")
    assert response.status_code == 403
    rw.report1.refresh_from_db()
    assert (rw.report1.status, rw.report1.results) == (ReportStatus.DRAFT, "Bản nháp")


def test_a_viewer_reads_the_report_but_every_button_is_refused(world, rw, viewer) -> None:
    html = client_for(viewer).get(_url(rw.report1)).content.decode()
    assert 'id="form-narrative"' not in html and 'id="narrative-read"' in html
    assert _post_narrative(viewer, rw.report1).status_code == 403
    assert _post_narrative(viewer, rw.report1, "submit").status_code == 403
    submitted = _submitted(rw.report1, world.secretary)
    client = client_for(viewer)
    assert client.post(_url(submitted, "accept")).status_code == 403
    assert client.post(_url(submitted, "return"), {"comment": "Sửa"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_another_units_report_is_not_found_for_every_button(world, rw) -> None:
    client = client_for(world.secretary2)
    assert _post_narrative(world.secretary2, rw.report1, "submit").status_code == 404
    submitted = _submitted(rw.report1, world.secretary)
    assert client.post(_url(submitted, "accept")).status_code == 404
    assert client.post(_url(submitted, "return"), {"comment": "x"}).status_code == 404
    outsider = client_for(world.outsider)
    assert outsider.post(_url(submitted, "accept")).status_code == 404


def test_the_head_cannot_accept_or_return_the_own_report(world, rw) -> None:
    submitted = _submitted(rw.report1, world.secretary)
    client = client_for(world.secretary)
    assert client.post(_url(submitted, "accept")).status_code == 403
    assert client.post(_url(submitted, "return"), {"comment": "x"}).status_code == 403
    html = client.get(_url(submitted)).content.decode()
    assert 'id="button-accept"' not in html and 'id="form-narrative"' not in html


# ---------------------------------------------------------------- the coordinator's buttons


def test_the_coordinator_accepts_a_submitted_report(world, rw) -> None:
    log(world.cell1, world.secretary, date(2026, 5, 10), plan=rw.plan, participants=30)
    submitted = _submitted(rw.report1, world.secretary)
    client = client_for(world.coordinator)
    html = client.get(_url(submitted)).content.decode()
    assert 'id="button-accept"' in html and 'id="button-return"' in html
    assert 'id="form-narrative"' not in html
    response = client.post(_url(submitted, "accept"))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.ACCEPTED
    assert submitted.reviewed_by == world.coordinator
    assert submitted.figures["activities"] == 1 and submitted.figures["reached"] == 30
    html = client.get(_url(submitted)).content.decode()
    assert 'id="accepted"' in html and 'id="button-accept"' not in html


def test_the_coordinator_returns_with_a_comment_and_the_head_resubmits(world, rw) -> None:
    submitted = _submitted(rw.report1, world.secretary)
    response = client_for(world.coordinator).post(
        _url(submitted, "return"), {"comment": "Bổ sung số liệu tháng 5"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    assert submitted.return_comment == "Bổ sung số liệu tháng 5"
    html = client_for(world.secretary).get(_url(submitted)).content.decode()
    assert 'id="return-comment"' in html and "Bổ sung số liệu tháng 5" in html
    assert 'id="button-submit"' in html
    assert _post_narrative(world.secretary, submitted, "submit").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_returning_without_a_comment_is_refused_and_the_form_shows_the_error(world, rw) -> None:
    submitted = _submitted(rw.report1, world.secretary)
    response = client_for(world.coordinator).post(_url(submitted, "return"), {"comment": "  "})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="return-errors"' in html and 'id="form-return"' in html
    submitted.refresh_from_db()
    assert (submitted.status, submitted.return_comment) == (ReportStatus.SUBMITTED, "")


def test_accepting_a_draft_is_refused_with_a_message(world, rw) -> None:
    response = client_for(world.coordinator).post(_url(rw.report1, "accept"))
    assert response.status_code == 422
    assert 'id="action-errors"' in response.content.decode()
    rw.report1.refresh_from_db()
    assert rw.report1.status == ReportStatus.DRAFT


def test_editing_after_acceptance_is_refused(world, rw) -> None:
    submitted = _submitted(rw.report1, world.secretary)
    services.accept(actor=world.coordinator, report=submitted)
    submitted.refresh_from_db()
    response = _post_narrative(world.secretary, submitted, results="Sửa sau khi duyệt")
    assert response.status_code == 422
    submitted.refresh_from_db()
    assert submitted.results == NARRATIVE["results"]


def test_the_page_links_to_the_audit_history_for_the_head_and_coordinator(world, rw) -> None:
    html = client_for(world.coordinator).get(_url(rw.report1)).content.decode()
    assert 'id="audit-link"' in html


# ---------------------------------------------------------------- stale versions


def test_a_stale_version_keeps_what_the_person_typed_and_overwrites_nothing(
    world, rw, officer
) -> None:
    # The head opens the form at version 1; meanwhile the officer saves.
    services.save_draft(
        actor=officer, report=rw.report1, changes={"results": "Bản của cán bộ"}, version=1
    )
    response = _post_narrative(
        world.secretary, rw.report1, version=1, results="Bản của bí thư, gõ rất lâu"
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="stale-notice"' in html
    assert "Bản của bí thư, gõ rất lâu" in html  # the typed text is still in the form
    assert "Bản của cán bộ" in html  # and what was saved meanwhile is shown
    assert 'name="version" value="2"' in html  # saving again now is a deliberate choice
    rw.report1.refresh_from_db()
    assert (rw.report1.results, rw.report1.version) == ("Bản của cán bộ", 2)


# ---------------------------------------------------------------- periods


def test_the_periods_page_is_scoped_to_the_plan_and_shows_each_cell_its_own_reports(
    world, rw
) -> None:
    url = f"/bao-cao/ke-hoach/{rw.plan.pk}/"
    assert client_for(None).get(url).status_code == 302
    assert client_for(world.outsider).get(url).status_code == 404
    # The plan gives duties to both cells: each sees the plan, and only its own report.
    html = client_for(world.secretary2).get(url).content.decode()
    assert f'id="report-{rw.report2.pk}"' in html
    assert f'id="report-{rw.report1.pk}"' not in html
    html = client_for(world.coordinator).get(url).content.decode()
    assert f'id="report-{rw.report1.pk}"' in html and f'id="report-{rw.report2.pk}"' in html


def test_the_coordinator_sees_the_period_buttons_and_the_cell_does_not(world, rw) -> None:
    url = f"/bao-cao/ke-hoach/{rw.plan.pk}/"
    html = client_for(world.coordinator).get(url).content.decode()
    assert 'id="form-open-periods"' in html and 'id="add-period"' in html
    assert f'href="/bao-cao/ky/{rw.period.pk}/sua/"' in html
    assert 'data-figures="2/0/0/0/2"' in html  # May is past due: both reports missing
    html = client_for(world.secretary).get(url).content.decode()
    assert 'id="form-open-periods"' not in html and 'id="add-period"' not in html
    assert "data-figures" not in html


def test_the_coordinator_adds_a_period_and_the_units_with_duties_owe_a_report(world, rw) -> None:
    response = client_for(world.coordinator).post(
        f"/bao-cao/ke-hoach/{rw.plan.pk}/them-ky/",
        {
            "kind": "quarter",
            "label": "Quý III/2026",
            "start": "2026-07-01",
            "end": "2026-09-30",
            "due_date": "2026-10-10",
        },
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(label="Quý III/2026")
    assert set(period.unit_reports.values_list("unit_id", flat=True)) == {
        world.cell1.pk,
        world.cell2.pk,
        world.committee.pk,
    }


def test_a_period_that_ends_before_it_starts_is_refused_with_the_form(world, rw) -> None:
    response = client_for(world.coordinator).post(
        f"/bao-cao/ke-hoach/{rw.plan.pk}/them-ky/",
        {
            "kind": "month",
            "label": "Sai",
            "start": "2026-07-31",
            "end": "2026-07-01",
            "due_date": "2026-08-10",
        },
    )
    assert response.status_code == 422
    assert 'id="form-period"' in response.content.decode()
    assert not ReportingPeriod.objects.filter(label="Sai").exists()


def test_a_cell_cannot_add_edit_or_open_periods(world, rw) -> None:
    client = client_for(world.secretary)
    assert client.get(f"/bao-cao/ke-hoach/{rw.plan.pk}/them-ky/").status_code == 403
    assert client.post(f"/bao-cao/ke-hoach/{rw.plan.pk}/mo-ky/").status_code == 403
    assert client.get(f"/bao-cao/ky/{rw.period.pk}/sua/").status_code == 403
    assert client.get(f"/bao-cao/ky/{rw.period.pk}/don-vi/").status_code == 403
    assert client_for(world.outsider).get(f"/bao-cao/ky/{rw.period.pk}/sua/").status_code == 404


def test_the_coordinator_edits_the_due_date_of_a_period(world, rw) -> None:
    response = client_for(world.coordinator).post(
        f"/bao-cao/ky/{rw.period.pk}/sua/",
        {
            "kind": "month",
            "label": "Tháng 5/2026",
            "start": "2026-05-01",
            "end": "2026-05-31",
            "due_date": "2026-06-20",
        },
    )
    assert response.status_code == 302
    rw.period.refresh_from_db()
    assert rw.period.due_date == date(2026, 6, 20)


def test_opening_periods_from_the_plan_answers_and_returns_to_the_list(world, rw) -> None:
    response = client_for(world.coordinator).post(f"/bao-cao/ke-hoach/{rw.plan.pk}/mo-ky/")
    assert response.status_code == 302
    assert response["Location"] == f"/bao-cao/ke-hoach/{rw.plan.pk}/"


def test_the_coordinator_adjusts_the_units_that_owe_a_report(world, rw) -> None:
    url = f"/bao-cao/ky/{rw.period.pk}/don-vi/"
    client = client_for(world.coordinator)
    html = client.get(url).content.decode()
    assert re.search(rf'value="{world.cell1.pk}"[^>]*checked', html)
    assert not re.search(rf'value="{world.committee.pk}"[^>]*checked', html)
    response = client.post(url, {"units": [world.cell1.pk, world.committee.pk]})
    assert response.status_code == 302
    assert set(rw.period.unit_reports.values_list("unit_id", flat=True)) == {
        world.cell1.pk,
        world.committee.pk,
    }


# ---------------------------------------------------------------- my reports


def test_my_reports_lists_drafts_and_returned_soonest_due_first_overdue_in_red(world, rw) -> None:
    today = timezone.localdate()
    soon = make_period(
        rw.plan,
        label="Sắp tới",
        start=today - timedelta(days=20),
        end=today - timedelta(days=1),
        due_date=today + timedelta(days=5),
        units=[world.cell1],
    )
    later = make_period(
        rw.plan,
        label="Sau nữa",
        start=today,
        end=today + timedelta(days=20),
        due_date=today + timedelta(days=30),
        units=[world.cell1],
    )
    report_soon = soon.unit_reports.get()
    report_later = later.unit_reports.get()
    accepted = make_period(rw.plan, label="Xong", start=date(2026, 4, 1), end=date(2026, 4, 30))
    done = UnitReport.objects.create(
        period=accepted, unit=world.cell1, status=ReportStatus.ACCEPTED
    )
    html = client_for(world.secretary).get("/bao-cao/").content.decode()
    ids = [rw.report1.pk, report_soon.pk, report_later.pk, done.pk, rw.report2.pk]
    found = sorted((html.find(f'id="report-{pk}"'), pk) for pk in ids)
    assert [pk for pos, pk in found if pos >= 0] == [rw.report1.pk, report_soon.pk, report_later.pk]
    assert re.search(rf'class="[^"]*overdue[^"]*" id="report-{rw.report1.pk}"', html)
    assert not re.search(rf'class="[^"]*overdue[^"]*" id="report-{report_soon.pk}"', html)


def test_the_coordinator_sees_the_plans_and_the_reports_to_review(world, rw) -> None:
    submitted = _submitted(rw.report1, world.secretary)
    html = client_for(world.coordinator).get("/bao-cao/").content.decode()
    assert f'id="plan-{rw.plan.pk}"' in html
    assert f'id="review-{submitted.pk}"' in html
    html = client_for(world.secretary).get("/bao-cao/").content.decode()
    assert f'id="plan-{rw.plan.pk}"' not in html


# ---------------------------------------------------------------- the board


def _board_world(world, rw):
    """May: cell1 on time, cell2 missing. June: cell1 late, cell2 accepted on time."""
    june = make_period(
        rw.plan,
        label="Tháng 6/2026",
        start=date(2026, 6, 1),
        end=date(2026, 6, 30),
        due_date=date(2026, 7, 15),
        units=[world.cell1, world.cell2],
    )
    _submitted(rw.report1, world.secretary, _aware(date(2026, 6, 10)))
    _submitted(june.unit_reports.get(unit=world.cell1), world.secretary, _aware(date(2026, 7, 20)))
    june2 = _submitted(
        june.unit_reports.get(unit=world.cell2), world.secretary2, _aware(date(2026, 7, 1))
    )
    services.accept(actor=world.coordinator, report=june2)
    return june


def _figures_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}" data-figures="([^"]+)"', html)
    assert match, element_id
    return match.group(1)


def test_the_board_numbers_match_the_data(world, rw) -> None:
    june = _board_world(world, rw)
    html = client_for(world.coordinator).get(f"/bao-cao/ke-hoach/{rw.plan.pk}/tien-do/").content
    html = html.decode()
    for period in (rw.period, june):
        c = completeness.completeness(period)
        expected = "/".join(str(c[k]) for k in ("expected", "submitted", "on_time", "late"))
        assert _figures_of(html, f"board-period-{period.pk}") == f"{expected}/{c['missing']}"
    assert _figures_of(html, f"board-period-{rw.period.pk}") == "2/1/1/0/1"
    assert _figures_of(html, f"board-period-{june.pk}") == "2/2/1/1/0"
    assert _figures_of(html, f"board-unit-{world.cell1.pk}") == "2/2/1/1/0"
    assert _figures_of(html, f"board-unit-{world.cell2.pk}") == "2/1/1/0/1"
    assert _figures_of(html, "board-overall") == "4/3/2/1/1"
    by_unit = completeness.completeness_by_unit(rw.plan)
    overall = by_unit["overall"]
    assert "/".join(
        str(overall[k]) for k in ("expected", "submitted", "on_time", "late", "missing")
    ) == _figures_of(html, "board-overall")


def test_the_board_rows_link_each_report_mark_it_and_escape_the_unit(world, rw) -> None:
    june = _board_world(world, rw)
    world.cell1.name = 'Chi bộ <b>"số 1"</b>'
    world.cell1.save()
    html = client_for(world.coordinator).get(f"/bao-cao/ke-hoach/{rw.plan.pk}/tien-do/")
    html = html.content.decode()
    row = re.search(rf'<tr id="board-unit-{world.cell1.pk}".*?</tr>', html, re.S).group(0)
    assert "Chi bộ &lt;b&gt;&quot;số 1&quot;&lt;/b&gt;" in row
    assert "<b>" not in row
    may = rw.report1
    late = june.unit_reports.get(unit=world.cell1)
    # May submitted on time (●), June submitted late (●!), each cell its report's link.
    assert f'href="/bao-cao/don-vi/{may.pk}/" aria-label="Đã nộp">●</a>' in row
    assert f'href="/bao-cao/don-vi/{late.pk}/" aria-label="Đã nộp, quá hạn">●!</a>' in row
    assert row.endswith('<td class="num">0</td><td class="num">50</td></tr>')
    missing = re.search(rf'<tr id="board-unit-{world.cell2.pk}".*?</tr>', html, re.S).group(0)
    assert "✗</a>" in missing and '<td class="num missing">1</td>' in missing


def test_the_board_of_a_plan_without_reports_says_so(world, rw) -> None:
    UnitReport.objects.filter(period__plan=rw.plan).delete()
    html = client_for(world.coordinator).get(f"/bao-cao/ke-hoach/{rw.plan.pk}/tien-do/")
    assert "Chưa có đơn vị nào phải báo cáo." in html.content.decode()


def test_the_board_is_for_the_coordinator_and_leaders(world, rw, leader) -> None:
    url = f"/bao-cao/ke-hoach/{rw.plan.pk}/tien-do/"
    assert client_for(world.coordinator).get(url).status_code == 200
    assert client_for(leader).get(url).status_code == 200
    assert client_for(world.secretary).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert client_for(world.secretary).get(url + "excel/").status_code == 403


def test_the_board_exports_to_excel_with_the_same_numbers(world, rw) -> None:
    from openpyxl import load_workbook

    june = _board_world(world, rw)
    response = client_for(world.coordinator).get(f"/bao-cao/ke-hoach/{rw.plan.pk}/tien-do/excel/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    june_row = next(r for r in rows if r[0] == june.label)
    assert june_row[1:6] == [2, 2, 1, 1, 0]
    grid = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert grid[0][1:3] == [rw.period.label, june.label]
    assert len(grid) == 3


# ---------------------------------------------------------------- query counts


def _more_units(world, rw, count: int) -> None:
    assignment = rw.plan.assignments.filter(targets__unit=world.cell1).first()
    for i in range(count):
        unit = make_unit(f"Chi bộ thêm {i}", UnitKind.PARTY_CELL, world.ward)
        AssignmentUnit.objects.create(assignment=assignment, unit=unit)
        UnitReport.objects.create(period=rw.period, unit=unit)


@pytest.mark.parametrize(
    "path",
    [
        "/bao-cao/",
        "/bao-cao/ke-hoach/{plan}/",
        "/bao-cao/ke-hoach/{plan}/tien-do/",
    ],
)
def test_list_pages_use_the_same_number_of_queries_for_2_and_12_units(
    world, rw, path, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    url = path.format(plan=rw.plan.pk)
    _submitted(rw.report1, world.secretary)
    client = client_for(world.coordinator)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _more_units(world, rw, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_my_reports_uses_the_same_number_of_queries_for_more_reports(
    world, rw, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    client = client_for(world.secretary)
    client.get("/bao-cao/")
    with django_assert_max_num_queries(15) as small:
        client.get("/bao-cao/")
    for month in range(1, 5):
        make_period(
            rw.plan,
            label=f"Tháng {month}",
            start=date(2026, month, 1),
            end=date(2026, month, 28),
            units=[world.cell1],
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/bao-cao/")
