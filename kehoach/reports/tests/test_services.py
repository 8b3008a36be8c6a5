from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from kehoach.accounts.models import Membership, Role
from kehoach.activities import activity_services
from kehoach.activities.models import Activity, Notification
from kehoach.audit.models import AuditEntry
from kehoach.core.concurrency import StaleEdit
from kehoach.core.testing import make_unit, make_user
from kehoach.plans.models import Assignment, Duty, Recurrence
from kehoach.reports import completeness, services
from kehoach.reports.figures import unit_figures
from kehoach.reports.models import PeriodKind, ReportingPeriod, ReportStatus, UnitReport
from kehoach.reports.tests.builders import MAY_DUE, log, reporting_world, saved_plan

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def rw(world):
    return reporting_world(world)


@pytest.fixture
def officer(world):
    return make_user("canbo1", unit=world.cell1, role=Role.OFFICER)


@pytest.fixture
def leader(world):
    return make_user("thuongvu", unit=world.ward, role=Role.LEADER)


def _audit(obj) -> list[AuditEntry]:
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("id"))


def _fresh(report) -> UnitReport:
    return UnitReport.objects.get(pk=report.pk)


def _written(report, actor, **text) -> UnitReport:
    text = text or {"results": "Tổ chức 2 buổi sinh hoạt chuyên đề."}
    return services.save_draft(actor=actor, report=report, changes=text, version=report.version)


def _submitted(world, report) -> UnitReport:
    head = world.secretary if report.unit == world.cell1 else world.secretary2
    return services.submit(actor=head, report=_written(report, head))


# ---------------------------------------------------------------- drafting


def test_the_head_and_an_officer_of_the_unit_save_the_draft_and_the_version_moves_on(
    world, rw, officer
):
    report = services.save_draft(
        actor=world.secretary,
        report=rw.report1,
        changes={"leadership": "  Chi bộ đã quán triệt.  ", "opinion": "Nhân dân đồng tình."},
        version=1,
    )
    assert report.version == 2
    report = services.save_draft(
        actor=officer, report=report, changes={"results": "Kết quả"}, version=2
    )
    saved = _fresh(rw.report1)
    assert (saved.leadership, saved.opinion, saved.results) == (
        "Chi bộ đã quán triệt.",
        "Nhân dân đồng tình.",
        "Kết quả",
    )
    assert saved.version == 3
    assert saved.status == ReportStatus.DRAFT


def test_a_stale_version_is_refused_and_nothing_is_overwritten(world, rw, officer):
    # Both open version 1; the officer saves first; the head's save must not overwrite it.
    services.save_draft(
        actor=officer, report=rw.report1, changes={"results": "Bản của cán bộ"}, version=1
    )
    with pytest.raises(StaleEdit) as refused:
        services.save_draft(
            actor=world.secretary,
            report=rw.report1,
            changes={"results": "Bản của bí thư", "proposals": "Đề xuất"},
            version=1,
        )
    assert refused.value.code == "stale"
    saved = _fresh(rw.report1)
    assert saved.results == "Bản của cán bộ"
    assert saved.proposals == ""
    assert saved.version == 2
    # With the version just read, the head's text goes in.
    services.save_draft(
        actor=world.secretary, report=saved, changes={"proposals": "Đề xuất"}, version=2
    )
    assert _fresh(rw.report1).proposals == "Đề xuất"


def test_only_the_narrative_can_be_saved_as_a_draft(world, rw):
    for changes in ({"status": "accepted"}, {"figures": {"activities": 99}}, {"results": 5}):
        with pytest.raises(ValidationError):
            services.save_draft(
                actor=world.secretary, report=rw.report1, changes=changes, version=1
            )
    saved = _fresh(rw.report1)
    assert saved.status == ReportStatus.DRAFT and saved.figures == {} and saved.version == 1


def test_people_of_another_unit_and_the_coordinator_cannot_write_a_units_report(world, rw):
    for actor in (world.secretary2, world.outsider, world.coordinator):
        with pytest.raises(PermissionDenied):
            services.save_draft(actor=actor, report=rw.report1, changes={"results": "x"}, version=1)
    assert _fresh(rw.report1).results == ""


