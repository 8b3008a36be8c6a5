"""Builders, personas and the permission checks every view and endpoint test reuses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from kehoach.accounts.models import Membership, Role, User
from kehoach.org.models import Unit, UnitKind

PASSWORD = "mat-khau-thu-nghiem-2026"


def make_unit(
    name: str, kind: str = UnitKind.PARTY_CELL, parent: Unit | None = None, **extra: Any
) -> Unit:
    unit = Unit(name=name, kind=kind, parent=parent, **extra)
    unit.save()
    return unit


def make_user(
    username: str,
    *,
    unit: Unit | None = None,
    role: str | None = None,
    staff: bool = False,
    **extra: Any,
) -> User:
    user = User(username=username, is_staff=staff, is_superuser=staff, **extra)
    user.set_password(PASSWORD)
    user.save()
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@dataclass
class World:
    """Two wards. Personas: a cell secretary, the coordinator, an outsider, an administrator."""

    ward: Unit
    board: Unit
    committee: Unit
    cell1: Unit
    cell2: Unit
    other_ward: Unit
    other_cell: Unit
    superior: Unit
    secretary: User
    secretary2: User
    coordinator: User
    outsider: User
    admin: User


def build_world() -> World:
    ward = make_unit("Đảng ủy phường Lê Chân", UnitKind.PARTY_COMMITTEE, short_name="ĐU phường")
    board = make_unit("Ban Xây dựng đảng Đảng ủy", UnitKind.PARTY_BOARD, ward, order=2)
    committee = make_unit("Ủy ban nhân dân phường", UnitKind.PEOPLES_COMMITTEE, ward, order=6)
    cell1 = make_unit("Chi bộ Tổ dân phố số 1", UnitKind.PARTY_CELL, ward, order=101)
    cell2 = make_unit("Chi bộ Tổ dân phố số 2", UnitKind.PARTY_CELL, ward, order=102)
    other_ward = make_unit("Đảng ủy phường Ngô Quyền", UnitKind.PARTY_COMMITTEE)
    other_cell = make_unit("Chi bộ Tổ dân phố số 7 Ngô Quyền", UnitKind.PARTY_CELL, other_ward)
    superior = make_unit("Ban Tuyên giáo và Dân vận Thành ủy", UnitKind.EXTERNAL)
    return World(
        ward=ward,
        board=board,
        committee=committee,
        cell1=cell1,
        cell2=cell2,
        other_ward=other_ward,
        other_cell=other_cell,
        superior=superior,
        secretary=make_user("chibo1", unit=cell1, role=Role.HEAD, full_name="Vũ Văn Nam"),
        secretary2=make_user("chibo2", unit=cell2, role=Role.HEAD, full_name="Đỗ Thị Lan"),
        coordinator=make_user(
            "xaydungdang", unit=ward, role=Role.COORDINATOR, full_name="Trần Văn Hùng"
        ),
        outsider=make_user("ngoquyen", unit=other_cell, role=Role.HEAD, full_name="Người Ngoài"),
        admin=make_user("admin", staff=True, full_name="Quản trị hệ thống"),
    )


def client_for(user: User | None, **client_options: Any) -> Client:
    """A client signed in as the person, second factor included: page tests are not about
    sign-in, which kehoach/accounts/tests covers with real codes."""
    client = Client(**client_options)
    if user is not None:
        from kehoach.accounts import twofactor

        client.force_login(user)
        session = client.session
        session[twofactor.STATE] = twofactor.VERIFIED
        session.save()
    return client


class ScopedViewChecks:
    """Mixin for a test class about a page that belongs to `world.cell1`.

    Define `url(world)`; the four persona checks come for free. Override `ok_status`
    or `method`/`data` for pages that are not plain GETs.
    """

    method = "get"
    ok_status = 200

    def url(self, world: World) -> str:
        raise NotImplementedError

    def data(self, world: World) -> dict:
        return {}

    def _call(self, user: User | None, world: World):
        client = client_for(user)
        return getattr(client, self.method)(self.url(world), self.data(world))

    def test_anonymous_is_sent_to_sign_in(self, world: World) -> None:
        response = self._call(None, world)
        assert response.status_code == 302
        assert "/tai-khoan/dang-nhap/" in response["Location"]

    def test_outsider_gets_not_found(self, world: World) -> None:
        assert self._call(world.outsider, world).status_code == 404

    def test_other_cell_gets_not_found(self, world: World) -> None:
        assert self._call(world.secretary2, world).status_code == 404

    def test_own_unit_is_served(self, world: World) -> None:
        assert self._call(world.secretary, world).status_code == self.ok_status

    def test_coordinator_above_is_served(self, world: World) -> None:
        assert self._call(world.coordinator, world).status_code == self.ok_status


class ScopedEndpointChecks:
    """The same four checks for an API endpoint, with bearer tokens instead of sessions."""

    method = "get"
    ok_status = 200

    def url(self, world: World) -> str:
        raise NotImplementedError

    def payload(self, world: World) -> dict | None:
        return None

    def _call(self, user: User | None, world: World):
        from kehoach.accounts.services import issue_token

        headers = {}
        if user is not None:
            headers["Authorization"] = f"Bearer {issue_token(actor=user)}"
        kwargs: dict[str, Any] = {"headers": headers}
        if self.payload(world) is not None:
            kwargs.update(data=self.payload(world), content_type="application/json")
        return getattr(Client(), self.method)(self.url(world), **kwargs)

    def test_anonymous_is_refused(self, world: World) -> None:
        assert self._call(None, world).status_code == 401

    def test_outsider_gets_not_found(self, world: World) -> None:
        assert self._call(world.outsider, world).status_code == 404

    def test_other_cell_gets_not_found(self, world: World) -> None:
        assert self._call(world.secretary2, world).status_code == 404

    def test_own_unit_is_served(self, world: World) -> None:
        assert self._call(world.secretary, world).status_code == self.ok_status

    def test_coordinator_above_is_served(self, world: World) -> None:
        assert self._call(world.coordinator, world).status_code == self.ok_status
