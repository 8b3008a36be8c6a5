"""Reporting screens: my reports, a plan's periods, one unit's report (the completeness
board is in views_board.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kehoach.accounts import policy
from kehoach.accounts.querysets import memberships_of
from kehoach.activities.models import OUTPUT_FIELDS, Activity, Audience, Channel, TaskState
from kehoach.core import tabular
from kehoach.core.concurrency import StaleEdit
from kehoach.core.scoping import get_for_user_or_404
from kehoach.feedback.digests import report_section as opinion_section
from kehoach.plans.models import Plan
from kehoach.reports import figures as report_figures
from kehoach.reports import services
from kehoach.reports.board import report_mark, status_labels, with_rates
from kehoach.reports.completeness import counts_of
from kehoach.reports.forms import (
    NARRATIVE_FIELDS,
    ExpectedUnitsForm,
    NarrativeForm,
    PeriodForm,
    ReturnForm,
)
from kehoach.reports.models import ReportingPeriod, ReportStatus, UnitReport
from kehoach.reports.tables import periods_table

OPEN_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


# ---------------------------------------------------------------- my reports


def _writer_unit_ids(user) -> set[int]:
    allowed = policy.RULES["reports.edit"] or frozenset()
    return {m.unit_id for m in memberships_of(user) if m.role in allowed}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The reports the person's units still owe, and for the coordinator the plans' periods."""
    user = request.user
    today = timezone.localdate()
    to_write = list(
        UnitReport.objects.for_user(user)
        .filter(unit_id__in=_writer_unit_ids(user), status__in=OPEN_STATUSES)
        .select_related("unit", "period", "period__plan")
        .order_by("period__due_date", "unit__path", "pk")
    )
    for report in to_write:
        report.is_overdue = report.period.due_date < today
    oversight = policy.can(user, "reports.view_board") or policy.can(user, "reports.review")
    plans, to_review = [], []
    if oversight:
        plans = [
            plan
            # A sub-plan is reported under its parent, unless the person cannot see the
            # parent: a ward's plan under the city's plan is the ward's own top plan.
            for plan in Plan.objects.for_user(user)
            .exclude(parent__in=Plan.objects.for_user(user))
            .select_related("unit")
            .prefetch_related("periods")
            .order_by("-date", "-created_at")
            if policy.can(user, "reports.view_board", plan)
            or policy.can(user, "reports.manage_periods", plan)
        ]
        to_review = [
            report
            for report in UnitReport.objects.for_user(user)
            .filter(status=ReportStatus.SUBMITTED)
            .select_related("unit", "period", "period__plan")
            .order_by("submitted_at", "pk")[:100]
            if policy.can(user, "reports.review", report)
        ]
    return render(
        request,
        "reports/index.html",
        {"to_write": to_write, "plans": plans, "to_review": to_review, "today": today},
    )


# ---------------------------------------------------------------- periods of a plan


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_for_user_or_404(Plan, request.user, related=("unit",), pk=plan_id)


def _managed_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = _plan(request, plan_id)
    if not policy.can(request.user, "reports.manage_periods", plan):
        raise PermissionDenied
    return plan


def _period(request: HttpRequest, period_id: int) -> ReportingPeriod:
    period = get_for_user_or_404(
        ReportingPeriod, request.user, related=("plan", "plan__unit"), pk=period_id
    )
    if not policy.can(request.user, "reports.manage_periods", period.plan):
        raise PermissionDenied
    return period


