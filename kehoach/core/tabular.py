"""Lists as spreadsheets: one table definition, written as Excel or CSV.

Every list page exports what it shows with its filters applied. A table is a list of
columns (Vietnamese header, a function of the row, a kind) and the rows; the same
definition writes .xlsx (dates as dates, numbers as numbers) and .csv (UTF-8 with a BOM
so Excel opens Vietnamese correctly, dates as dd/mm/yyyy).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

Kind = Literal["text", "int", "number", "date", "datetime", "bool"]
FORMATS = ("xlsx", "csv")
# Spreadsheet programs would run a cell starting with these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def safe_text(text: Any) -> str:
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


@dataclass(frozen=True)
class Column:
    header: Any  # a (lazy) translated string
    value: Callable[[Any], Any]
    kind: Kind = "text"
    width: int = 20


@dataclass
class Table:
    title: Any
    columns: list[Column]
    rows: Iterable[Any]
    # Lines printed under the table: the filters applied, the date of export.
    notes: list[str] = field(default_factory=list)


def _cell(column: Column, row: Any) -> Any:
    value = column.value(row)
    if value is None:
        return None
    if column.kind == "text":
        return safe_text(value)
    if column.kind == "bool":
        from django.utils.translation import gettext as _

        return _("Yes") if value else ""
    if column.kind == "datetime" and isinstance(value, datetime):
        # Excel has no time zones: write the local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _iter(rows: Iterable[Any]) -> Iterable[Any]:
    # Chunked, so a year of a city's records does not sit in memory at once.
    return rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows


def to_xlsx(table: Table) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = str(table.title)[:31]
    ws.append([str(c.header) for c in table.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    formats = {
        i: ("DD/MM/YYYY" if c.kind == "date" else "DD/MM/YYYY HH:MM")
        for i, c in enumerate(table.columns, start=1)
        if c.kind in ("date", "datetime")
    }
    for row in _iter(table.rows):
        ws.append([_cell(c, row) for c in table.columns])
        for i, fmt in formats.items():
            ws.cell(row=ws.max_row, column=i).number_format = fmt
    if table.notes:
        ws.append([])
        for note in table.notes:
            ws.append([safe_text(note)])
    for i, column in enumerate(table.columns, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = column.width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(c.header) for c in table.columns])
    for row in _iter(table.rows):
        writer.writerow([_csv_value(_cell(c, row)) for c in table.columns])
    # A BOM so Excel reads the file as UTF-8; notes are left out to keep the CSV rectangular.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def requested_format(request: HttpRequest) -> str | None:
    """`?xuat=xlsx` or `?xuat=csv` on a list page asks for its file; None shows the page."""
    fmt = request.GET.get("xuat")
    return fmt if fmt in FORMATS else None


def response(table: Table, basename: str, fmt: str) -> HttpResponse:
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    name = f"{basename}-{timezone.localdate():%Y%m%d}.{fmt}"
    resp = HttpResponse(body, content_type=_MIME[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
