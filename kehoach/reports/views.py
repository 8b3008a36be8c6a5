"""Reporting screens: my reports, a plan's periods, one unit's report, the completeness board."""

from __future__ import annotations

import io
from datetime import tzinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kehoach.accounts import policy
from kehoach.accounts.querysets import memberships_of
from kehoach.activities.models import OUTPUT_FIELDS, Activity, Audience, Channel, TaskState
from kehoach.core import tabular
from kehoach.core.concurrency import StaleEdit
from kehoach.core.scoping import get_for_user_or_404
from kehoach.core.text import fold
from kehoach.feedback.digests import report_section as opinion_section
from kehoach.plans.models import Plan
from kehoach.reports import figures as report_figures
from kehoach.reports import services
from kehoach.reports.board import BoardUnit, unit_rows
from kehoach.reports.forms import (
    NARRATIVE_FIELDS,
    ExpectedUnitsForm,
    NarrativeForm,
    PeriodForm,
    ReturnForm,
)
from kehoach.reports.models import ReportingPeriod, ReportStatus, UnitReport
from kehoach.reports.tables import board_table, periods_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPEN_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
COUNTS = ("expected", "submitted", "on_time", "late", "missing", "not_due")


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _with_rates(counts: dict) -> dict:
    """The five counts and their rates over the reports expected."""
    result = {key: int(counts.get(key) or 0) for key in COUNTS}
    expected = result["expected"]
    result["submitted_rate"] = _percent(result["submitted"], expected)
    result["on_time_rate"] = _percent(result["on_time"], expected)
    result["late_rate"] = _percent(result["late"], expected)
    result["missing_rate"] = _percent(result["missing"], expected)
    return result


def status_labels() -> dict[str, str]:
    """The statuses' names in the current language, looked up once per page: a model's
    get_status_display() translates every choice again on each call."""
    return {value: str(label) for value, label in ReportStatus.choices}


def _mark(report, due_date, today, labels: dict[str, str], tz: tzinfo | None = None) -> dict:
    """One cell of the board's grid: the report's state and whether it came in time.
    `report` is a UnitReport or a row with its pk, status and first_submitted_at."""
    state = services.timeliness(report, due_date, today, tz)
    return {
        "code": report.status,
        "label": labels.get(report.status, report.status),
        "timeliness": state,
        "late": state in (services.LATE, services.MISSING),
        "pk": report.pk,
    }


def _timeliness_label(state: str) -> str:
    return {
        services.ON_TIME: _("on time"),
        services.LATE: _("late"),
        services.MISSING: _("missing, past the due date"),
        services.NOT_DUE: _("not yet due"),
    }.get(state, state)


def _count(counts: dict, state: str) -> None:
    """Adds one report, whose timeliness is `state`, to `counts`."""
    counts["expected"] += 1
    if state in (services.ON_TIME, services.LATE):
        counts["submitted"] += 1
    counts[state] += 1


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
        .filter(period__plan=plan)
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
            report.mark = _mark(report, period.due_date, today, labels)
        period.is_past_due = period.due_date < today
        period.figures = None
        if can_board:
            counts = dict.fromkeys(COUNTS, 0)
            for report in period.visible_reports:
                _count(counts, report.mark["timeliness"])
            period.figures = _with_rates(counts)
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


# ---------------------------------------------------------------- completeness board


def board_data(plan: Plan, user) -> dict:
    """Per period and per unit: expected, submitted, on time, late, missing; units × periods."""
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    labels = status_labels()
    period_list = list(ReportingPeriod.objects.filter(plan=plan).order_by("start", "pk"))
    due = {period.pk: period.due_date for period in period_list}
    # Rows, not models: a ward's board has 240 reports, and building a model and its unit
    # for each (with the texts and figures left unread) was most of the board's time.
    reports = (
        UnitReport.objects.for_user(user)
        .filter(period__plan=plan)
        .order_by("unit__path", "pk")
        .values_list(
            "pk", "period_id", "unit_id", "status", "first_submitted_at", "unit__name", named=True
        )
    )
    units: dict[int, dict] = {}
    per_period = {period.pk: dict.fromkeys(COUNTS, 0) for period in period_list}
    for report in reports:
        row = units.get(report.unit_id)
        if row is None:
            row = units[report.unit_id] = {
                "unit": BoardUnit(report.unit_id, report.unit__name),
                "cells": {},
                "counts": dict.fromkeys(COUNTS, 0),
            }
        mark = _mark(report, due[report.period_id], today, labels, tz)
        row["cells"][report.period_id] = mark
        for counts in (row["counts"], per_period[report.period_id]):
            _count(counts, mark["timeliness"])
    overall = dict.fromkeys(COUNTS, 0)
    for counts in per_period.values():
        for key in COUNTS:
            overall[key] += counts[key]
    for period in period_list:
        period.figures = _with_rates(per_period[period.pk])
    rows = []
    for row in units.values():
        row["figures"] = _with_rates(row["counts"])
        row["grid"] = [row["cells"].get(period.pk) for period in period_list]
        rows.append(row)
    return {"periods": period_list, "rows": rows, "overall": _with_rates(overall)}