def test_saving_a_draft_is_audited_with_the_writer(world, rw):
    _written(rw.report1, world.secretary, results="Kết quả tháng 5")
    entry = _audit(rw.report1)[-1]
    assert entry.actor == world.secretary
    assert entry.after["results"] == "Kết quả tháng 5"


# ---------------------------------------------------------------- submitting


def test_the_head_submits_and_the_coordinators_above_are_notified(world, rw, officer):
    report = _submitted(world, rw.report1)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == world.secretary
    assert report.submitted_at is not None
    assert report.first_submitted_at == report.submitted_at
    notice = Notification.objects.get(user=world.coordinator)
    assert str(rw.report1.pk) in notice.link
    assert world.cell1.name in notice.text
    assert not Notification.objects.filter(user__in=[world.outsider, world.secretary2]).exists()
    entry = _audit(rw.report1)[-1]
    assert entry.actor == world.secretary
    assert entry.before["status"] == "draft" and entry.after["status"] == "submitted"


def test_an_officer_cannot_submit_only_the_head_can(world, rw, officer):
    report = _written(rw.report1, officer)
    with pytest.raises(PermissionDenied):
        services.submit(actor=officer, report=report)
    assert _fresh(report).status == ReportStatus.DRAFT


def test_submitting_another_units_report_is_refused(world, rw):
    report = _written(rw.report1, world.secretary)
    for actor in (world.secretary2, world.outsider, world.coordinator):
        with pytest.raises(PermissionDenied):
            services.submit(actor=actor, report=report)
    assert _fresh(report).status == ReportStatus.DRAFT
    assert not Notification.objects.filter(user=world.coordinator).exists()


def test_an_empty_report_cannot_be_submitted(world, rw):
    with pytest.raises(ValidationError):
        services.submit(actor=world.secretary, report=rw.report1)
    assert _fresh(rw.report1).status == ReportStatus.DRAFT


def test_a_submitted_report_cannot_be_edited_or_submitted_again(world, rw):
    report = _submitted(world, rw.report1)
    with pytest.raises(ValidationError):
        services.save_draft(
            actor=world.secretary, report=report, changes={"results": "x"}, version=report.version
        )
    with pytest.raises(ValidationError):
        services.submit(actor=world.secretary, report=report)
    assert _fresh(report).results == "Tổ chức 2 buổi sinh hoạt chuyên đề."


def test_submitting_makes_an_editor_opened_before_stale(world, rw):
    opened = _written(rw.report1, world.secretary)
    services.submit(actor=world.secretary, report=opened)
    returned = services.return_report(actor=world.coordinator, report=opened, comment="Bổ sung")
    with pytest.raises(StaleEdit):
        services.save_draft(
            actor=world.secretary, report=returned, changes={"results": "x"}, version=2
        )


# ---------------------------------------------------------------- returning


def test_returning_without_a_comment_is_refused(world, rw):
    report = _submitted(world, rw.report1)
    for comment in ("", "   ", None):
        with pytest.raises(ValidationError) as refused:
            services.return_report(actor=world.coordinator, report=report, comment=comment)
        assert "comment" in refused.value.message_dict
    assert _fresh(report).status == ReportStatus.SUBMITTED


def test_the_coordinator_returns_with_a_comment_and_the_unit_is_notified(world, rw, officer):
    report = _submitted(world, rw.report1)
    report = services.return_report(
        actor=world.coordinator, report=report, comment="  Bổ sung số liệu truyền thanh.  "
    )
    assert report.status == ReportStatus.RETURNED
    assert report.return_comment == "Bổ sung số liệu truyền thanh."
    assert report.reviewed_by == world.coordinator
    notified = set(
        Notification.objects.filter(text__contains="Bổ sung số liệu").values_list("user", flat=True)
    )
    assert notified == {world.secretary.pk, officer.pk}
    entry = _audit(report)[-1]
    assert entry.actor == world.coordinator
    assert entry.after["return_comment"] == "Bổ sung số liệu truyền thanh."


