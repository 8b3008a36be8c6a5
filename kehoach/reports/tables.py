"""Reporting lists as spreadsheets (core.tabular): a plan's periods with the reports owed,
and the completeness board (its CSV; the board's Excel keeps its own two-sheet workbook)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.core.tabular import Column, Table
from kehoach.reports import completeness
from kehoach.reports.models import ReportingPeriod, UnitReport


def timeliness_label(state: str) -> str:
    return {
        completeness.ON_TIME: _("on time"),
        completeness.LATE: _("late"),
        completeness.MISSING: _("missing, past the due date"),
        completeness.NOT_DUE: _("not yet due"),
    }.get(state, state)


@dataclass
class _PeriodRow:
    period: ReportingPeriod
    report: UnitReport | None


def _report(attr: str):
    return lambda r: getattr(r.report, attr) if r.report else None


def periods_table(periods: list[ReportingPeriod], notes: list[str]) -> Table:
    """One row a report owed, as the periods page lists them; a period that nobody owes a
    report for yet still has its row. Each period carries `visible_reports` (scoped)."""
    today = timezone.localdate()
    rows = [
        _PeriodRow(period, report)
        for period in periods
        for report in (period.visible_reports or [None])
    ]

    def timeliness(row: _PeriodRow) -> str:
        if row.report is None:
            return ""
        return timeliness_label(completeness.timeliness(row.report, row.period.due_date, today))

    return Table(
        title=_("Reporting periods"),
        columns=[
            Column(_("Period"), lambda r: r.period.label, width=24),
            Column(_("Kind"), lambda r: r.period.get_kind_display(), width=14),
            Column(_("From"), lambda r: r.period.start, "date", width=12),
            Column(_("To"), lambda r: r.period.end, "date", width=12),
            Column(_("Reports due"), lambda r: r.period.due_date, "date", width=12),
            Column(_("Unit"), lambda r: r.report.unit.name if r.report else "", width=36),
            Column(
                _("Status"), lambda r: r.report.get_status_display() if r.report else "", width=14
            ),
            Column(_("Timeliness"), timeliness, width=20),
            Column(_("First submitted at"), _report("first_submitted_at"), "datetime", width=17),
            Column(_("Reviewed at"), _report("reviewed_at"), "datetime", width=17),
        ],
        rows=rows,
        notes=notes,
    )


def _counts() -> list[tuple[str, str]]:
    return [
        ("expected", _("Expected")),
        ("submitted", _("Submitted")),
        ("on_time", _("On time")),
        ("late", _("Late")),
        ("missing", _("Missing")),
        ("not_due", _("Not yet due")),
    ]


def mark_text(mark: dict | None) -> str:
    """A board cell in words: the report's status and its timeliness."""
    if mark is None:
        return ""
    return f"{mark['label']} ({timeliness_label(mark['timeliness'])})"


def board_table(data: dict, notes: list[str]) -> Table:
    """One row a unit: its counts and rates, then its report's state in each period
    (reports.views_board.board_data)."""
    columns = [Column(_("Unit"), lambda r: r["unit"].name, width=36)]
    columns += [
        Column(label, lambda r, key=key: r["figures"][key], "int", width=10)
        for key, label in _counts()
    ]
    columns += [
        Column(_("Submitted (%)"), lambda r: r["figures"]["submitted_rate"], "number"),
        Column(_("On time (%)"), lambda r: r["figures"]["on_time_rate"], "number"),
    ]
    columns += [
        Column(period.label, lambda r, i=i: mark_text(r["grid"][i]), width=24)
        for i, period in enumerate(data["periods"])
    ]
    return Table(title=_("Completeness"), columns=columns, rows=data["rows"], notes=notes)
