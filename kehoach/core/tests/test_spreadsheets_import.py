"""The shared reader of every Excel import: the file, the header, typed cells, all-or-nothing.

The helpers at the top are reused by each app's import tests."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from kehoach.accounts.models import Role
from kehoach.core import spreadsheet_imports as si
from kehoach.core import spreadsheets as sh
from kehoach.core.testing import World, make_unit, make_user
from kehoach.org.models import Unit, UnitKind

# ---------------------------------------------------------------- helpers for every import test


def xlsx(header: list, *rows, sheet_title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if sheet_title:
        ws.title = sheet_title
    if header:
        ws.append([str(h) for h in header])
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def headers(fields) -> list[str]:
    return [str(f.header) for f in fields]


def upload(data: bytes, name: str = "tep.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=si.XLSX_MIME)


def first_sheet(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))


def names_row(error: str, row: int) -> bool:
    framed = _("Row %(row)d: %(message)s") % {"row": row, "message": "\x00"}
    prefix, suffix = framed.split("\x00")
    return error.startswith(prefix) and error.endswith(suffix)


def mirror_ward(world: World):
    """An empty ward whose units bear the same names as the world's ward (as on another
    server), with its own coordinator: where round trips land."""
    ward = make_unit(world.ward.name, UnitKind.PARTY_COMMITTEE, short_name="ĐU mới")
    units = {
        "ward": ward,
        "board": make_unit(world.board.name, UnitKind.PARTY_BOARD, ward, order=2),
        "committee": make_unit(world.committee.name, UnitKind.PEOPLES_COMMITTEE, ward, order=6),
        "cell1": make_unit(world.cell1.name, UnitKind.PARTY_CELL, ward, order=101),
        "cell2": make_unit(world.cell2.name, UnitKind.PARTY_CELL, ward, order=102),
    }
    units["coordinator"] = make_user(
        "dieuphoi_anbien", unit=ward, role=Role.COORDINATOR, full_name="Lê Thị Hoa"
    )
    return units


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"\0" * (sh.MAX_UNPACKED_BYTES + 1))
    return out.getvalue()


# ---------------------------------------------------------------- the file as a whole

FIELDS = [
    sh.Field("day", "Ngày", required=True, kind="date"),
    sh.Field("count", "Số lượng"),
    sh.Field("unit", "Đơn vị", required=True),
]


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "Ngày;Đơn vị\n1/1/2026;Chi bộ\n".encode(),
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        b"PK\x03\x04 truncated",
        _zip_without_workbook(),
    ],
    ids=["empty-bytes", "csv-text", "png", "broken-zip", "zip-not-workbook"],
)
def test_a_file_that_is_not_a_workbook_is_refused_with_one_message(data: bytes) -> None:
    with pytest.raises(sh.SheetError) as caught:
        sh.read_records(data, FIELDS)
    assert str(caught.value)


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_reading() -> None:
    with pytest.raises(sh.SheetError) as caught:
        sh.read_records(zip_bomb(), FIELDS)
    assert str(sh.MAX_UNPACKED_BYTES // 1048576) in str(caught.value)


@override_settings(MAX_UPLOAD_BYTES=1024)
def test_an_oversized_file_is_refused_even_without_the_form() -> None:
    with pytest.raises(sh.SheetError):
        sh.read_records(xlsx(["Ngày", "Đơn vị"], *[["01/01/2026", "x" * 50]] * 50), FIELDS)


def test_a_file_with_only_headers_is_refused_as_empty() -> None:
    with pytest.raises(sh.SheetError):
        sh.read_records(xlsx(["Ngày", "Đơn vị"]), FIELDS)


def test_a_file_without_the_headers_is_refused() -> None:
    with pytest.raises(sh.SheetError):
        sh.read_records(xlsx([], ["01/01/2026", "Chi bộ"]), FIELDS)


def test_a_missing_required_column_is_named() -> None:
    with pytest.raises(sh.SheetError) as caught:
        sh.read_records(xlsx(["Ngày", "Số lượng"], ["01/01/2026", 1]), FIELDS)
    assert "Đơn vị" in str(caught.value)


def test_more_rows_than_allowed_are_refused_and_the_limit_is_named() -> None:
    rows = [["01/01/2026", i, "Chi bộ"] for i in range(11)]
    with pytest.raises(sh.SheetError) as caught:
        sh.read_records(xlsx(["Ngày", "Số lượng", "Đơn vị"], *rows), FIELDS, max_rows=10)
    assert "10" in str(caught.value)


def test_columns_are_found_by_folded_header_in_any_order_and_extra_ones_ignored() -> None:
    data = xlsx(
        ["  don VI ", "Ghi chú", "NGAY"],
        ["Chi bộ 1", "bỏ qua", "02/03/2026"],
        [None, None, None],
        ["Chi bộ 2", "", datetime(2026, 3, 4)],
    )
    rows = sh.read_records(data, FIELDS)
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].cells == {"unit": "Chi bộ 1", "day": "02/03/2026"}


def test_reading_stops_at_an_exports_totals_row() -> None:
    data = xlsx(["Ngày", "Đơn vị"], ["01/01/2026", "A"], ["Tổng cộng", "1"], [], ["Bộ lọc", "x"])
    rows = sh.read_records(data, FIELDS, stop=sh.stop_at_first_cell("Tổng cộng"))
    assert len(rows) == 1


def test_a_named_sheet_is_read_when_the_workbook_has_it() -> None:
    wb = Workbook()
    wb.active.append(["Khác"])
    wb.active.append(["x"])
    figures = wb.create_sheet("Số liệu")
    figures.append(["Ngày", "Đơn vị"])
    figures.append(["05/05/2026", "B"])
    out = io.BytesIO()
    wb.save(out)
    [row] = sh.read_records(out.getvalue(), FIELDS, sheet="Số liệu")
    assert row.cells["unit"] == "B"


# ---------------------------------------------------------------- typed cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 5, 20, 0, 0), date(2026, 5, 20)),
        (date(2026, 5, 20), date(2026, 5, 20)),
        ("20/05/2026", date(2026, 5, 20)),
        ("5/6/2026", date(2026, 6, 5)),
        ("20-05-2026", date(2026, 5, 20)),
        ("20.05.2026", date(2026, 5, 20)),
        ("2026-05-20", date(2026, 5, 20)),
        (46162, date(2026, 5, 20)),  # an Excel serial number left unformatted
        (None, None),
        ("", None),
    ],
)
def test_dates_are_read_from_excel_dates_and_dd_mm_yyyy_text(value, expected) -> None:
    assert sh.parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2026", "hôm qua", "2026", "13/13/2026", -5, 10**7])
def test_a_cell_that_is_not_a_date_is_refused(value) -> None:
    with pytest.raises(sh.CellError):
        sh.parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        (12.0, 12),
        ("1.234", 1234),
        (" 35 ", 35),
        ("1 200", 1200),
        (None, None),
        ("", None),
    ],
)
def test_whole_numbers_are_read_in_vietnamese_writing(value, expected) -> None:
    assert sh.parse_int(value) == expected


@pytest.mark.parametrize("value", [-1, "-3", 1.5, "12a", "1,5", True, 10**10])
def test_negative_fractional_and_wordy_counts_are_refused(value) -> None:
    with pytest.raises(sh.CellError):
        sh.parse_int(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.234,5", Decimal("1234.5")), ("12,25", Decimal("12.25")), (7.5, Decimal("7.5"))],
)
def test_decimals_read_the_vietnamese_comma(value, expected) -> None:
    assert sh.parse_decimal(value) == expected


def test_a_lookup_takes_codes_labels_without_accents_and_spacing() -> None:
    lookup = sh.Lookup([("cadres", "Cán bộ, công chức"), ("people", "Nhân dân")])
    assert lookup.get("CAN BO,CONG CHUC") == "cadres"
    assert lookup.get("people") == "people"
    assert lookup.get("nhan dan") == "people"
    assert lookup.get("dân") is None


def test_list_cells_split_on_semicolons_and_on_commas_only_between_whole_labels() -> None:
    lookup = sh.Lookup([("cadres", "Cán bộ, công chức"), ("people", "Nhân dân")])
    row = sh.SheetRow(2, {"who": "Cán bộ, công chức, Nhân dân; nhan dan"})
    reader = sh.RowReader(row, [sh.Field("who", "Đối tượng")])
    assert reader.choices("who", lookup) == ["cadres", "people"]
    assert reader.problems == []


@pytest.mark.django_db
def test_unit_names_are_matched_folded_and_ambiguity_is_an_error(world: World) -> None:
    index = sh.UnitIndex([world.cell1, world.cell2, world.ward])
    assert index.find("chi bo to dan pho so 1") == world.cell1
    assert index.find("DU PHUONG") == world.ward
    with pytest.raises(sh.CellError):
        index.find(world.other_cell.name)
    twin = Unit(name=world.cell1.name, kind=UnitKind.PARTY_CELL, path="/x/")
    with pytest.raises(sh.CellError):
        sh.UnitIndex([world.cell1, twin]).find(world.cell1.name)


def test_a_rows_problems_are_all_kept_and_framed_by_row_and_column() -> None:
    row = sh.SheetRow(7, {"day": "32/01/2026", "count": "-2", "unit": ""})
    reader = sh.RowReader(row, FIELDS)
    reader.date("day", required=True)
    reader.integer("count")
    reader.text("unit", required=True)
    errors = reader.errors()
    assert len(errors) == 3
    assert all(names_row(e, 7) for e in errors)
    assert "Ngày" in errors[0] and "Số lượng" in errors[1] and "Đơn vị" in errors[2]


# ---------------------------------------------------------------- all or nothing


@pytest.mark.django_db
def test_save_all_keeps_nothing_when_one_row_is_refused_by_its_service(world: World) -> None:
    rows = [sh.RowReader(sh.SheetRow(n, {}), FIELDS) for n in (2, 3, 4)]

    def save(reader):
        make_unit(f"Đơn vị {reader.number}", parent=world.ward)
        if reader.number == 3:
            raise ValidationError({"unit": "không được"})

    before = Unit.objects.count()
    with pytest.raises(sh.ImportRejected) as caught:
        si.save_all(world.admin, rows, save)
    [error] = caught.value.errors
    assert names_row(error, 3) and "Đơn vị" in error
    assert Unit.objects.count() == before


@pytest.mark.django_db
def test_save_all_only_checking_keeps_nothing_and_reports_the_rows(world: World) -> None:
    rows = [sh.RowReader(sh.SheetRow(2, {}), FIELDS)]
    before = Unit.objects.count()
    outcome = si.save_all(
        world.admin, rows, lambda r: make_unit("Tạm", parent=world.ward), dry_run=True
    )
    assert outcome.dry_run and outcome.checked == 1
    assert Unit.objects.count() == before


def test_a_template_has_headers_lists_and_a_guide() -> None:
    data = si.build_template(
        title="Mẫu",
        fields=FIELDS,
        lists={"unit": ["Chi bộ 1", "Chi bộ 2"]},
        guide=["Hướng dẫn"],
    )
    wb = load_workbook(io.BytesIO(data))
    assert [c.value for c in wb.worksheets[0][1]] == headers(FIELDS)
    assert len(wb.worksheets) == 3
    [validation] = wb.worksheets[0].data_validations.dataValidation
    assert "C2" in str(validation.sqref)
    assert [r[0] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)] == [
        "Chi bộ 1",
        "Chi bộ 2",
    ]