def test_a_returned_report_is_corrected_and_resubmitted_keeping_its_first_submission(world, rw):
    first = _submitted(world, rw.report1).first_submitted_at
    report = services.return_report(actor=world.coordinator, report=rw.report1, comment="Sửa")
    report = services.save_draft(
        actor=world.secretary,
        report=report,
        changes={"limitations": "Còn hạn chế"},
        version=report.version,
    )
    assert report.status == ReportStatus.RETURNED
    report = services.submit(actor=world.secretary, report=report)
    assert report.status == ReportStatus.SUBMITTED
    assert report.first_submitted_at == first
    assert report.submitted_at > first
    assert Notification.objects.filter(user=world.coordinator).count() == 2


def test_only_a_coordinator_above_the_unit_reviews(world, rw, leader):
    report = _submitted(world, rw.report1)
    for actor in (world.secretary, world.secretary2, world.outsider, leader):
        with pytest.raises(PermissionDenied):
            services.return_report(actor=actor, report=report, comment="Sửa")
        with pytest.raises(PermissionDenied):
            services.accept(actor=actor, report=report)
    assert _fresh(report).status == ReportStatus.SUBMITTED


def test_a_draft_cannot_be_reviewed(world, rw):
    with pytest.raises(ValidationError):
        services.accept(actor=world.coordinator, report=rw.report1)
    with pytest.raises(ValidationError):
        services.return_report(actor=world.coordinator, report=rw.report1, comment="Sửa")
    assert _fresh(rw.report1).status == ReportStatus.DRAFT


# ---------------------------------------------------------------- accepting


def test_accepting_snapshots_the_figures_and_locks_the_units_activities_of_the_period(
    world, rw, officer
):
    inside = log(world.cell1, world.secretary, date(2026, 5, 10), plan=rw.plan, participants=40)
    outside = log(world.cell1, world.secretary, date(2026, 6, 2), plan=rw.plan)
    other = log(world.cell2, world.secretary2, date(2026, 5, 10), plan=rw.plan)
    report = _submitted(world, rw.report1)
    expected = unit_figures(world.cell1, rw.period)
    report = services.accept(actor=world.coordinator, report=report)
    assert report.status == ReportStatus.ACCEPTED
    assert report.reviewed_by == world.coordinator
    assert _fresh(report).figures == expected
    assert _fresh(report).figures["reach"]["participants"] == 40
    assert Activity.objects.get(pk=inside.pk).locked_at is not None
    assert Activity.objects.get(pk=outside.pk).locked_at is None
    assert Activity.objects.get(pk=other.pk).locked_at is None
    with pytest.raises(ValidationError):
        activity_services.update_activity(
            actor=world.secretary, activity=inside, changes={"participants": 1}
        )
    notified = set(
        Notification.objects.exclude(user=world.coordinator).values_list("user", flat=True)
    )
    assert {world.secretary.pk, officer.pk} <= notified
    entry = _audit(report)[-1]
    assert entry.actor == world.coordinator
    assert entry.after["status"] == "accepted"
    assert _audit(Activity.objects.get(pk=inside.pk))[-1].actor == world.coordinator


def test_the_snapshot_stays_when_activities_change_after_acceptance(world, rw):
    activity = log(world.cell1, world.secretary, date(2026, 5, 10), plan=rw.plan, participants=5)
    report = services.accept(actor=world.coordinator, report=_submitted(world, rw.report1))
    activity_services.unlock_activity(
        actor=world.coordinator, activity=activity, reason="Sửa số liệu"
    )
    activity_services.update_activity(
        actor=world.secretary, activity=activity, changes={"participants": 500}
    )
    assert _fresh(report).figures["reach"]["participants"] == 5


def test_an_accepted_report_is_final(world, rw):
    report = services.accept(actor=world.coordinator, report=_submitted(world, rw.report1))
    with pytest.raises(ValidationError) as refused:
        services.save_draft(
            actor=world.secretary, report=report, changes={"results": "x"}, version=report.version
        )
    assert refused.value.code == "accepted"
    with pytest.raises(ValidationError):
        services.submit(actor=world.secretary, report=report)
    with pytest.raises(ValidationError):
        services.return_report(actor=world.coordinator, report=report, comment="Sửa")
    with pytest.raises(ValidationError):
        services.accept(actor=world.coordinator, report=report)
    assert _fresh(report).status == ReportStatus.ACCEPTED


