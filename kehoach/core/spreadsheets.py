"""Reading people's spreadsheets back in: the shared part of every Excel import.

A file is opened defensively (not a workbook, a zip bomb, too many rows → one clear
message for the whole file), its columns are found by their folded header text (so the
export of a list, the template and a file typed by hand all read the same way), and each
row is read through typed cells that collect every problem with its row number instead
of stopping at the first. Saving and the import pages are kehoach.core.spreadsheet_imports.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from kehoach.core.text import fold, normalize

MAX_ROWS = 2000
ZIP_MAGIC = b"PK\x03\x04"
# A small .xlsx can unpack to gigabytes; real sheets of MAX_ROWS rows stay far below this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COUNT = 1_000_000_000
FIRST_YEAR, LAST_YEAR = 1900, 2200
_THOUSANDS = re.compile(r"^\d{1,3}([.\s]\d{3})+$")
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
# Excel's serial day numbers for 1/1/1900 .. 31/12/2200.
_SERIAL_RANGE = (1, 110_940)


class SheetError(Exception):
    """The file as a whole cannot be read; the message says why, in Vietnamese."""


class CellError(ValueError):
    """One cell's problem, said in words for the person who typed it."""


class ImportRejected(Exception):
    """Every row error of an import; nothing was saved."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def row_error(number: int, message: str) -> str:
    return _("Row %(row)d: %(message)s") % {"row": number, "message": message}


# ---------------------------------------------------------------- columns


@dataclass(frozen=True)
class Field:
    """A column of an import: its key in the code and its header in the file."""

    key: str
    header: Any  # a lazy translated string
    required: bool = False  # the column must be in the file (its cells may still be empty)
    width: int = 20
    kind: str = "text"  # "date" columns get a date format in the template

    def names(self) -> set[str]:
        """The header as written in Vietnamese or in the English source, and the key."""
        names = {fold(str(self.header)), fold(self.key)}
        with translation.override("en"):
            names.add(fold(str(self.header)))
        return names - {""}


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    return normalize(str(value))


# ---------------------------------------------------------------- opening a file


def _refuse_not_a_workbook() -> SheetError:
    return SheetError(
        _("The file is not a valid Excel workbook (.xlsx). Download the template and use it.")
    )


def _open(data: bytes):
    if not data:
        raise SheetError(_("The file is empty. Fill in the template and upload it again."))
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise SheetError(
            _("The file is %(size)s MB; the largest accepted is %(max)s MB.")
            % {
                "size": f"{len(data) / 1048576:.1f}".replace(".", ","),
                "max": settings.MAX_UPLOAD_BYTES // 1048576,
            }
        )
    if not data.startswith(ZIP_MAGIC):
        raise _refuse_not_a_workbook()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse_not_a_workbook() from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(
            _("The workbook unpacks to more than %(max)d MB. Split it into smaller files.")
            % {"max": MAX_UNPACKED_BYTES // 1048576}
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise _refuse_not_a_workbook() from None


def _pick_sheet(wb, title: Any):
    if title is not None:
        names = {fold(str(title))}
        with translation.override("en"):
            names.add(fold(str(title)))
        for ws in wb.worksheets:
            if fold(ws.title) in names:
                return ws
    return wb.worksheets[0]


def read_table(
    data: bytes,
    *,
    max_rows: int = MAX_ROWS,
    max_col: int | None = None,
    stop: Callable[[list[Any]], bool] | None = None,
    sheet: Any = None,
) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    """The first sheet's header row and its non-empty rows as (row number, raw values).

    `stop` ends the data early (an export's totals row); blank rows are skipped, so a
    file counts its rows, not its formatting. `sheet` names a sheet to read instead of
    the first one when the workbook has it (a file with several tables).
    """
    wb = _open(data)
    try:
        ws = _pick_sheet(wb, sheet)
        header: list[Any] = []
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(ws.iter_rows(max_col=max_col, values_only=True), 1):
            values = list(values)
            if max_col is not None:
                values += [None] * (max_col - len(values))
            if number == 1:
                header = values
                continue
            if not any(cell_text(v) for v in values):
                continue
            if stop is not None and stop(values):
                break
            if len(rows) >= max_rows:
                raise SheetError(
                    _("The file has more than %(max)d rows. Split it into smaller files.")
                    % {"max": max_rows}
                )
            rows.append((number, values))
    except SheetError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError):
        raise _refuse_not_a_workbook() from None
    finally:
        wb.close()
    return header, rows


@dataclass
class SheetRow:
    number: int
    cells: dict[str, Any]


def read_records(
    data: bytes,
    fields: Sequence[Field],
    *,
    max_rows: int = MAX_ROWS,
    stop: Callable[[list[Any]], bool] | None = None,
    sheet: Any = None,
) -> list[SheetRow]:
    """Rows keyed by field, the columns found by header; unknown columns are ignored."""
    header, rows = read_table(data, max_rows=max_rows, stop=stop, sheet=sheet)
    by_name: dict[str, Field] = {}
    for f in fields:
        for name in f.names():
            by_name.setdefault(name, f)
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        found = by_name.get(fold(cell_text(cell)))
        if found is not None and found.key not in positions:
            positions[found.key] = index
    if not positions:
        raise SheetError(
            _(
                "The first row of the file does not hold the template's column headers."
                " Download the template and use it."
            )
        )
    missing = [str(f.header) for f in fields if f.required and f.key not in positions]
    if missing:
        raise SheetError(
            _("The file lacks the columns: %(columns)s. Download the template and use it.")
            % {"columns": ", ".join(f"“{m}”" for m in missing)}
        )
    records = [
        SheetRow(
            number,
            {key: values[i] if i < len(values) else None for key, i in positions.items()},
        )
        for number, values in rows
    ]
    if not records:
        raise SheetError(_("The file has no rows to import. Fill in the template from row 2."))
    return records


def stop_at_first_cell(text: str) -> Callable[[list[Any]], bool]:
    """Ends the data at a row whose first cell reads `text` (an export's totals row)."""
    key = fold(text)
    return lambda values: bool(values) and fold(cell_text(values[0])) == key


def stop_at_note(prefix: str) -> Callable[[list[Any]], bool]:
    """Ends the data at a note written under an exported table ("Filters: …"): a row with
    only its first cell, which starts with `prefix`."""
    key = fold(prefix)

    def is_note(values: list[Any]) -> bool:
        first, rest = (values[0] if values else None), values[1:]
        return fold(cell_text(first)).startswith(key) and not any(cell_text(v) for v in rest)

    return is_note


# ---------------------------------------------------------------- typed cells


def parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return from_excel(value).date()
        raise CellError(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": value})
    text = cell_text(value)
    if not text:
        return None
    day_first = _DATE_TEXT.match(text)
    iso = _ISO_DATE.match(text)
    try:
        if day_first:
            day, month, year = (int(p) for p in day_first.groups())
        elif iso:
            year, month, day = (int(p) for p in iso.groups())
        else:
            raise ValueError
        parsed = date(year, month, day)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": text}
        ) from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise CellError(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": text})
    return parsed


def parse_int(value: Any, *, minimum: int = 0, maximum: int = MAX_COUNT) -> int | None:
    if value is None or value == "":
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if _THOUSANDS.match(text):
            # Vietnamese writing: 1.234 is a thousand two hundred and thirty-four.
            text = re.sub(r"[.\s]", "", text)
        if re.fullmatch(r"[+-]?\d+", text):
            number = int(text)
        elif not text:
            return None
    if number is None:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": cell_text(value)})
    if number < minimum:
        if minimum == 0:
            raise CellError(_("%(value)d: a number cannot be negative.") % {"value": number})
        raise CellError(
            _("%(value)d is below the smallest allowed, %(min)d.")
            % {"value": number, "min": minimum}
        )
    if number > maximum:
        raise CellError(_("%(value)d is too large.") % {"value": number})
    return number


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        # Vietnamese writing: 1.234,5; a lone dot with three digits after it groups thousands.
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif _THOUSANDS.match(text):
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    return number


def _choice_key(text: str) -> str:
    # Spaces do not tell choices apart: "Cán bộ,công chức" is "Cán bộ, công chức".
    return re.sub(r"\s+", "", fold(text))


class Lookup:
    """A choice by its code or its label, in Vietnamese or English, folded."""

    def __init__(self, choices: Iterable[tuple[str, Any]]) -> None:
        self.choices = list(choices)
        self._map: dict[str, str] = {}
        for value, label in self.choices:
            self._map.setdefault(_choice_key(value), value)
            self._map.setdefault(_choice_key(str(label)), value)
            with translation.override("en"):
                self._map.setdefault(_choice_key(str(label)), value)

    def labels(self) -> list[str]:
        return [str(label) for _value, label in self.choices]

    def get(self, text: str) -> str | None:
        return self._map.get(_choice_key(text))


def greedy(parts: list[str], joiner: str, find: Callable[[str], Any]) -> tuple[list, list[str]]:
    """Values named by consecutive parts, the longest match first: labels and titles may
    themselves hold the separator ("Cán bộ, công chức"). Returns (found, unknown parts)."""
    found: list = []
    unknown: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            value = find(joiner.join(parts[i:j]))
            if value is not None:
                found.append(value)
                i = j
                break
        else:
            unknown.append(parts[i])
            i += 1
    return found, unknown


class UnitIndex:
    """Units found by folded name or short name, among the units a person may use."""

    def __init__(self, units: Iterable) -> None:
        self.units = list(units)
        self._map: dict[str, list] = {}
        for unit in self.units:
            for key in {fold(unit.name), fold(unit.short_name)} - {""}:
                self._map.setdefault(key, []).append(unit)

    def names(self) -> list[str]:
        return [u.name for u in self.units]

    def find(self, text: str):
        matches = self._map.get(fold(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise CellError(
                _("several units are named “%(name)s”; give the full name.") % {"name": text}
            )
        raise CellError(
            _("unit “%(name)s” is not one of the units you may use in this ward.") % {"name": text}
        )


def wards_of(units: Iterable) -> list:
    """The wards the given units belong to (each unit's nearest party committee, as
    `org.models.ward_of` finds it): names are matched within one. Under a city committee
    the wards are the committees below it, not the city at the root."""
    from kehoach.org.models import Unit, UnitKind

    paths = [[int(part) for part in u.path.strip("/").split("/")] for u in units if u.path]
    committees = set(
        Unit.objects.filter(kind=UnitKind.PARTY_COMMITTEE).values_list("pk", flat=True)
    )
    ids = {next((pk for pk in reversed(path) if pk in committees), path[0]) for path in paths}
    return list(Unit.objects.filter(pk__in=ids).order_by("name", "pk"))


def split_list(text: str, separators: str = ";,") -> list[str]:
    pattern = "[" + re.escape(separators) + "\n]"
    return [normalize(part) for part in re.split(pattern, text or "") if normalize(part)]


# ---------------------------------------------------------------- reading a row


class RowReader:
    """Reads one row's cells by type; each problem is kept, framed by the column's header."""

    def __init__(self, row: SheetRow, fields: Sequence[Field]) -> None:
        self.row = row
        self.headers = {f.key: str(f.header) for f in fields}
        self.problems: list[str] = []

    @property
    def number(self) -> int:
        return self.row.number

    def fail(self, message: str, key: str | None = None) -> None:
        if key is not None:
            message = _("%(column)s: %(problem)s") % {
                "column": self.headers.get(key, key),
                "problem": message,
            }
        self.problems.append(message)

    def errors(self) -> list[str]:
        return [row_error(self.number, p) for p in self.problems]

    def raw(self, key: str) -> Any:
        return self.row.cells.get(key)

    def list_text(self, key: str) -> str:
        """The cell's text with its line breaks, which separate list values too."""
        raw = self.raw(key)
        return "" if raw is None else str(raw)

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = cell_text(self.raw(key))
        if required and not value:
            self.fail(_("this cell must be filled in."), key)
        elif max_length is not None and len(value) > max_length:
            self.fail(_("at most %(limit)d characters, please.") % {"limit": max_length}, key)
            value = value[:max_length]
        return value

    def _typed(self, key: str, parse: Callable[[Any], Any], required: bool) -> Any:
        try:
            value = parse(self.raw(key))
        except CellError as exc:
            self.fail(str(exc), key)
            return None
        if value is None and required:
            self.fail(_("this cell must be filled in."), key)
        return value

    def date(self, key: str, *, required: bool = False) -> date | None:
        return self._typed(key, parse_date, required)

    def integer(self, key: str, *, required: bool = False, **limits: int) -> int | None:
        return self._typed(key, lambda v: parse_int(v, **limits), required)

    def decimal(self, key: str, *, required: bool = False) -> Decimal | None:
        return self._typed(key, parse_decimal, required)

    def choice(self, key: str, lookup: Lookup, *, required: bool = False) -> str | None:
        text = self.text(key)
        if not text:
            if required:
                self.fail(_("this cell must be filled in."), key)
            return None
        value = lookup.get(text)
        if value is None:
            self.fail(
                _("“%(value)s” is not in the list; choose one from the “Lists” sheet.")
                % {"value": text},
                key,
            )
        return value

    def choices(self, key: str, lookup: Lookup) -> list[str]:
        """Several list values separated by semicolons (or commas, when that is unambiguous)."""
        values: list[str] = []
        for segment in split_list(self.list_text(key), ";"):
            found = lookup.get(segment)
            if found is not None:
                matched, unknown = [found], []
            else:
                matched, unknown = greedy(split_list(segment, ","), ", ", lookup.get)
            for part in unknown:
                self.fail(
                    _("“%(value)s” is not in the list; choose one from the “Lists” sheet.")
                    % {"value": part},
                    key,
                )
            values += [v for v in matched if v not in values]
        return values

    def unit(self, key: str, index: UnitIndex, *, required: bool = True):
        text = self.text(key)
        if not text:
            if required:
                self.fail(_("this cell must be filled in."), key)
            return None
        try:
            return index.find(text)
        except CellError as exc:
            self.fail(str(exc), key)
            return None

    def boolean(self, key: str) -> bool:
        text = fold(self.text(key))
        return text in {fold(_("Yes")), "yes", "x", "1", "true", "co"}

    def service_errors(self, exc: ValidationError) -> None:
        """A domain service's refusal, each message under the column it is about."""
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                for error in errors:
                    for message in error.messages:
                        self.fail(message, key if key in self.headers else None)
        else:
            for message in exc.messages:
                self.fail(message)