def _board_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = _plan(request, plan_id)
    if not policy.can(request.user, "reports.view_board", plan):
        raise PermissionDenied
    return plan


@login_required
def board(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _board_plan(request, plan_id)
    data = board_data(plan, request.user)
    fmt = tabular.requested_format(request)
    if fmt == "csv":
        table = board_table(data, tabular.notes([(_("Plan"), plan)]))
        name = slugify(fold(f"tien do bao cao {plan.number or plan.pk}"))[:60] or "tien-do-bao-cao"
        return tabular.response(table, name, fmt)
    if fmt == "xlsx":
        return _board_xlsx(plan, data)
    return render(
        request,
        "reports/board.html",
        {"plan": plan, "board": data, "unit_rows": unit_rows(data["rows"])},
    )


@login_required
def board_excel(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _board_plan(request, plan_id)
    return _board_xlsx(plan, board_data(plan, request.user))


def _board_xlsx(plan: Plan, data: dict) -> HttpResponse:
    response = HttpResponse(board_workbook(plan, data), content_type=XLSX)
    name = slugify(fold(f"tien do bao cao {plan.number or plan.pk}"))[:60] or "tien-do-bao-cao"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _headers() -> list[str]:
    return [
        _("Expected"),
        _("Submitted"),
        _("On time"),
        _("Late"),
        _("Missing"),
        _("Not yet due"),
        _("Submitted (%)"),
        _("On time (%)"),
    ]


def _values(figures: dict) -> list:
    return [figures[key] for key in COUNTS] + [
        figures["submitted_rate"],
        figures["on_time_rate"],
    ]


def board_workbook(plan: Plan, data: dict) -> bytes:
    """Two sheets: figures per period and per unit; the units × periods grid."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    late_fill = PatternFill("solid", start_color="F4CCCC", end_color="F4CCCC")
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(_("Completeness"))
    ws.cell(row=1, column=1, value=str(plan)).font = bold
    line = 3
    for title, items in (
        (_("Period"), [(p.label, p.figures) for p in data["periods"]]),
        (_("Unit"), [(r["unit"].name, r["figures"]) for r in data["rows"]]),
    ):
        for col, label in enumerate([title, *_headers()], start=1):
            ws.cell(row=line, column=col, value=label).font = bold
        line += 1
        for label, figures in items:
            ws.cell(row=line, column=1, value=label)
            for col, value in enumerate(_values(figures), start=2):
                ws.cell(row=line, column=col, value=value)
            line += 1
        ws.cell(row=line, column=1, value=_("Total")).font = bold
        for col, value in enumerate(_values(data["overall"]), start=2):
            ws.cell(row=line, column=col, value=value).font = bold
        line += 2
    ws.column_dimensions["A"].width = 40
    grid = wb.create_sheet(_sheet_title(_("By unit and period")))
    grid.cell(row=1, column=1, value=_("Unit")).font = bold
    for col, period in enumerate(data["periods"], start=2):
        grid.cell(row=1, column=col, value=period.label).font = bold
    for line, row in enumerate(data["rows"], start=2):
        grid.cell(row=line, column=1, value=row["unit"].name)
        for col, mark in enumerate(row["grid"], start=2):
            if mark is None:
                continue
            text = f"{mark['label']} ({_timeliness_label(mark['timeliness'])})"
            cell = grid.cell(row=line, column=col, value=text)
            if mark["late"]:
                cell.fill = late_fill
    grid.column_dimensions["A"].width = 40
    grid.freeze_panes = "B2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]