def test_an_administrator_may_do_every_step(world, rw):
    report = _written(rw.report1, world.admin)
    report = services.submit(actor=world.admin, report=report)
    report = services.accept(actor=world.admin, report=report)
    assert report.status == ReportStatus.ACCEPTED


# ---------------------------------------------------------------- periods


def test_the_coordinator_adds_a_period_and_units_with_duties_owe_a_report(world):
    plan = saved_plan(world)
    period = services.add_period(
        actor=world.coordinator,
        plan=plan,
        kind=PeriodKind.EVENT,
        label="  Sơ kết 6 tháng  ",
        start=date(2026, 5, 20),
        end=date(2026, 6, 30),
        due_date=date(2026, 7, 5),
    )
    assert period.label == "Sơ kết 6 tháng"
    assert period.created_by == world.coordinator
    assert set(period.unit_reports.values_list("unit", flat=True)) == {
        world.committee.pk,
        world.cell1.pk,
        world.cell2.pk,
    }
    assert set(period.unit_reports.values_list("status", flat=True)) == {ReportStatus.DRAFT}
    assert Notification.objects.filter(user=world.secretary, text__contains="Sơ kết").exists()
    assert _audit(period)[0].actor == world.coordinator


def test_a_period_is_refused_when_dates_are_wrong_or_it_exists(world, rw):
    base = {
        "actor": world.coordinator,
        "plan": rw.plan,
        "kind": PeriodKind.MONTH,
        "label": "Tháng 6/2026",
        "start": date(2026, 6, 1),
        "end": date(2026, 6, 30),
        "due_date": date(2026, 7, 15),
    }
    for wrong in (
        {"end": date(2026, 5, 31), "start": date(2026, 6, 30)},
        {"due_date": date(2026, 5, 1)},
        {"label": " "},
        {"kind": "weekly"},
        {"start": rw.period.start, "end": rw.period.end},
    ):
        with pytest.raises(ValidationError):
            services.add_period(**{**base, **wrong})
    assert ReportingPeriod.objects.filter(plan=rw.plan).count() == 1


def test_only_the_coordinator_manages_periods(world, rw, leader):
    for actor in (world.secretary, leader, world.outsider):
        with pytest.raises(PermissionDenied):
            services.add_period(
                actor=actor,
                plan=rw.plan,
                kind=PeriodKind.MONTH,
                label="Tháng 6/2026",
                start=date(2026, 6, 1),
                end=date(2026, 6, 30),
                due_date=date(2026, 7, 15),
            )
        with pytest.raises(PermissionDenied):
            services.set_expected_units(actor=actor, period=rw.period, units=[world.cell1])
        with pytest.raises(PermissionDenied):
            services.update_period(actor=actor, period=rw.period, label="x")


def test_the_coordinator_updates_a_period_but_not_its_dates_after_an_acceptance(world, rw):
    period = services.update_period(
        actor=world.coordinator, period=rw.period, due_date=date(2026, 6, 20), label="Tháng 5"
    )
    assert (period.due_date, period.label) == (date(2026, 6, 20), "Tháng 5")
    services.accept(actor=world.coordinator, report=_submitted(world, rw.report1))
    with pytest.raises(ValidationError):
        services.update_period(actor=world.coordinator, period=rw.period, end=date(2026, 6, 10))
    with pytest.raises(ValidationError):
        services.update_period(actor=world.coordinator, period=rw.period, colour="red")
    assert ReportingPeriod.objects.get(pk=rw.period.pk).end == date(2026, 5, 31)


