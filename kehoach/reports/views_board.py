"""The completeness board: per period and per unit, which reports came in and when; as a
page, a CSV file and an Excel workbook."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.core import tabular
from kehoach.core.scoping import get_for_user_or_404
from kehoach.core.text import fold
from kehoach.plans.models import Plan
from kehoach.reports.board import (
    COUNTS,
    BoardPeriod,
    BoardUnit,
    figure_headers,
    grid_mark,
    period_rows,
    status_labels,
    unit_rows,
    with_rates,
)
from kehoach.reports.completeness import counts_of, state_of
from kehoach.reports.models import ReportingPeriod, UnitReport
from kehoach.reports.tables import board_table, mark_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def board_data(plan: Plan, user) -> dict:
    """Per period and per unit: expected, submitted, on time, late, missing; units × periods."""
    labels = status_labels()
    # Rows, not models, for the periods as for the reports: the board shows a few of their
    # columns, and building models was most of its time (a ward's board has 240 reports).
    periods = [
        BoardPeriod(*row)
        for row in ReportingPeriod.objects.filter(plan=plan)
        .order_by("start", "pk")
        .values_list("pk", "label", "due_date")
    ]
    reports = (
        UnitReport.objects.for_user(user)
        # By the periods' ids, not a join on the plan: SQLite then reads the plan's reports
        # from the period index instead of every report of a city's units (33 -> 7 ms).
        .filter(period_id__in=[period.pk for period in periods])
        .order_by("unit__path", "pk")
        .values_list("pk", "period_id", "unit_id", "status", "first_submitted_on", "unit__name")
    )
    today = timezone.localdate()
    due = {period.pk: period.due_date for period in periods}
    by_period: dict[int, list[str]] = {period.pk: [] for period in periods}
    units: dict[int, tuple[BoardUnit, dict, list[str]]] = {}
    for pk, period_id, unit_id, status, submitted_on, unit_name in reports:
        state = state_of(submitted_on, due[period_id], today)
        entry = units.get(unit_id)
        if entry is None:
            entry = units[unit_id] = (BoardUnit(unit_id, unit_name), {}, [])
        _unit, cells, states = entry
        cells[period_id] = grid_mark(pk, status, state, labels)
        states.append(state)
        by_period[period_id].append(state)
    for period in periods:
        period.figures = with_rates(counts_of(by_period[period.pk]))
    rows = [
        {
            "unit": unit,
            "cells": cells,
            "figures": with_rates(counts_of(states)),
            "grid": [cells.get(period.pk) for period in periods],
        }
        for unit, cells, states in units.values()
    ]
    overall = counts_of([state for states in by_period.values() for state in states])
    return {"periods": periods, "rows": rows, "overall": with_rates(overall)}


def _board_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_for_user_or_404(Plan, request.user, related=("unit",), pk=plan_id)
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
        return tabular.response(table, _file_name(plan), fmt)
    if fmt == "xlsx":
        return _board_xlsx(plan, data)
    return render(
        request,
        "reports/board.html",
        {
            "plan": plan,
            "board": data,
            "period_rows": period_rows(data["periods"]),
            "unit_rows": unit_rows(data["rows"]),
        },
    )


@login_required
def board_excel(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _board_plan(request, plan_id)
    return _board_xlsx(plan, board_data(plan, request.user))


def _file_name(plan: Plan) -> str:
    """The exports' name, without its extension: tien-do-bao-cao-<plan number>."""
    return slugify(fold(f"tien do bao cao {plan.number or plan.pk}"))[:60] or "tien-do-bao-cao"


def _board_xlsx(plan: Plan, data: dict) -> HttpResponse:
    response = HttpResponse(board_workbook(plan, data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(plan)}.xlsx"'
    return response


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
    ws.title = tabular.sheet_title(_("Completeness"))
    ws.cell(row=1, column=1, value=str(plan)).font = bold
    line = 3
    for title, items in (
        (_("Period"), [(p.label, p.figures) for p in data["periods"]]),
        (_("Unit"), [(r["unit"].name, r["figures"]) for r in data["rows"]]),
    ):
        for col, label in enumerate([title, *figure_headers()], start=1):
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
    grid = wb.create_sheet(tabular.sheet_title(_("By unit and period")))
    grid.cell(row=1, column=1, value=_("Unit")).font = bold
    for col, period in enumerate(data["periods"], start=2):
        grid.cell(row=1, column=col, value=period.label).font = bold
    for line, row in enumerate(data["rows"], start=2):
        grid.cell(row=line, column=1, value=row["unit"].name)
        for col, mark in enumerate(row["grid"], start=2):
            if mark is None:
                continue
            cell = grid.cell(row=line, column=col, value=mark_text(mark))
            if mark["late"]:
                cell.fill = late_fill
    grid.column_dimensions["A"].width = 40
    grid.freeze_panes = "B2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
