"""Importing units from a spreadsheet: reading, checking every row, saving all or nothing."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from kehoach.audit.models import AuditEntry
from kehoach.core.testing import World, client_for, make_unit
from kehoach.core.text import fold
from kehoach.org import excel, services
from kehoach.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

HEADER = ["Tên đơn vị", "Tên viết tắt", "Loại", "Đơn vị cấp trên", "Thứ tự"]
CELL = UnitKind.PARTY_CELL.value
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + b"\0" * 64
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*rows, header: bool = True) -> bytes:
    wb = Workbook()
    ws = wb.active
    if header:
        ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plan(world: World, *rows, under: Unit | None = None) -> excel.ImportResult:
    return excel.plan_import(
        excel.read_sheet(workbook(*rows)),
        under=under,
        known=list(Unit.objects.pickable_for(world.admin)),
    )


def names_row(error: str, row: int) -> bool:
    """The error is framed by its row number, whatever language the catalogue gives it."""
    framed = _("Row %(row)d: %(message)s") % {"row": row, "message": "\x00"}
    prefix, suffix = framed.split("\x00")
    return error.startswith(prefix) and error.endswith(suffix) and len(error) > len(framed)


def reason(message: str, **params) -> str:
    """A row error's reason as the active language renders it."""
    return _(message) % params if params else _(message)


def unit_count_and_audit() -> tuple[int, int]:
    return Unit.objects.count(), AuditEntry.objects.count()


# --- reading the file --------------------------------------------------------------------------


def test_reading_keeps_row_numbers_and_skips_blank_rows() -> None:
    rows = excel.read_sheet(
        workbook(
            ["Chi bộ 1", "CB1", CELL, "", 1],
            [None, None, None, None, None],
            ["  Chi bộ   2 ", None, CELL],
        )
    )
    assert rows == [
        (2, ["Chi bộ 1", "CB1", CELL, "", "1"]),
        (4, ["Chi bộ 2", "", CELL, "", ""]),
    ]


def test_whole_numbers_typed_as_decimals_read_as_whole_numbers() -> None:
    [(_, texts)] = excel.read_sheet(workbook(["Chi bộ 9", "", CELL, "", 9.0]))
    assert texts[4] == "9"


def test_a_file_with_only_the_header_is_refused() -> None:
    with pytest.raises(excel.ImportFileError):
        excel.read_sheet(workbook())


def test_a_workbook_with_nothing_at_all_is_refused() -> None:
    with pytest.raises(excel.ImportFileError):
        excel.read_sheet(workbook(header=False))


def test_a_file_with_more_than_the_maximum_rows_is_refused() -> None:
    rows = [[f"Chi bộ {i}", "", CELL, "", i] for i in range(excel.MAX_ROWS + 1)]
    with pytest.raises(excel.ImportFileError) as caught:
        excel.read_sheet(workbook(*rows))
    assert str(excel.MAX_ROWS) in str(caught.value)


def test_a_file_with_exactly_the_maximum_rows_is_read() -> None:
    rows = [[f"Chi bộ {i}", "", CELL, "", i] for i in range(excel.MAX_ROWS)]
    assert len(excel.read_sheet(workbook(*rows))) == excel.MAX_ROWS


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        "Tên đơn vị;Loại\nChi bộ 1;party_cell\n".encode(),
        PNG,
        b"",
        b"PK\x03\x04 truncated archive",
        _zip_without_workbook(),
    ],
    ids=["plain-text", "renamed-png", "empty-bytes", "broken-zip", "zip-but-not-a-workbook"],
)
def test_a_file_that_is_not_a_workbook_is_refused_as_a_whole(data: bytes) -> None:
    with pytest.raises(excel.ImportFileError):
        excel.read_sheet(data)


# --- checking rows -----------------------------------------------------------------------------


def test_valid_rows_attach_to_existing_units_earlier_rows_or_the_chosen_unit(world: World) -> None:
    result = plan(
        world,
        ["Khối dân cư số 3", "Khối 3", UnitKind.DEPARTMENT.value, "", 1],
        ["Chi bộ Tổ dân phố số 31", "", CELL, "Khối dân cư số 3", 2],
        ["Chi bộ Tổ dân phố số 32", "", CELL, "khoi 3", ""],
        ["Tổ đảng 1A", "", CELL, world.cell1.name, 3],
        under=world.ward,
    )
    assert result.errors == []
    block, cell31, cell32, tiny = result.rows
    assert block.parent_unit == world.ward and block.parent_row is None
    assert cell31.parent_row is block and cell31.parent_unit is None
    assert cell32.parent_row is block  # found by short name, folded
    assert tiny.parent_unit == world.cell1 and tiny.parent_row is None
    assert [r.row for r in result.rows] == [2, 3, 4, 5]
    assert [r.order for r in result.rows] == [1, 2, 0, 3]
    assert block.kind == UnitKind.DEPARTMENT