def test_the_coordinator_adjusts_the_expected_units_without_losing_submitted_reports(world, rw):
    services.set_expected_units(
        actor=world.coordinator, period=rw.period, units=[world.cell1, world.committee]
    )
    units = set(rw.period.unit_reports.values_list("unit", flat=True))
    assert units == {world.cell1.pk, world.committee.pk}
    assert not UnitReport.objects.filter(pk=rw.report2.pk).exists()
    _submitted(world, rw.report1)
    with pytest.raises(ValidationError):
        services.set_expected_units(actor=world.coordinator, period=rw.period, units=[])
    assert UnitReport.objects.filter(pk=rw.report1.pk).exists()
    # By default: the units with duties in the plan.
    reports = services.set_expected_units(actor=world.coordinator, period=rw.period)
    assert {r.unit_id for r in reports} == {world.committee.pk, world.cell1.pk, world.cell2.pk}


def test_units_outside_the_plans_ward_cannot_be_expected(world, rw):
    for unit in (world.other_cell, world.superior):
        with pytest.raises(ValidationError):
            services.set_expected_units(actor=world.coordinator, period=rw.period, units=[unit])
    assert rw.period.unit_reports.count() == 2


def _reporting_duty(plan, **fields) -> Duty:
    assignment = Assignment.objects.get(plan=plan, heading__startswith="Các cấp ủy")
    return Duty.objects.create(assignment=assignment, order=9, **fields)


def test_periods_open_from_a_monthly_reporting_duty_with_its_due_day(world):
    plan = saved_plan(world)
    _reporting_duty(
        plan,
        text="Báo cáo kết quả về Ban Xây dựng đảng trước ngày 15 hằng tháng",
        recurrence=Recurrence.MONTHLY,
        due_day=15,
        deadline_text="trước ngày 15 hằng tháng",
    )
    periods = services.open_periods(actor=world.coordinator, plan=plan)
    # The plan is dated 20/05/2026: May to December.
    assert [p.start for p in periods] == [date(2026, m, 1) for m in range(5, 13)]
    may = periods[0]
    assert (may.kind, may.end, may.due_date) == ("month", date(2026, 5, 31), date(2026, 6, 15))
    assert may.due_text == "trước ngày 15 hằng tháng"
    assert may.label
    assert may.unit_reports.count() == 3
    again = services.open_periods(actor=world.coordinator, plan=plan)
    assert [p.pk for p in again] == [p.pk for p in periods]
    assert ReportingPeriod.objects.filter(plan=plan).count() == 8


def test_a_periodic_duty_without_rhythm_and_duties_not_about_reporting_open_nothing(world):
    plan = saved_plan(world)  # "Định kỳ báo cáo kết quả …" (periodic), other duties no report
    _reporting_duty(plan, text="Tuyên truyền hằng tháng", recurrence=Recurrence.MONTHLY)
    assert services.open_periods(actor=world.coordinator, plan=plan) == []
    assert not ReportingPeriod.objects.filter(plan=plan).exists()


def test_a_reporting_duty_with_a_deadline_opens_one_event_period(world):
    plan = saved_plan(world)
    _reporting_duty(
        plan, text="Sơ kết, BÁO CÁO kết quả trước ngày 30/6/2026", deadline=date(2026, 6, 30)
    )
    (period,) = services.open_periods(actor=world.coordinator, plan=plan)
    assert period.kind == PeriodKind.EVENT
    assert (period.start, period.end, period.due_date) == (
        plan.date,
        date(2026, 6, 30),
        date(2026, 6, 30),
    )


def test_opening_periods_is_the_coordinators(world):
    plan = saved_plan(world)
    with pytest.raises(PermissionDenied):
        services.open_periods(actor=world.secretary, plan=plan)


# ---------------------------------------------------------------- completeness


def _submit_on(world, report, day: date) -> UnitReport:
    report = _submitted(world, report)
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=TZ)
    UnitReport.objects.filter(pk=report.pk).update(
        first_submitted_at=moment, first_submitted_on=moment.date(), submitted_at=moment
    )
    return _fresh(report)


