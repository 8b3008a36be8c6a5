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


def build_ward_with_activities(
    units: int = 60, topics: int = 5, activities: int = 50_000, seed: int = 58
) -> tuple[dict[str, User], object]:
    """One ward of `units` units (boards, the People's Committee, the Front, party cells),
    an issued plan of `topics` topics assigning every unit, and `activities` activities
    spread over units, channels, topics and the year; about one in fifty is deleted."""
    import random
    from datetime import date, timedelta

    from django.utils import timezone

    from kehoach.activities.models import Activity, ActivityTopic, Channel
    from kehoach.plans.models import Assignment, AssignmentUnit, Plan, Topic

    rng = random.Random(seed)
    ward = Unit(name="Đảng ủy phường Lê Chân", kind=UnitKind.PARTY_COMMITTEE)
    ward.save()
    fixed = [
        ("Ban Xây dựng đảng", UnitKind.PARTY_BOARD),
        ("Ủy ban nhân dân phường", UnitKind.PEOPLES_COMMITTEE),
        ("Ủy ban MTTQ phường", UnitKind.FRONT),
        ("Đoàn Thanh niên phường", UnitKind.MASS_ORG),
        ("Hội Liên hiệp Phụ nữ phường", UnitKind.MASS_ORG),
    ]
    members: list[Unit] = []
    for i in range(units):
        name, kind = (
            fixed[i]
            if i < len(fixed)
            else (
                f"Chi bộ Tổ dân phố số {i - len(fixed) + 1}",
                UnitKind.PARTY_CELL,
            )
        )
        unit = Unit(name=name, kind=kind, parent=ward, order=i)
        unit.save()
        members.append(unit)
    coordinator = User.objects.create_user("coordinator", password="x")
    Membership.objects.create(user=coordinator, unit=ward, role=Role.COORDINATOR)
    secretary = User.objects.create_user("secretary", password="x")
    Membership.objects.create(user=secretary, unit=members[-1], role=Role.HEAD)

    plan = Plan.objects.create(
        unit=ward, title="tuyên truyền thực hiện Chỉ thị số 58-CT/TW", status="issued"
    )
    plan_topics = Topic.objects.bulk_create(
        Topic(plan=plan, order=i, title=f"Nội dung tuyên truyền số {i + 1}") for i in range(topics)
    )
    assignment = Assignment.objects.create(plan=plan, heading="Các đơn vị")
    AssignmentUnit.objects.bulk_create(
        AssignmentUnit(assignment=assignment, unit=u) for u in members
    )
    channels = list(Channel.values)
    start = date(2026, 1, 1)
    now = timezone.now()
    batch = 5000
    for offset in range(0, activities, batch):
        rows = [
            Activity(
                unit=rng.choice(members),
                plan=plan,
                date=start + timedelta(days=rng.randrange(360)),
                channel=rng.choice(channels),
                participants=rng.randrange(200),
                listeners=rng.randrange(500),
                views=rng.randrange(1000),
                deleted_at=now if rng.random() < 0.02 else None,
            )
            for _ in range(min(batch, activities - offset))
        ]
        Activity.objects.bulk_create(rows)
        ActivityTopic.objects.bulk_create(
            ActivityTopic(activity=a, topic=t)
            for a in rows
            for t in rng.sample(plan_topics, rng.choice((1, 1, 2)))
        )
    # bulk_create sends no signals: the dashboard's monthly tallies are built once here.
    from kehoach.dashboard.tallies import rebuild

    rebuild()
    return {"coordinator": coordinator, "secretary": secretary}, plan