@login_required
def periods(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    user = request.user
    today = timezone.localdate()
    can_board = policy.can(user, "reports.view_board", plan)
    labels = status_labels()
    period_list = list(ReportingPeriod.objects.filter(plan=plan).order_by("start", "pk"))
    reports = (
        UnitReport.objects.for_user(user)
        # By the periods' ids, as on the completeness board (views_board.board_data).
        .filter(period_id__in=[period.pk for period in period_list])
        .select_related("unit")
        .order_by("unit__path", "pk")
    )
    by_period: dict[int, list[UnitReport]] = {}
    for report in reports:
        by_period.setdefault(report.period_id, []).append(report)
    for period in period_list:
        period.visible_reports = by_period.get(period.pk, [])
        for report in period.visible_reports:
            report.period = period
            report.mark = report_mark(report, period.due_date, today, labels)
        period.is_past_due = period.due_date < today
        period.figures = None
        if can_board:
            states = [report.mark["timeliness"] for report in period.visible_reports]
            period.figures = with_rates(counts_of(states))
    if fmt := tabular.requested_format(request):
        table = periods_table(period_list, tabular.notes([(_("Plan"), plan)]))
        return tabular.response(table, "ky-bao-cao", fmt)
    return render(
        request,
        "reports/periods.html",
        {
            "plan": plan,
            "periods": period_list,
            "can_manage": policy.can(user, "reports.manage_periods", plan),
            "can_board": can_board,
        },
    )


@login_required
@require_POST
def open_periods(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _managed_plan(request, plan_id)
    try:
        created = services.open_periods(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:periods", plan_id=plan.pk)
    if created:
        text = ngettext(
            "%(count)s period opened from the plan.",
            "%(count)s periods opened from the plan.",
            len(created),
        )
        messages.success(request, text % {"count": len(created)})
    else:
        messages.info(
            request,
            _(
                "The plan gives no fixed reporting rhythm that is not already open. "
                "Add the periods by hand."
            ),
        )
    return redirect("reports:periods", plan_id=plan.pk)


@login_required
def period_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _managed_plan(request, plan_id)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_period(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The period has been added."))
            return redirect("reports:periods", plan_id=plan.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "reports/period_form.html", {"plan": plan, "form": form}, status=status)


@login_required
def period_edit(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id)
    initial = {name: getattr(period, name) for name in PeriodForm.base_fields}
    form = PeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_period(actor=request.user, period=period, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The period has been saved."))
            return redirect("reports:periods", plan_id=period.plan_id)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "reports/period_form.html",
        {"plan": period.plan, "period": period, "form": form},
        status=status,
    )


@login_required
def period_units(request: HttpRequest, period_id: int) -> HttpResponse:
    """The units that owe a report for the period, as checkboxes."""
    period = _period(request, period_id)
    current = list(period.unit_reports.values_list("unit_id", flat=True))
    form = ExpectedUnitsForm(
        request.POST or None, plan=period.plan, user=request.user, initial={"units": current}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_expected_units(
                actor=request.user, period=period, units=list(form.cleaned_data["units"])
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The list of units that owe a report has been saved."))
            return redirect("reports:periods", plan_id=period.plan_id)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "reports/period_units.html",
        {"plan": period.plan, "period": period, "form": form},
        status=status,
    )


# ---------------------------------------------------------------- one unit's report


def _report(request: HttpRequest, report_id: int) -> UnitReport:
    report = get_for_user_or_404(UnitReport, request.user, pk=report_id)
    return UnitReport.objects.select_related(
        "unit", "period", "period__plan", "submitted_by", "reviewed_by"
    ).get(pk=report.pk)


def _labelled(rows: list[dict], key: str, labels: dict, unit, period) -> list[dict]:
    return [
        {
            **row,
            "label": labels.get(row[key], row[key]),
            "url": report_figures.activity_link(unit, period, **{key: row[key]}),
        }
        for row in rows
    ]


def _figure_display(report: UnitReport) -> dict:
    """The unit's figures with labels and, for each, the address of the activities behind it."""
    unit, period = report.unit, report.period
    if report.status == ReportStatus.ACCEPTED and report.figures:
        data = report.figures
    else:
        data = report_figures.unit_figures(unit, period)
    topics = [
        {
            **row,
            "label": row.get("title", ""),
            "url": report_figures.activity_link(unit, period, topic=row["topic_id"]),
        }
        for row in data.get("by_topic", [])
    ]
    outputs = data.get("outputs", {})
    reach = data.get("reach", {})
    tasks = data.get("tasks", {})
    return {
        "total": {
            "activities": data.get("activities", 0),
            "reached": data.get("reached", 0),
            "url": report_figures.activity_link(unit, period),
        },
        "reach": [
            {"label": Activity._meta.get_field(name).verbose_name, "value": reach.get(name, 0)}
            for name in ("participants", "listeners", "views")
        ],
        "by_topic": topics,
        "by_channel": _labelled(
            data.get("by_channel", []), "channel", dict(Channel.choices), unit, period
        ),
        "by_audience": _labelled(
            data.get("by_audience", []), "audience", dict(Audience.choices), unit, period
        ),
        "outputs": [
            {"label": Activity._meta.get_field(name).verbose_name, "value": outputs.get(name, 0)}
            for name in OUTPUT_FIELDS
        ],
        "tasks_total": tasks.get("total", 0),
        "tasks": [
            {"code": code, "label": label, "value": tasks.get(code, 0)}
            for code, label in TaskState.choices
        ],
        "snapshot": report.status == ReportStatus.ACCEPTED and bool(report.figures),
    }


def _report_context(request: HttpRequest, report: UnitReport, **extra) -> dict:
    user = request.user
    editable = report.status in OPEN_STATUSES
    today = timezone.localdate()
    form = extra.pop("form", None) or NarrativeForm(
        initial={
            **{name: getattr(report, name) for name in NARRATIVE_FIELDS},
            "version": report.version,
        }
    )
    can_edit = editable and policy.can(user, "reports.edit", report)
    can_submit = editable and policy.can(user, "reports.submit", report)
    can_review = report.status == ReportStatus.SUBMITTED and policy.can(
        user, "reports.review", report
    )
    return {
        "report": report,
        "period": report.period,
        "plan": report.period.plan,
        "figures": _figure_display(report),
        "form": form,
        "narrative": [(form[name], getattr(report, name)) for name in NARRATIVE_FIELDS],
        "can_edit": can_edit,
        "can_submit": can_submit,
        "can_review": can_review,
        "return_form": extra.pop("return_form", None) or ReturnForm(),
        "is_overdue": editable and report.period.due_date < today,
        "can_see_history": policy.can(user, "audit.view_history", report),
        # The unit's opinion digest and the period's concern and exemplar figures.
        "opinion": opinion_section(report, user),
        **extra,
    }


@login_required
def unit_report(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report: its figures, its narrative; POST saves the draft or submits it."""
    report = _report(request, report_id)
    if request.method != "POST":
        return render(request, "reports/unit_report.html", _report_context(request, report))
    submitting = request.POST.get("action") == "submit"
    if not policy.can(request.user, "reports.submit" if submitting else "reports.edit", report):
        raise PermissionDenied
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        context = _report_context(request, report, form=form)
        return render(request, "reports/unit_report.html", context, status=422)
    try:
        with transaction.atomic():
            saved = services.save_draft(
                actor=request.user,
                report=report,
                changes=form.changes(),
                version=form.cleaned_data["version"],
            )
            if submitting:
                saved = services.submit(actor=request.user, report=saved) or saved
    except StaleEdit:
        return _stale(request, report)
    except ValidationError as exc:
        context = _report_context(request, _report(request, report_id), form=form)
        context["action_errors"] = exc.messages
        return render(request, "reports/unit_report.html", context, status=422)
    if submitting:
        messages.success(request, _("The report has been submitted."))
    else:
        messages.success(request, _("The draft has been saved."))
    return redirect("reports:unit_report", report_id=report.pk)


def _stale(request: HttpRequest, report: UnitReport) -> HttpResponse:
    """Someone saved meanwhile: keep what this person typed, show what the other saved."""
    current = _report(request, report.pk)
    data = request.POST.copy()
    data["version"] = str(current.version)
    kept = NarrativeForm(data)
    kept.is_valid()
    context = _report_context(request, current, form=kept)
    context["stale"] = True
    return render(request, "reports/unit_report.html", context, status=409)


def _reviewed(request: HttpRequest, report_id: int) -> UnitReport:
    report = _report(request, report_id)
    if not policy.can(request.user, "reports.review", report):
        raise PermissionDenied
    return report


@login_required
@require_POST
def accept(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _reviewed(request, report_id)
    try:
        services.accept(actor=request.user, report=report)
    except ValidationError as exc:
        context = _report_context(request, report, action_errors=exc.messages)
        return render(request, "reports/unit_report.html", context, status=422)
    messages.success(request, _("The report has been accepted."))
    return redirect("reports:unit_report", report_id=report.pk)


@login_required
@require_POST
def return_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _reviewed(request, report_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_report(
                actor=request.user, report=report, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The report has been returned to the unit."))
            return redirect("reports:unit_report", report_id=report.pk)
    context = _report_context(request, report, return_form=form)
    return render(request, "reports/unit_report.html", context, status=422)
