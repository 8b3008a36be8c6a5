"""Reporting periods, the expected unit reports and their workflow (completeness, the
reports' timeliness counted, is in completeness.py).

    draft ──submit (unit's head)──▶ submitted ──accept (coordinator)──▶ accepted (final)
      ▲                                  │
      └── edit ◀── returned ◀──return with a comment (coordinator)

Every change is one transaction, audited with the actor, and notifies the people who
act next: the coordinators above the unit on submission, the unit's heads and officers
on return and acceptance. Two people editing one draft never overwrite each other: each
save names the version it started from and a stale one is refused, writing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.accounts.models import Membership, Role
from kehoach.activities import periods as period_math
from kehoach.activities.activity_services import lock_activities
from kehoach.activities.models import Notification
from kehoach.activities.task_services import period_label
from kehoach.audit.context import acting_as
from kehoach.core.concurrency import StaleEdit
from kehoach.core.dates import out_of_range
from kehoach.core.text import fold
from kehoach.org.models import Unit, UnitKind
from kehoach.plans.models import AssignmentUnit, Duty, Plan
from kehoach.reports.figures import unit_figures
from kehoach.reports.models import PeriodKind, ReportingPeriod, ReportStatus, UnitReport

# The narrative a unit writes, under the headings of a results report.
NARRATIVE_FIELDS = ("leadership", "results", "limitations", "tasks_ahead", "proposals", "opinion")
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
PERIOD_FIELDS = ("kind", "label", "start", "end", "due_date", "due_text")
# A recurring duty's rhythm → the kind of period it gives.
_KIND_OF = {
    period_math.MONTH: PeriodKind.MONTH,
    period_math.QUARTER: PeriodKind.QUARTER,
    period_math.HALF: PeriodKind.HALF_YEAR,
    period_math.YEAR: PeriodKind.YEAR,
}
_REPORTING_WORDS = (fold("báo cáo"),)
# Who writes the unit's report and hears about its review.
UNIT_ROLES = (Role.HEAD, Role.OFFICER)


# ---------------------------------------------------------------- links and notices


def report_path(report: UnitReport) -> str:
    try:
        return reverse("reports:unit_report", args=[report.pk])
    except NoReverseMatch:
        return f"/bao-cao/don-vi/{report.pk}/"


def _unit_people(unit: Unit) -> list[int]:
    return sorted(
        set(
            Membership.objects.filter(
                unit=unit, role__in=UNIT_ROLES, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    )


def _coordinators_above(unit: Unit) -> list[int]:
    return sorted(
        set(
            Membership.objects.filter(
                unit_id__in=[*unit.ancestor_ids(), unit.pk],
                role=Role.COORDINATOR,
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )
    )


def _notify(user_ids: Iterable[int], text: str, link: str, exclude=None) -> None:
    skip = getattr(exclude, "pk", None)
    Notification.objects.bulk_create(
        [Notification(user_id=uid, text=text, link=link) for uid in user_ids if uid != skip]
    )


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# ---------------------------------------------------------------- checks


def _check_period(
    plan: Plan, *, kind, label, start, end, due_date, exclude_pk: int | None = None
) -> dict:
    errors: dict[str, list[str]] = {}
    label = (label or "").strip()
    if kind not in PeriodKind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of period."))
    if not label:
        errors.setdefault("label", []).append(_("Name the period, e.g. “Tháng 5/2026”."))
    if start is None:
        errors.setdefault("start", []).append(_("Enter the first day of the period."))
    if end is None:
        errors.setdefault("end", []).append(_("Enter the last day of the period."))
    if due_date is None:
        errors.setdefault("due_date", []).append(_("Enter the date reports are due."))
    for name, value in (("start", start), ("end", end), ("due_date", due_date)):
        if problem := out_of_range(value):
            errors.setdefault(name, []).append(problem)
    if start and end and start > end:
        errors.setdefault("end", []).append(_("The period cannot end before it starts."))
    if start and due_date and due_date < start:
        errors.setdefault("due_date", []).append(
            _("Reports cannot be due before the period starts.")
        )
    if not errors:
        twins = ReportingPeriod.objects.filter(plan=plan, kind=kind, start=start, end=end)
        if exclude_pk:
            twins = twins.exclude(pk=exclude_pk)
        if twins.exists():
            errors.setdefault("start", []).append(
                _("This plan already has a period of this kind with these dates.")
            )
    if errors:
        raise ValidationError(errors)
    return {"label": label}


def _mentions_reporting(text: str) -> bool:
    folded = fold(text)
    return any(word in folded for word in _REPORTING_WORDS)


def default_units(plan: Plan) -> list[Unit]:
    """The units that owe a report: those with duties in the plan (its assignments' units)."""
    ids = AssignmentUnit.objects.filter(assignment__plan=plan).values("unit_id")
    return list(
        Unit.objects.filter(pk__in=ids, is_active=True)
        .exclude(kind=UnitKind.EXTERNAL)
        .order_by("path")
    )


def _check_units(plan: Plan, units: Iterable[Unit]) -> list[Unit]:
    units = list({u.pk: u for u in units}.values())
    wrong = [
        u
        for u in units
        if u.kind == UnitKind.EXTERNAL or not u.path.startswith(plan.unit.path) or not u.is_active
    ]
    if wrong:
        raise ValidationError(
            {
                "units": [
                    _("These units cannot report on this plan: %(units)s")
                    % {"units": ", ".join(u.name for u in wrong)}
                ]
            }
        )
    return units


def _create_reports(period: ReportingPeriod, units: Iterable[Unit]) -> list[UnitReport]:
    with _plain_language():
        return _create_reports_now(period, units)


def _create_reports_now(period: ReportingPeriod, units: Iterable[Unit]) -> list[UnitReport]:
    made = []
    existing = set(period.unit_reports.values_list("unit_id", flat=True))
    text = _("A report is expected from your unit for %(period)s (plan: %(plan)s), due %(due)s.")
    for unit in units:
        if unit.pk in existing:
            continue
        report = UnitReport.objects.create(period=period, unit=unit, status=ReportStatus.DRAFT)
        made.append(report)
        values = {
            "period": period.label,
            "plan": str(period.plan)[:150],
            "due": _day(period.due_date),
        }
        _notify(_unit_people(unit), text % values, report_path(report))
    return made


# ---------------------------------------------------------------- periods


def open_periods(*, actor, plan: Plan, start: date | None = None, end: date | None = None):
    """Periods from the plan's own words: every duty that mentions reporting ("báo cáo") with
    a fixed rhythm (monthly, quarterly, half-yearly, yearly) gives its periods over the
    horizon (the plan's date to the end of its year, unless given), due as the duty says;
    one with a fixed deadline gives one event period. "Định kỳ", "khi có yêu cầu" and "sau
    mỗi đợt" give nothing automatic: the coordinator adds those periods by hand.

    Running it again adds nothing twice. Returns the periods the duties describe, in order.
    """
    policy.require(actor, "reports.manage_periods", plan)
    if start is None:
        start, _end = period_math.default_horizon(plan.date, timezone.localdate())
        end = end or _end
    end = end or date(start.year, 12, 31)
    if start > end:
        raise ValidationError(_("The start of the horizon is after its end."))
    duties = [
        d
        for d in Duty.objects.filter(assignment__plan=plan).order_by("assignment__order", "order")
        if _mentions_reporting(d.text)
    ]
    with _plain_language():
        wanted = _wanted_periods(plan, duties, start, end)
    if not wanted:
        return []
    units = default_units(plan)
    result = []
    with transaction.atomic(), acting_as(actor):
        existing = {(p.kind, p.start, p.end): p for p in ReportingPeriod.objects.filter(plan=plan)}
        for key in sorted(wanted, key=lambda k: (k[1], k[2], k[0])):
            period = existing.get(key)
            if period is None:
                kind, p_start, p_end = key
                period = ReportingPeriod.objects.create(
                    plan=plan, kind=kind, start=p_start, end=p_end, created_by=actor, **wanted[key]
                )
                _create_reports(period, units)
            result.append(period)
    return result


def _wanted_periods(plan: Plan, duties: list[Duty], start: date, end: date) -> dict[tuple, dict]:
    wanted: dict[tuple, dict] = {}
    for duty in duties:
        if duty.recurrence in period_math.OPEN_ENDED:
            continue
        if not duty.recurrence:
            if duty.deadline is None:
                continue
            first = plan.date or start
            if first > duty.deadline:
                continue
            key = (PeriodKind.EVENT, first, duty.deadline)
            wanted.setdefault(
                key,
                {
                    "label": _("Report due %(date)s") % {"date": _day(duty.deadline)},
                    "due_date": duty.deadline,
                    "due_text": duty.deadline_text,
                },
            )
            continue
        for p in period_math.periods_for(
            recurrence=duty.recurrence,
            due_day=duty.due_day,
            due_month=duty.due_month,
            deadline=duty.deadline,
            start=start,
            end=end,
        ):
            key = (_KIND_OF[p.kind], p.start, p.end)
            wanted.setdefault(
                key, {"label": period_label(p), "due_date": p.due, "due_text": duty.deadline_text}
            )
    return wanted


def add_period(
    *,
    actor,
    plan: Plan,
    kind: str,
    label: str,
    start: date,
    end: date,
    due_date: date,
    due_text: str = "",
    units: Iterable[Unit] | None = None,
) -> ReportingPeriod:
    """A period set by the coordinator, with the units that owe a report (by default those
    with duties in the plan)."""
    policy.require(actor, "reports.manage_periods", plan)
    clean = _check_period(plan, kind=kind, label=label, start=start, end=end, due_date=due_date)
    units = _check_units(plan, default_units(plan) if units is None else units)
    try:
        with transaction.atomic(), acting_as(actor):
            period = ReportingPeriod.objects.create(
                plan=plan,
                kind=kind,
                label=clean["label"],
                start=start,
                end=end,
                due_date=due_date,
                due_text=(due_text or "").strip(),
                created_by=actor,
            )
            _create_reports(period, units)
    except IntegrityError:
        raise ValidationError(
            _("This plan already has a period of this kind with these dates.")
        ) from None
    return period


def update_period(*, actor, period: ReportingPeriod, **changes) -> ReportingPeriod:
    """Changes the period's name, kind, dates or due date. Its dates stay fixed once a unit's
    report for it has been accepted: the accepted figures were counted over them."""
    policy.require(actor, "reports.manage_periods", period)
    unknown = set(changes) - set(PERIOD_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic(), acting_as(actor):
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        values = {name: changes.get(name, getattr(period, name)) for name in PERIOD_FIELDS}
        clean = _check_period(
            period.plan,
            kind=values["kind"],
            label=values["label"],
            start=values["start"],
            end=values["end"],
            due_date=values["due_date"],
            exclude_pk=period.pk,
        )
        moved = (values["start"], values["end"]) != (period.start, period.end)
        if moved and period.unit_reports.filter(status=ReportStatus.ACCEPTED).exists():
            raise ValidationError(
                _(
                    "The dates of this period cannot change: a unit's report for it has "
                    "already been accepted with the figures of these dates."
                )
            )
        values["label"] = clean["label"]
        values["due_text"] = (values["due_text"] or "").strip()
        for name, value in values.items():
            setattr(period, name, value)
        period.save()
    return period


def set_expected_units(
    *, actor, period: ReportingPeriod, units: Iterable[Unit] | None = None
) -> list[UnitReport]:
    """The units that owe a report for the period: new ones get a draft report; a unit taken
    off loses its report only while it is an untouched draft (submitted, returned or accepted
    reports are kept). Returns the period's reports afterwards."""
    policy.require(actor, "reports.manage_periods", period)
    plan = period.plan
    units = _check_units(plan, default_units(plan) if units is None else units)
    wanted = {u.pk for u in units}
    with transaction.atomic(), acting_as(actor):
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        going = list(
            period.unit_reports.exclude(unit_id__in=wanted).select_related("unit").order_by("pk")
        )
        kept = [r for r in going if r.status != ReportStatus.DRAFT]
        if kept:
            raise ValidationError(
                _("These units have already submitted their report and stay on the list: %(units)s")
                % {"units": ", ".join(r.unit.name for r in kept)}
            )
        for report in going:
            report.delete()  # one by one: each removal is in the audit log
        _create_reports(period, units)
    return list(period.unit_reports.select_related("unit").order_by("unit__path"))


# ---------------------------------------------------------------- the unit report


def _locked(report: UnitReport) -> UnitReport:
    return (
        UnitReport.objects.select_for_update()
        .select_related("unit", "period__plan")
        .get(pk=report.pk)
    )


def _refuse_unless_editable(report: UnitReport) -> None:
    if report.status == ReportStatus.ACCEPTED:
        raise ValidationError(
            _("This report has been accepted and is final; it can no longer be changed."),
            code="accepted",
        )
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(
            _(
                "This report has been submitted and is being reviewed; it can be changed again "
                "only if the coordinating board returns it."
            ),
            code="submitted",
        )


def stale_message() -> str:
    return _(
        "Someone else saved this report after you opened it. Your text has not been saved "
        "and nothing was overwritten: copy your changes, reload the report to see the latest "
        "version, then add them again."
    )


def save_draft(*, actor, report: UnitReport, changes: dict, version: int) -> UnitReport:
    """Saves the narrative of a draft or returned report. `version` is the one the editor
    started from; when someone saved in between, StaleEdit is raised and nothing is written."""
    policy.require(actor, "reports.edit", report)
    unknown = set(changes) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    bad = [name for name, value in changes.items() if not isinstance(value, str | None)]
    if bad:
        raise ValidationError({name: [_("Enter text.")] for name in bad})
    with transaction.atomic(), acting_as(actor):
        report = _locked(report)
        _refuse_unless_editable(report)
        if version != report.version:
            raise StaleEdit(stale_message(), code="stale")
        for name, value in changes.items():
            setattr(report, name, (value or "").strip())
        report.version += 1
        report.save()
    return report


def submit(*, actor, report: UnitReport) -> UnitReport:
    """The unit's head sends the report (again, after a return) to the coordinating board."""
    policy.require(actor, "reports.submit", report)
    with transaction.atomic(), acting_as(actor):
        report = _locked(report)
        if report.status not in EDITABLE_STATUSES:
            _refuse_unless_editable(report)
        if not any((getattr(report, name) or "").strip() for name in NARRATIVE_FIELDS):
            raise ValidationError(
                _("Write the report before submitting it: at least the results."),
                code="empty",
            )
        again = report.status == ReportStatus.RETURNED
        now = timezone.now()
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = now
        report.submitted_by = actor
        if report.first_submitted_at is None:
            report.first_submitted_at = now
        report.version += 1
        report.save()
        with _plain_language():
            values = {"unit": report.unit.name, "period": report.period.label}
            text = (
                _("%(unit)s has corrected and resubmitted its report for %(period)s.")
                if again
                else _("%(unit)s has submitted its report for %(period)s.")
            ) % values
            _notify(_coordinators_above(report.unit), text, report_path(report), exclude=actor)
    return report


def _check_reviewable(report: UnitReport) -> None:
    if report.status == ReportStatus.ACCEPTED:
        raise ValidationError(_("This report has already been accepted."), code="accepted")
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be reviewed; this one has not been submitted."),
            code="not_submitted",
        )


def accept(*, actor, report: UnitReport) -> UnitReport:
    """The coordinator accepts: the figures are kept as they are now, the unit's activities
    of the period are locked, and the report is final."""
    policy.require(actor, "reports.review", report)
    with transaction.atomic(), acting_as(actor):
        report = _locked(report)
        _check_reviewable(report)
        period = report.period
        report.figures = unit_figures(report.unit, period)
        report.status = ReportStatus.ACCEPTED
        report.reviewed_at = timezone.now()
        report.reviewed_by = actor
        report.version += 1
        report.save()
        lock_activities(actor=actor, unit=report.unit, start=period.start, end=period.end)
        with _plain_language():
            text = _("Your unit's report for %(period)s has been accepted.") % {
                "period": period.label
            }
            _notify(_unit_people(report.unit), text, report_path(report), exclude=actor)
    return report


def return_report(*, actor, report: UnitReport, comment: str) -> UnitReport:
    """The coordinator sends the report back for correction, saying what to correct."""
    policy.require(actor, "reports.review", report)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": [_("Say what the unit should correct before returning the report.")]}
        )
    with transaction.atomic(), acting_as(actor):
        report = _locked(report)
        _check_reviewable(report)
        report.status = ReportStatus.RETURNED
        report.return_comment = comment
        report.reviewed_at = timezone.now()
        report.reviewed_by = actor
        report.version += 1
        report.save()
        with _plain_language():
            text = _(
                "Your unit's report for %(period)s was returned for correction: %(comment)s"
            ) % {
                "period": report.period.label,
                "comment": comment[:300],
            }
            _notify(_unit_people(report.unit), text, report_path(report), exclude=actor)
    return report


def _plain_language():
    """Notices are read later by others: written in the site's language."""
    return translation.override(settings.LANGUAGE_CODE)
