import io

import pytest
from django.core.management import call_command

from kehoach.accounts.models import Membership, Role, User
from kehoach.audit.models import AuditEntry
from kehoach.org.models import Unit, UnitKind


@pytest.mark.django_db
def test_the_demo_ward_has_its_bodies_cells_and_people() -> None:
    call_command("demo", stdout=io.StringIO())
    ward = Unit.objects.get(name="Đảng ủy phường Lê Chân", parent=None)
    children = set(ward.children.values_list("name", flat=True))
    for name in (
        "Ban Thường vụ Đảng ủy",
        "Ban Xây dựng đảng Đảng ủy",
        "Văn phòng Đảng ủy",
        "Trung tâm Chính trị phường",
        "Hội đồng nhân dân phường",
        "Ủy ban nhân dân phường",
        "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
    ):
        assert name in children
    front = Unit.objects.get(name="Ủy ban Mặt trận Tổ quốc Việt Nam phường")
    assert front.children.filter(kind=UnitKind.MASS_ORG).count() == 4
    assert ward.children.filter(kind=UnitKind.PARTY_CELL).count() >= 8
    assert Unit.objects.get(name="Ban Tuyên giáo và Dân vận Thành ủy").kind == UnitKind.EXTERNAL
    assert User.objects.get(username="admin").is_staff
    expected = {
        "thuongvu": ("Đảng ủy phường Lê Chân", Role.LEADER),
        "xaydungdang": ("Đảng ủy phường Lê Chân", Role.COORDINATOR),
        "ubnd": ("Ủy ban nhân dân phường", Role.HEAD),
        "mattran": ("Ủy ban Mặt trận Tổ quốc Việt Nam phường", Role.HEAD),
        "chibo1": ("Chi bộ Tổ dân phố số 1", Role.HEAD),
        "chibo2": ("Chi bộ Tổ dân phố số 2", Role.HEAD),
    }
    for username, (unit, role) in expected.items():
        assert Membership.objects.filter(user__username=username, unit__name=unit, role=role)


@pytest.mark.django_db
def test_mattran_sees_the_mass_organisations_under_the_front() -> None:
    call_command("demo", stdout=io.StringIO())
    mattran = User.objects.get(username="mattran")
    names = set(Unit.objects.for_user(mattran).values_list("name", flat=True))
    assert "Hội Liên hiệp Phụ nữ phường" in names
    assert "Chi bộ Tổ dân phố số 1" not in names


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing() -> None:
    call_command("demo", stdout=io.StringIO())
    counts = (
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )
    call_command("demo", stdout=io.StringIO())
    assert counts == (
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )
