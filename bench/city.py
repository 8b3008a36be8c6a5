"""The synthetic city: many wards, each with the demo ward's shape, for benchmarks."""

from kehoach.accounts.models import Membership, Role, User
from kehoach.org.models import Unit, UnitKind


def build_city(wards: int, cells_per_ward: int) -> dict[str, User]:
    people: dict[str, User] = {}
    for w in range(1, wards + 1):
        ward = Unit(name=f"Đảng ủy phường {w}", kind=UnitKind.PARTY_COMMITTEE)
        ward.save()
        for i, (name, kind) in enumerate(
            [
                ("Ban Xây dựng đảng", UnitKind.PARTY_BOARD),
                ("Ủy ban nhân dân phường", UnitKind.PEOPLES_COMMITTEE),
                ("Ủy ban MTTQ phường", UnitKind.FRONT),
            ]
        ):
            Unit(name=name, kind=kind, parent=ward, order=i).save()
        first_cell = None
        for c in range(1, cells_per_ward + 1):
            cell = Unit(
                name=f"Chi bộ Tổ dân phố số {c}",
                kind=UnitKind.PARTY_CELL,
                parent=ward,
                order=100 + c,
            )
            cell.save()
            first_cell = first_cell or cell
        if w == 1:
            coordinator = User.objects.create_user("coordinator", password="x")
            Membership.objects.create(user=coordinator, unit=ward, role=Role.COORDINATOR)
            secretary = User.objects.create_user("secretary", password="x")
            Membership.objects.create(user=secretary, unit=first_cell, role=Role.HEAD)
            people = {"coordinator": coordinator, "secretary": secretary}
    admin = User.objects.create_user("admin", password="x", is_staff=True)
    people["admin"] = admin
    return people
