"""The completeness board's arithmetic (each report's mark, the counts and their rates, shared
with a plan's periods page) and its rows by unit as HTML.

The rows are written here rather than in the template: a ward's board has 60 units × 4
periods, and the template's tags per cell (a URL, translations, four branches, a dozen
localized figures per row) were half of the page's time. The markup is the same the
template wrote. Escaping is the standard library's, as Django's is, without its per-call
wrapping for lazy strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import NamedTuple

from django.utils.formats import date_format, get_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kehoach.core.links import pk_url
from kehoach.reports import completeness
from kehoach.reports.completeness import percent
from kehoach.reports.models import ReportStatus

COUNTS = ("expected", "submitted", "on_time", "late", "missing", "not_due")


def with_rates(counts: dict) -> dict:
    """The five counts and their rates over the reports expected."""
    result = {key: int(counts.get(key) or 0) for key in COUNTS}
    expected = result["expected"]
    result["submitted_rate"] = percent(result["submitted"], expected)
    result["on_time_rate"] = percent(result["on_time"], expected)
    result["late_rate"] = percent(result["late"], expected)
    result["missing_rate"] = percent(result["missing"], expected)
    return result


def status_labels() -> dict[str, str]:
    """The statuses' names in the current language, looked up once per page: a model's
    get_status_display() translates every choice again on each call."""
    return {value: str(label) for value, label in ReportStatus.choices}


def report_mark(report, due_date, today, labels: dict[str, str]) -> dict:
    """One cell of the board's grid: the report's state and whether it came in time.
    `report` is a UnitReport or a row with its pk, status and first_submitted_on."""
    state = completeness.timeliness(report, due_date, today)
    return grid_mark(report.pk, report.status, state, labels)


def grid_mark(pk: int, status: str, state: str, labels: dict[str, str]) -> dict:
    """A cell of the grid from a report's id, status and timeliness (report_mark's, or
    completeness.state_of of the day read with the report)."""
    return {
        "code": status,
        "label": labels.get(status, status),
        "timeliness": state,
        "late": state in (completeness.LATE, completeness.MISSING),
        "pk": pk,
    }


EMPTY = '<td class="cell mark-cell" title=""><span class="muted">·</span></td>'
FIGURES = ("expected", "submitted", "on_time", "late", "missing")
SYMBOLS = {"accepted": "✓", "submitted": "●", "returned": "↺"}


@dataclass(slots=True)
class BoardPeriod:
    """A column of the board: the period's name, its due day and, once counted, its figures
    (with_rates)."""

    pk: int
    label: str
    due_date: date
    figures: dict | None = None


class BoardUnit(NamedTuple):
    """A row's unit: all the board shows of it (a model instance per unit cost more than
    the row it heads)."""

    pk: int
    name: str


def grid_cells() -> Callable[[list[dict | None]], SafeString]:
    """A writer of one row's cells, one <td> per period: the unit's report there (a mark of
    report_mark) or none. Made once per board, so the link and the words are too."""
    late = escape(_("late"))
    url = pk_url("reports:unit_report")

    def write(grid: list[dict | None]) -> SafeString:
        cells = []
        for mark in grid:
            if mark is None:
                cells.append(EMPTY)
                continue
            label = escape(mark["label"])
            symbol = SYMBOLS.get(mark["code"]) or ("✗" if mark["timeliness"] == "missing" else "○")
            if mark["timeliness"] == "late":
                symbol += "!"
            aria = f"{label}, {late}" if mark["late"] else label
            cells.append(
                f'<td class="cell mark-cell {escape(mark["code"])} {escape(mark["timeliness"])}" '
                f'title="{label}"><a href="{url(mark["pk"])}" aria-label="{aria}">'
                f"{symbol}</a></td>"
            )
        return mark_safe("".join(cells))

    return write


def _number(value: int) -> str:
    """An integer as the template writes it: no setting groups the digits below a thousand."""
    return str(value) if -1000 < value < 1000 else number_format(value)


def _rate(value: float | None, point: str) -> str:
    """A rate of percent (one decimal) as floatformat:"-1" writes it."""
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text.replace(".", point)


def unit_rows(rows: list[dict]) -> SafeString:
    """Every unit's <tr>: its name, its cells (grid_cells) and its figures."""
    write = grid_cells()
    point = escape(str(get_format("DECIMAL_SEPARATOR")))
    lines = []
    for row in rows:
        f = row["figures"]
        figures = "/".join(str(f[key]) for key in FIGURES)
        numbers = "".join(f'<td class="num">{_number(f[key])}</td>' for key in FIGURES[:4])
        missing = " missing" if f["missing"] else ""
        lines.append(
            f'\n    <tr id="board-unit-{int(row["unit"].pk)}" data-figures="{figures}">'
            f'\n      <th scope="row" class="unit-col">{escape(row["unit"].name)}</th>'
            f"\n      {write(row['grid'])}"
            f"\n      {numbers}"
            f'<td class="num{missing}">{_number(f["missing"])}</td>'
            f'<td class="num">{_rate(f["on_time_rate"], point)}</td></tr>\n  '
        )
    return mark_safe("".join(lines))


def figure_headers() -> list[str]:
    """The headings of a period's or a unit's figures, in COUNTS order and then the two rates
    shown: the page's period rows and the workbook's sheets."""
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


def period_rows(periods: list[BoardPeriod]) -> SafeString:
    """Every period's <tr> of the board's figures by period (what the template's loop wrote,
    ten translated labels and a dozen localized figures a row)."""
    labels = [escape(text) for text in (_("Reports due"), *figure_headers())]
    due, expected, submitted, on_time, late, missing, not_due, submitted_pc, on_time_pc = labels
    point = escape(str(get_format("DECIMAL_SEPARATOR")))
    lines = []
    for period in periods:
        f = period.figures
        figures = "/".join(str(f[key]) for key in FIGURES)
        flag = " missing" if f["missing"] else ""
        lines.append(
            f'\n    <tr id="board-period-{int(period.pk)}" data-figures="{figures}">'
            f'\n      <th scope="row">{escape(period.label)}</th><td data-label="{due}">'
            f"{escape(date_format(period.due_date, 'SHORT_DATE_FORMAT'))}</td>"
            f'\n      <td class="num" data-label="{expected}">{_number(f["expected"])}</td>'
            f'<td class="num" data-label="{submitted}">{_number(f["submitted"])}</td>'
            f'\n      <td class="num" data-label="{on_time}">{_number(f["on_time"])}</td>'
            f'<td class="num" data-label="{late}">{_number(f["late"])}</td>'
            f'\n      <td class="num{flag}" data-label="{missing}">{_number(f["missing"])}</td>'
            f'\n      <td class="num" data-label="{not_due}">{_number(f["not_due"])}</td>'
            f'\n      <td class="num" data-label="{submitted_pc}">'
            f"{_rate(f['submitted_rate'], point)}</td>"
            f'\n      <td class="num" data-label="{on_time_pc}">'
            f"{_rate(f['on_time_rate'], point)}</td></tr>\n  "
        )
    return mark_safe("".join(lines))
