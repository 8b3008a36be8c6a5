"""Lists as spreadsheets: one table definition, written as Excel or CSV.

Every list page exports what it shows with its filters applied. A table is a list of
columns (Vietnamese header, a function of the row, a kind) and the rows; the same
definition writes .xlsx (dates as dates, numbers as numbers) and .csv (UTF-8 with a BOM
so Excel opens Vietnamese correctly, dates as dd/mm/yyyy).

A list view, after computing its filtered and scoped queryset:

    if fmt := tabular.requested_format(request):
        return tabular.response(plans_table(qs, notes), "ke-hoach", fmt)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Kind = Literal["text", "int", "number", "date", "datetime", "bool"]
FORMATS = ("xlsx", "csv")
# Spreadsheet programs would run a cell starting with these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
_XLSX_FORMATS = {"date": "DD/MM/YYYY", "datetime": "DD/MM/YYYY HH:MM"}
# One sheet holds 1,048,576 rows; the header and the notes need a few.
MAX_XLSX_ROWS = 1_048_000


def safe_text(text: Any) -> str:
    """Text for a CSV cell: a leading apostrophe keeps a would-be formula as text."""
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
    # Lines printed under the table in Excel: the filters applied, the time of export.
    notes: list[str] = field(default_factory=list)


def _value(column: Column, row: Any) -> Any:
    """The cell's value as Python: None, str, a number, a date or a local naive datetime."""
    value = column.value(row)
    if value is None or value == "":
        return None
    if column.kind == "bool":
        return _("Yes") if value else None
    if isinstance(value, datetime):
        # Spreadsheets have no time zones: write the wall-clock time of the ward.
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.date() if column.kind == "date" else value
    if isinstance(value, date | int | float | Decimal) and column.kind != "text":
        return value
    return str(value)


def _iter(rows: Iterable[Any]) -> Iterable[Any]:
    # Chunked, so a year of a city's records does not sit in memory at once; prefetches
    # still apply chunk by chunk.
    return rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows


def _xlsx_cell(ws, value: Any, kind: Kind):
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        # Stored as text (openpyxl would write "=…" as a formula), shown as typed.
        cell.data_type = "s"
        cell.quotePrefix = True
    elif kind in _XLSX_FORMATS and isinstance(value, date):
        cell.number_format = _XLSX_FORMATS["date" if type(value) is date else "datetime"]
    return cell


def to_xlsx(table: Table) -> bytes:
    # Write-only: rows stream to a temporary file instead of living in memory as cells.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(str(table.title)))
    for i, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(ws, value=str(column.header))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    lines = list(table.notes)
    for written, row in enumerate(_iter(table.rows)):
        if written >= MAX_XLSX_ROWS:
            limit = _("Excel holds only the first %(count)s rows; export as CSV for all of them.")
            lines.append(limit % {"count": MAX_XLSX_ROWS})
            break
        ws.append([_xlsx_cell(ws, _value(c, row), c.kind) for c in table.columns])
    if lines:
        ws.append([])
        for note in lines:
            ws.append([_xlsx_cell(ws, str(note), "text")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str):
        return safe_text(value)
    return "" if value is None else value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_text(c.header) for c in table.columns])
    for row in _iter(table.rows):
        writer.writerow([_csv_value(_value(c, row)) for c in table.columns])
    # A BOM so Excel reads the file as UTF-8. Notes are left out: a CSV stays one
    # rectangle that other programs read back.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_title(title: str) -> str:
    """`title` as Excel takes a sheet's name: none of []:*?/\\ and 31 characters at most."""
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title.strip()[:31] or "Sheet"


# ---------------------------------------------------------------- notes


def _shown(form_field: forms.Field | None, value: Any) -> str:
    if isinstance(value, QuerySet | list | tuple):
        return ", ".join(_shown(form_field, v) for v in value)
    if isinstance(value, Model):
        return str(value).strip()
    if isinstance(value, datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    choices = getattr(form_field, "choices", None)
    if choices is not None and not isinstance(form_field, forms.ModelChoiceField):
        labels = {}
        for key, label in choices:
            # A grouped choice is (group label, [(key, label), …]).
            pairs = label if isinstance(label, list | tuple) else [(key, label)]
            labels.update({str(k): v for k, v in pairs})
        if str(value) in labels:
            return str(labels[str(value)]).strip()
    return str(value).strip()


def form_filters(form: forms.Form | None, *, partial: bool = False) -> list[tuple[Any, Any]]:
    """(label, value) of each filter a bound form applied. Most lists ignore a form that
    does not validate; `partial` is for those that keep its valid fields."""
    if form is None or not form.is_bound:
        return []
    if not form.is_valid() and not partial:
        return []
    data = getattr(form, "cleaned_data", {})
    pairs = []
    for name, form_field in form.fields.items():
        value = data.get(name)
        empty = value is None or value is False or value == "" or value == []
        if empty or isinstance(form_field.widget, forms.HiddenInput):
            continue
        if isinstance(value, QuerySet) and not value:
            continue
        pairs.append((form_field.label or name, _shown(form_field, value)))
    return pairs


def notes(filters: Iterable[tuple[Any, Any]] = ()) -> list[str]:
    """The lines under an exported table: the filters applied and the time of export."""
    parts = [f"{label}: {_shown(None, value)}" for label, value in filters]
    described = "; ".join(parts) if parts else _("none (every row in your scope)")
    return [
        _("Filters: %(filters)s") % {"filters": described},
        _("Exported at %(time)s") % {"time": f"{timezone.localtime():%d/%m/%Y %H:%M}"},
    ]


# ---------------------------------------------------------------- the request and response


def requested_format(request: HttpRequest) -> str | None:
    """`?xuat=xlsx` or `?xuat=csv` on a list page asks for its file; None shows the page."""
    fmt = request.GET.get("xuat")
    return fmt if fmt in FORMATS else None


def response(table: Table, basename: str, fmt: str) -> HttpResponse:
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    name = f"{basename}-{timezone.localdate():%Y%m%d}.{'csv' if fmt == 'csv' else 'xlsx'}"
    resp = HttpResponse(body, content_type=_MIME["csv" if fmt == "csv" else "xlsx"])
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    # The file holds data scoped to the person: no shared cache keeps it.
    resp["Cache-Control"] = "private, no-store"
    return resp
