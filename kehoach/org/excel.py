"""The unit-tree spreadsheet: the template people fill in, and its row-by-row reading.

Reading is separate from saving so every row can be checked before anything is
written: one bad row and nothing is saved.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from kehoach.core import spreadsheets
from kehoach.core.text import fold
from kehoach.org.models import Unit, UnitKind

MAX_ROWS = spreadsheets.MAX_ROWS
COLUMNS = [
    gettext_lazy("Unit name"),
    gettext_lazy("Short name"),
    gettext_lazy("Kind"),
    gettext_lazy("Parent unit"),
    gettext_lazy("Order"),
]


# The file as a whole cannot be read; the message says why, in Vietnamese.
ImportFileError = spreadsheets.SheetError


@dataclass
class RowPlan:
    row: int
    name: str
    short_name: str
    kind: str
    order: int
    parent_unit: Unit | None = None  # an existing unit
    parent_row: RowPlan | None = None  # a unit created by an earlier row
    created: Unit | None = None


@dataclass
class ImportResult:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def build_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Units")
    ws.append([str(c) for c in COLUMNS])
    for col, width in zip("ABCDE", (48, 18, 28, 40, 10), strict=True):
        ws.column_dimensions[col].width = width
    kinds = wb.create_sheet(_("Kinds"))
    kinds.append([_("Kind"), _("Code")])
    for value, label in UnitKind.choices:
        kinds.append([str(label), value])
    validation = DataValidation(
        type="list",
        formula1=f"='{kinds.title}'!$A$2:$A${len(UnitKind.choices) + 1}",
        allow_blank=False,
    )
    ws.add_data_validation(validation)
    validation.add(f"C2:C{MAX_ROWS + 1}")
    # The example lives on its own sheet: a sample row on the data sheet would be imported.
    guide = wb.create_sheet(_("Guide"))
    guide.column_dimensions["A"].width = 100
    for line in (
        _("One unit per row on the first sheet, starting from row 2."),
        _(
            "Parent unit: the name of a unit already in the system or of a unit on an earlier row;"
            " leave it blank to attach the unit under the unit chosen on the import screen."
        ),
        _("Kind: choose from the list (see the “Kinds” sheet). Order: a whole number."),
        _("Example: Chi bộ Tổ dân phố số 9 | CB TDP 9 | Party cell | Đảng ủy phường Lê Chân | 109"),
    ):
        guide.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _kind_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in UnitKind.choices:
        lookup[fold(value)] = value
        lookup[fold(str(label))] = value
    return lookup


def read_sheet(data: bytes) -> list[tuple[int, list[str]]]:
    """The non-empty data rows as (row number, five texts)."""
    _header, rows = spreadsheets.read_table(data, max_rows=MAX_ROWS, max_col=len(COLUMNS))
    if not rows:
        raise ImportFileError(_("The file has no units in it. Fill in the template from row 2."))
    return [(number, [spreadsheets.cell_text(v) for v in values]) for number, values in rows]


def plan_import(
    rows: list[tuple[int, list[str]]], *, under: Unit | None, known: list[Unit]
) -> ImportResult:
    """Checks every row against the others and the units already in the tree."""
    result = ImportResult()
    kinds = _kind_lookup()
    existing: dict[str, list[Unit]] = {}
    for unit in known:
        for key in {fold(unit.name), fold(unit.short_name)} - {""}:
            existing.setdefault(key, []).append(unit)
    by_name: dict[str, list[RowPlan]] = {}
    siblings: set[tuple[str, str]] = {(str(u.parent_id), fold(u.name)) for u in known}

    for number, (name, short_name, kind_text, parent_text, order_text) in rows:
        errors_before = len(result.errors)

        def fail(message: str, number: int = number) -> None:
            result.errors.append(spreadsheets.row_error(number, message))

        if not name:
            fail(_("the unit name is missing."))
        elif len(name) > 255:
            fail(_("the unit name is longer than 255 characters."))
        if len(short_name) > 64:
            fail(_("the short name is longer than 64 characters."))
        kind = kinds.get(fold(kind_text))
        if not kind:
            fail(
                _("unknown kind “%(kind)s”; choose one from the “Kinds” sheet.")
                % {"kind": kind_text}
                if kind_text
                else _("the kind is missing.")
            )
        order = 0
        if order_text:
            try:
                order = int(order_text)
                if order < 0:
                    raise ValueError
            except ValueError:
                fail(
                    _("the order must be a whole number, not “%(value)s”.") % {"value": order_text}
                )
        plan = RowPlan(number, name, short_name, kind or "", order)
        if parent_text:
            key = fold(parent_text)
            # An earlier row wins over the tree; two earlier rows of that name are as
            # ambiguous as two units in the tree, never silently the first one.
            named_rows = by_name.get(key, [])
            matches = existing.get(key, [])
            if len(matches) > 1 and under is not None:
                # Names repeat across wards ("Chi bộ Tổ dân phố số 1"): the chosen
                # unit's own subtree is what the person means.
                matches = [u for u in matches if u.path.startswith(under.path)] or matches
            if len(named_rows) == 1:
                plan.parent_row = named_rows[0]
            elif not named_rows and len(matches) == 1:
                plan.parent_unit = matches[0]
            elif named_rows or matches:
                fail(
                    _("several units are named “%(name)s”; give the parent's full name.")
                    % {"name": parent_text}
                )
            else:
                fail(
                    _("parent unit “%(name)s” was not found in the tree or in earlier rows.")
                    % {"name": parent_text}
                )
        else:
            plan.parent_unit = under
        if name and len(result.errors) == errors_before:
            parent_key = (
                f"row{plan.parent_row.row}"
                if plan.parent_row
                else str(plan.parent_unit.pk if plan.parent_unit else None)
            )
            if (parent_key, fold(name)) in siblings:
                fail(
                    _("a unit named “%(name)s” already exists under the same parent.")
                    % {"name": name}
                )
            siblings.add((parent_key, fold(name)))
            for key in {fold(name), fold(short_name)} - {""}:
                by_name.setdefault(key, []).append(plan)
        result.rows.append(plan)
    return result
