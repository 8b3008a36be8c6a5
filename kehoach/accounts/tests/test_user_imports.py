"""People and roles from Excel: administrators only, new accounts with a password shown
once, roles added to existing people, every row checked, export importing back."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from openpyxl import load_workbook

from kehoach.accounts import sheets
from kehoach.accounts.models import Membership, Role, User
from kehoach.accounts.sheets import FIELDS
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import client_for
from kehoach.core.tests.test_spreadsheets_import import (
    headers,
    mirror_ward,
    names_row,
    upload,
    xlsx,
)

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/nhap-excel/"
TEMPLATE = "/tai-khoan/nhap-excel/mau.xlsx"
EXPORT = "/tai-khoan/xuat-excel/"


def role(value: str) -> str:
    return str(Role(value).label)


def sheet(*rows) -> bytes:
    return xlsx(headers(FIELDS), *rows)


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


def post(user, data: bytes, ward, **extra):
    return client_for(user).post(URL, {"file": upload(data), "ward": ward.pk, **extra})


def test_new_people_get_accounts_and_a_password_shown_once(world) -> None:
    data = sheet(
        ["cb_tdp1", "Phạm Thị Hà", "ha@lechan.vn", world.cell1.name, role("officer")],
        ["cb_tdp1", "", "", "chi bo to dan pho so 2", "officer"],
        ["chibo1", "Tên khác bị bỏ qua", "", world.cell2.name, role("viewer")],
    )
    response = post(world.admin, data, world.ward)
    assert response.context["errors"] == []
    saved = response.context["outcome"].saved
    new = User.objects.get(username="cb_tdp1")
    assert new.full_name == "Phạm Thị Hà" and new.email == "ha@lechan.vn"
    assert saved[0].password and not saved[1].password and not saved[2].password
    assert authenticate(username="cb_tdp1", password=saved[0].password) == new
    assert saved[0].password in response.content.decode()
    assert set(new.memberships.values_list("unit_id", "role")) == {
        (world.cell1.pk, "officer"),
        (world.cell2.pk, "officer"),
    }
    world.secretary.refresh_from_db()
    assert world.secretary.full_name == "Vũ Văn Nam"  # an existing person keeps their details
    assert world.secretary.memberships.filter(unit=world.cell2, role="viewer").exists()
    assert response["Cache-Control"].startswith("max-age=0")
    passwords = AuditEntry.objects.filter(object_id=str(new.pk)).values_list("after", flat=True)
    assert all(saved[0].password not in str(p) for p in passwords)


def test_every_row_error_is_listed_and_nothing_is_written(world) -> None:
    before = counts()
    data = sheet(
        ["tot", "Người Tốt", "", world.cell1.name, "officer"],
        ["co dau cach", "Sai Tên", "", world.cell1.name, "officer"],
        ["moi1", "", "", world.cell1.name, "officer"],
        ["moi2", "Người Mới", "khong-phai-email", world.cell1.name, "officer"],
        ["moi3", "Người Mới", "", "Chi bộ không có", "officer"],
        ["moi4", "Người Mới", "", world.other_cell.name, "officer"],
        ["moi5", "Người Mới", "", world.cell1.name, "Tổng thống"],
        ["", "Không tên", "", world.cell1.name, "officer"],
        ["tot", "Người Tốt", "", world.cell1.name, "officer"],
    )
    response = post(world.admin, data, world.ward)
    errors = response.context["errors"]
    assert [n for n in range(3, 11) if any(names_row(e, n) for e in errors)] == list(range(3, 11))
    assert not any(names_row(e, 2) for e in errors)
    assert counts() == before


@pytest.mark.parametrize(
    "data", [b"", b"abc", xlsx(headers(FIELDS))], ids=["empty", "not-xlsx", "headers-only"]
)
def test_a_bad_or_empty_file_is_refused(world, data) -> None:
    before = counts()
    response = post(world.admin, data, world.ward)
    assert response.context["form"].errors.get("file") or len(response.context["errors"]) == 1
    assert counts() == before


def test_too_many_rows_are_refused(world, monkeypatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 2)
    rows = [[f"u{i}", "Người", "", world.cell1.name, "officer"] for i in range(3)]
    before = counts()
    assert len(post(world.admin, sheet(*rows), world.ward).context["errors"]) == 1
    assert counts() == before


def test_only_checking_creates_no_one(world) -> None:
    before = counts()
    response = post(
        world.admin, sheet(["moi", "Người", "", world.cell1.name, "head"]), world.ward, dry_run="on"
    )
    assert response.context["outcome"].dry_run
    assert counts() == before


@pytest.mark.parametrize("persona", ["secretary", "coordinator", "outsider"])
def test_only_administrators_manage_people(world, persona) -> None:
    client = client_for(getattr(world, persona))
    for url in (URL, TEMPLATE, EXPORT):
        assert client.get(url).status_code == 403
    before = counts()
    data = sheet(["moi", "Người", "", world.cell1.name, "coordinator"])
    assert post(getattr(world, persona), data, world.ward).status_code == 403
    assert counts() == before


def test_anonymous_visitors_are_sent_to_sign_in(world) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_the_template_lists_the_wards_units_and_the_roles(world) -> None:
    response = client_for(world.admin).get(TEMPLATE, {"phuong": world.other_ward.pk})
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == headers(FIELDS)
    units = [r[0] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True) if r[0]]
    assert units == [world.other_ward.name, world.other_cell.name]


def test_the_page_reads_a_constant_number_of_queries(world, django_assert_max_num_queries) -> None:
    client = client_for(world.admin)
    with django_assert_max_num_queries(10):
        client.get(URL)


def test_an_exported_wards_people_import_into_an_empty_ward_role_by_role(world) -> None:
    exported = client_for(world.admin).get(EXPORT, {"phuong": world.ward.pk, "xuat": "xlsx"})
    assert exported.status_code == 200
    target = mirror_ward(world)
    response = post(world.admin, exported.content, target["ward"])
    assert response.context["errors"] == []

    def roles_in(ward) -> list[tuple]:
        return sorted(
            (m.user.username, m.user.full_name, m.user.email, m.unit.name, m.role)
            for m in Membership.objects.filter(unit__path__startswith=ward.path)
            .exclude(user=target["coordinator"])
            .select_related("user", "unit")
        )

    assert roles_in(target["ward"]) == roles_in(world.ward)
    assert len(roles_in(world.ward)) == 3
    assert not any(row.password for row in response.context["outcome"].saved)


def test_an_export_imported_where_the_people_are_new_creates_them_field_by_field(world) -> None:
    exported = client_for(world.admin).get(EXPORT, {"phuong": world.ward.pk}).content
    before = {
        m.user.username: (m.user.full_name, m.user.email, m.unit.name, m.role)
        for m in Membership.objects.filter(unit__path__startswith=world.ward.path)
    }
    target = mirror_ward(world)
    Membership.objects.filter(unit__path__startswith=world.ward.path).delete()
    User.objects.filter(username__in=list(before)).delete()
    response = post(world.admin, exported, target["ward"])
    assert response.context["errors"] == []
    after = {
        m.user.username: (m.user.full_name, m.user.email, m.unit.name, m.role)
        for m in Membership.objects.filter(unit__path__startswith=target["ward"].path).exclude(
            user=target["coordinator"]
        )
    }
    assert after == before
    assert all(row.password for row in response.context["outcome"].saved)