def test_completeness_counts_on_time_late_and_missing_reports(world, rw):
    committee = UnitReport.objects.create(period=rw.period, unit=world.committee)
    third = make_unit("Chi bộ 3", parent=world.ward)
    UnitReport.objects.create(period=rw.period, unit=third)
    _submit_on(world, rw.report1, MAY_DUE)  # on the due day: on time
    _submit_on(world, rw.report2, date(2026, 6, 16))  # a day late
    result = completeness.completeness(rw.period, today=date(2026, 6, 20))
    assert {k: result[k] for k in ("expected", "submitted", "on_time", "late", "missing")} == {
        "expected": 4,
        "submitted": 2,
        "on_time": 1,
        "late": 1,
        "missing": 2,
    }
    assert result["rates"] == {"submitted": 50.0, "on_time": 25.0, "late": 25.0, "missing": 50.0}
    by_unit = {row["unit_id"]: row for row in result["units"]}
    assert by_unit[world.cell1.pk]["timeliness"] == "on_time"
    assert by_unit[world.cell2.pk]["timeliness"] == "late"
    assert by_unit[world.committee.pk]["timeliness"] == "missing"
    assert by_unit[world.committee.pk]["report_id"] == committee.pk


def test_before_the_due_date_an_unsubmitted_report_is_not_yet_missing(world, rw):
    result = completeness.completeness(rw.period, today=date(2026, 6, 1))
    assert (result["missing"], result["not_due"]) == (0, 2)
    assert completeness.completeness(rw.period, today=date(2026, 6, 16))["missing"] == 2


def test_a_correction_after_a_return_does_not_make_a_report_late(world, rw):
    report = _submit_on(world, rw.report1, date(2026, 6, 10))
    services.return_report(actor=world.coordinator, report=report, comment="Sửa")
    services.submit(actor=world.secretary, report=_fresh(report))  # today, long after the due
    row = completeness.completeness(rw.period)["units"][0]
    assert row["timeliness"] == "on_time"


def test_completeness_of_a_period_without_expected_units_has_no_rates(world, rw):
    services.set_expected_units(actor=world.coordinator, period=rw.period, units=[])
    result = completeness.completeness(rw.period)
    assert result["expected"] == 0
    assert result["rates"]["submitted"] is None


def test_completeness_by_unit_spans_the_plans_periods_in_constant_queries(
    world, rw, django_assert_num_queries
):
    june = services.add_period(
        actor=world.coordinator,
        plan=rw.plan,
        kind=PeriodKind.MONTH,
        label="Tháng 6/2026",
        start=date(2026, 6, 1),
        end=date(2026, 6, 30),
        due_date=date(2026, 7, 15),
        units=[world.cell1, world.cell2],
    )
    _submit_on(world, rw.report1, date(2026, 6, 1))
    june_report = UnitReport.objects.get(period=june, unit=world.cell1)
    _submit_on(world, june_report, date(2026, 7, 20))
    with django_assert_num_queries(2):
        board = completeness.completeness_by_unit(rw.plan, today=date(2026, 8, 1))
    assert [p["period_id"] for p in board["periods"]] == [rw.period.pk, june.pk]
    cell1 = next(u for u in board["units"] if u["unit_id"] == world.cell1.pk)
    assert (cell1["expected"], cell1["on_time"], cell1["late"]) == (2, 1, 1)
    assert cell1["cells"][june.pk]["timeliness"] == "late"
    cell2 = next(u for u in board["units"] if u["unit_id"] == world.cell2.pk)
    assert cell2["missing"] == 2
    assert board["overall"]["expected"] == 4
    assert board["overall"]["rates"]["on_time"] == 25.0


def test_reports_of_units_whose_people_left_still_count(world, rw):
    Membership.objects.filter(unit=world.cell2).delete()
    assert completeness.completeness(rw.period)["expected"] == 2


# ---------------------------------------------------------------- reminders


def test_the_digest_reminds_the_heads_of_units_whose_report_is_missing(world, rw, officer):
    from kehoach.activities.notifications import missing_report_lines

    _submitted(world, rw.report2)
    assert missing_report_lines(date(2026, 6, 15)) == {}  # due that day: not missing yet
    lines = missing_report_lines(date(2026, 6, 16))
    assert set(lines) == {world.secretary.pk}  # the head, not the officer, not cell2
    (line,) = lines[world.secretary.pk]
    assert world.cell1.name in line and rw.period.label in line
    assert missing_report_lines(date(2026, 6, 16), user_ids=[world.secretary2.pk]) == {}