def test_rows_without_a_parent_are_top_level_when_no_unit_is_chosen(world: World) -> None:
    result = plan(world, ["Đảng ủy phường An Biên", "", UnitKind.PARTY_COMMITTEE.value, "", ""])
    assert result.errors == []
    assert result.rows[0].parent_unit is None and result.rows[0].parent_row is None


def test_a_parent_may_be_named_by_an_existing_units_short_name_without_accents(
    world: World,
) -> None:
    result = plan(world, ["Chi bộ Tổ dân phố số 3", "", CELL, "du phuong", ""])
    assert result.errors == []
    assert result.rows[0].parent_unit == world.ward


def test_kind_may_be_given_by_its_label_or_its_code_in_any_case_or_accents(world: World) -> None:
    label = str(UnitKind.PEOPLES_COUNCIL.label)
    result = plan(
        world,
        ["Đơn vị A", "", label, "", ""],
        ["Đơn vị B", "", fold(label).upper(), "", ""],
        ["Đơn vị C", "", "peoples_council", "", ""],
        ["Đơn vị D", "", " PEOPLES_COUNCIL ", "", ""],
    )
    assert result.errors == []
    assert [r.kind for r in result.rows] == [UnitKind.PEOPLES_COUNCIL] * 4


def test_every_label_in_the_templates_kinds_sheet_is_accepted(world: World) -> None:
    sheet = load_workbook(io.BytesIO(excel.build_template())).worksheets[1]
    labels = [(row[0], row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(labels) == len(UnitKind.choices)
    result = plan(world, *[[f"Đơn vị {code}", "", label, "", ""] for label, code in labels])
    assert result.errors == []
    assert [r.kind for r in result.rows] == [code for _, code in labels]


def test_a_missing_name_is_an_error_naming_its_row(world: World) -> None:
    result = plan(world, ["Chi bộ 1", "", CELL, "", ""], ["", "CB", CELL, "", ""])
    [error] = result.errors
    assert names_row(error, 3)
    assert reason("the unit name is missing.") in error


def test_an_unknown_kind_is_an_error_naming_its_row_and_the_kind(world: World) -> None:
    result = plan(world, ["Chi bộ 1", "", "Hành tinh", "", ""])
    [error] = result.errors
    assert names_row(error, 2)
    assert "Hành tinh" in error


def test_a_missing_kind_is_an_error(world: World) -> None:
    result = plan(world, ["Chi bộ 1", "", "", "", ""])
    [error] = result.errors
    assert names_row(error, 2)
    assert reason("the kind is missing.") in error


@pytest.mark.parametrize("order", ["thứ ba", "-1", "1,5"])
def test_an_order_that_is_not_a_whole_number_is_an_error(world: World, order: str) -> None:
    result = plan(world, ["Chi bộ 1", "", CELL, "", order])
    [error] = result.errors
    assert names_row(error, 2)
    assert order in error


def test_an_unknown_parent_is_an_error_naming_its_row_and_the_parent(world: World) -> None:
    result = plan(world, ["Chi bộ 1", "", CELL, "Đảng ủy phường Không Có", ""])
    [error] = result.errors
    assert names_row(error, 2)
    assert (
        reason(
            "parent unit “%(name)s” was not found in the tree or in earlier rows.",
            name="Đảng ủy phường Không Có",
        )
        in error
    )


def test_a_parent_on_a_later_row_is_not_found(world: World) -> None:
    result = plan(
        world,
        ["Chi bộ con", "", CELL, "Khối mới", ""],
        ["Khối mới", "", UnitKind.DEPARTMENT.value, "", ""],
    )
    [error] = result.errors
    assert names_row(error, 2)


def test_a_retired_unit_cannot_be_a_parent(world: World) -> None:
    services.retire_unit(actor=world.admin, unit=world.cell2)
    result = plan(world, ["Tổ đảng", "", CELL, world.cell2.name, ""])
    [error] = result.errors
    assert names_row(error, 2)


def test_a_parent_name_shared_by_several_units_is_an_ambiguity_error(world: World) -> None:
    make_unit(world.cell1.name, UnitKind.PARTY_CELL, world.other_ward)
    result = plan(world, ["Tổ đảng 1A", "", CELL, world.cell1.name.upper(), ""])
    [error] = result.errors
    assert names_row(error, 2)
    assert (
        reason(
            "several units are named “%(name)s”; give the parent's full name.",
            name=world.cell1.name.upper(),
        )
        in error
    )


def test_a_parent_name_shared_by_several_earlier_rows_is_an_ambiguity_error(world: World) -> None:
    result = plan(
        world,
        ["Khối A", "", UnitKind.DEPARTMENT.value, "", ""],
        ["Khối B", "", UnitKind.DEPARTMENT.value, "", ""],
        ["Chi bộ 1", "", CELL, "Khối A", ""],
        ["Chi bộ 1", "", CELL, "Khối B", ""],
        ["Tổ đảng", "", CELL, "Chi bộ 1", ""],
    )
    [error] = result.errors
    assert names_row(error, 6)
    assert (
        reason("several units are named “%(name)s”; give the parent's full name.", name="Chi bộ 1")
        in error
    )


def test_an_earlier_row_wins_over_a_unit_of_the_same_name_in_the_tree(world: World) -> None:
    # A new ward's file repeats names the tree already has; its own rows are what it means.
    result = plan(
        world,
        [world.cell1.name, "", CELL, world.other_ward.name, ""],
        ["Tổ đảng 1A", "", CELL, world.cell1.name, ""],
    )
    assert result.errors == []
    assert result.rows[1].parent_row is result.rows[0]
    assert result.rows[1].parent_unit is None


def test_a_row_that_repeats_its_own_name_as_short_name_is_not_ambiguous(world: World) -> None:
    result = plan(
        world,
        ["Khối A", "khoi a", UnitKind.DEPARTMENT.value, "", ""],
        ["Chi bộ 1", "", CELL, "Khối A", ""],
    )
    assert result.errors == []
    assert result.rows[1].parent_row is result.rows[0]


def test_a_unit_already_under_the_same_parent_is_a_duplicate(world: World) -> None:
    result = plan(world, ["chi bo to dan pho so 1", "", CELL, "", ""], under=world.ward)
    [error] = result.errors
    assert names_row(error, 2)


def test_the_same_name_twice_under_one_parent_in_the_file_is_a_duplicate(world: World) -> None:
    result = plan(
        world,
        ["Chi bộ Tổ dân phố số 8", "", CELL, "", ""],
        ["Chi bộ Tổ dân phố số 8", "", CELL, "", ""],
        under=world.ward,
    )
    [error] = result.errors
    assert names_row(error, 3)


def test_the_same_name_under_different_parents_is_allowed(world: World) -> None:
    result = plan(
        world,
        ["Tổ đảng số 1", "", CELL, world.cell1.name, ""],
        ["Tổ đảng số 1", "", CELL, world.cell2.name, ""],
    )
    assert result.errors == []


def test_overlong_names_are_errors(world: World) -> None:
    result = plan(world, ["N" * 256, "S" * 65, CELL, "", ""])
    assert len(result.errors) == 2
    assert all(names_row(e, 2) for e in result.errors)


def test_every_bad_row_is_reported_not_just_the_first(world: World) -> None:
    result = plan(
        world,
        ["Chi bộ tốt", "", CELL, "", ""],
        ["", "", CELL, "", ""],
        ["Chi bộ loại lạ", "", "Hành tinh", "", ""],
        ["Chi bộ tốt 2", "", CELL, "", "2"],
        ["Chi bộ thứ tự lạ", "", CELL, "", "x"],
    )
    assert len(result.errors) == 3
    assert [names_row(e, n) for e, n in zip(result.errors, [3, 4, 6], strict=True)] == [True] * 3


# --- saving ------------------------------------------------------------------------------------


def test_importing_creates_every_unit_with_the_right_parent_and_an_audit_entry(
    world: World,
) -> None:
    data = workbook(
        ["Khối dân cư số 3", "Khối 3", UnitKind.DEPARTMENT.value, "", 1],
        ["Chi bộ Tổ dân phố số 31", "", CELL, "Khối 3", 2],
        ["Tổ đảng 1A", "", CELL, world.cell1.name, 3],
    )
    created = services.import_units(actor=world.admin, data=data, under=world.ward)
    block, cell31, tiny = (Unit.objects.get(pk=u.pk) for u in created)
    assert (block.name, block.short_name, block.kind, block.order) == (
        "Khối dân cư số 3",
        "Khối 3",
        UnitKind.DEPARTMENT,
        1,
    )
    assert block.parent_id == world.ward.pk
    assert cell31.parent_id == block.pk
    assert cell31.path == f"{world.ward.path}{block.pk}/{cell31.pk}/"
    assert tiny.parent_id == world.cell1.pk
    entries = AuditEntry.objects.filter(object_id__in=[str(u.pk) for u in created])
    assert entries.count() == 3
    assert {e.actor_id for e in entries} == {world.admin.pk}
    assert all(e.before is None and e.after["name"] for e in entries)


def test_one_bad_row_means_nothing_is_imported(world: World) -> None:
    before = unit_count_and_audit()
    data = workbook(
        ["Khối dân cư số 3", "", UnitKind.DEPARTMENT.value, "", 1],
        ["Chi bộ Tổ dân phố số 31", "", CELL, "Khối dân cư số 3", 2],
        ["Chi bộ hỏng", "", "Hành tinh", "Khối dân cư số 3", 3],
    )
    with pytest.raises(services.ImportRejected) as caught:
        services.import_units(actor=world.admin, data=data, under=world.ward)
    assert len(caught.value.errors) == 1
    assert names_row(caught.value.errors[0], 4)
    assert unit_count_and_audit() == before


def test_an_unreadable_file_is_rejected_with_one_error(world: World) -> None:
    before = unit_count_and_audit()
    with pytest.raises(services.ImportRejected) as caught:
        services.import_units(actor=world.admin, data=PNG, under=None)
    assert len(caught.value.errors) == 1
    assert unit_count_and_audit() == before


@pytest.mark.parametrize("persona", ["secretary", "coordinator"])
def test_only_administrators_may_import(world: World, persona: str) -> None:
    before = unit_count_and_audit()
    with pytest.raises(PermissionDenied):
        services.import_units(
            actor=getattr(world, persona),
            data=workbook(["Chi bộ 3", "", CELL, "", ""]),
            under=world.ward,
        )
    assert unit_count_and_audit() == before


# --- the import page ---------------------------------------------------------------------------


IMPORT = reverse("org:import")
TEMPLATE = reverse("org:import_template")


def upload(data: bytes, name: str = "don-vi.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_the_template_is_a_workbook_with_the_header_row_and_the_kinds(world: World) -> None:
    response = client_for(world.admin).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert ".xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    units, kinds = book.worksheets[:2]
    assert [c.value for c in units[1]] == [str(c) for c in excel.COLUMNS]
    assert {row[1] for row in kinds.iter_rows(min_row=2, values_only=True)} == set(UnitKind.values)


@pytest.mark.parametrize("persona", ["secretary", "coordinator", "outsider"])
def test_people_who_are_not_administrators_cannot_import(world: World, persona: str) -> None:
    client = client_for(getattr(world, persona))
    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    before = unit_count_and_audit()
    response = client.post(IMPORT, {"file": upload(workbook(["Chi bộ 3", "", CELL, "", ""]))})
    assert response.status_code == 403
    assert unit_count_and_audit() == before


def test_anonymous_visitors_are_sent_to_sign_in_from_the_import_page(world: World) -> None:
    response = client_for(None).get(IMPORT)
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]


def test_the_administrator_imports_a_file_under_a_chosen_unit(world: World) -> None:
    data = workbook(
        ["Khối dân cư số 3", "", UnitKind.DEPARTMENT.value, "", 1],
        ["Chi bộ Tổ dân phố số 31", "", CELL, "Khối dân cư số 3", 2],
    )
    response = client_for(world.admin).post(IMPORT, {"file": upload(data), "under": world.ward.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("org:tree")
    block = Unit.objects.get(name="Khối dân cư số 3")
    assert block.parent_id == world.ward.pk
    assert Unit.objects.get(name="Chi bộ Tổ dân phố số 31").parent_id == block.pk


def test_row_errors_are_shown_with_their_row_numbers_and_nothing_is_saved(world: World) -> None:
    before = unit_count_and_audit()
    data = workbook(
        ["Chi bộ tốt", "", CELL, "", ""],
        ["", "", CELL, "", ""],
        ["Chi bộ lạc", "", CELL, "Đảng ủy phường Không Có", ""],
    )
    response = client_for(world.admin).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert len(errors) == 2
    assert names_row(errors[0], 3) and names_row(errors[1], 4)
    html = response.content.decode()
    assert 'id="import-errors"' in html
    for error in errors:
        assert escape(error) in html
    assert unit_count_and_audit() == before


def test_a_renamed_image_is_refused_by_the_form(world: World) -> None:
    before = unit_count_and_audit()
    response = client_for(world.admin).post(IMPORT, {"file": upload(PNG, "anh.xlsx")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert unit_count_and_audit() == before


def test_a_zip_that_is_not_a_workbook_gets_a_clear_error_not_a_crash(world: World) -> None:
    before = unit_count_and_audit()
    response = client_for(world.admin).post(IMPORT, {"file": upload(_zip_without_workbook())})
    assert response.status_code == 200
    assert len(response.context["errors"]) == 1
    assert unit_count_and_audit() == before


@override_settings(MAX_UPLOAD_BYTES=1024 * 1024)
def test_an_oversized_upload_is_refused_with_its_size_and_no_crash(world: World) -> None:
    before = unit_count_and_audit()
    data = b"PK\x03\x04" + b"\0" * (1024 * 1024 + 512 * 1024)
    response = client_for(world.admin).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert "1,5" in error  # the size, in Vietnamese decimal notation
    assert unit_count_and_audit() == before


def test_an_upload_without_a_file_shows_the_form_again(world: World) -> None:
    # A browser always sends the parent picker, even left empty.
    response = client_for(world.admin).post(IMPORT, {"under": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
