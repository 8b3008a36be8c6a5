"""The demo ward: Đảng ủy phường Lê Chân, its bodies, cells and people.

Idempotent: units are found by parent and name, people by username; nothing that
exists is changed, so a second run writes nothing (and audits nothing).
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from kehoach.accounts.backends import DEMO_PASSWORD
from kehoach.accounts.models import Membership, Role, User
from kehoach.org.models import Unit, UnitKind

WARD = "Đảng ủy phường Lê Chân"
SUPERIOR = "Ban Tuyên giáo và Dân vận Thành ủy"
CELL_COUNT = 10

# (name, short name, kind, children)
TREE = [
    ("Ban Thường vụ Đảng ủy", "BTV", UnitKind.STANDING_COMMITTEE, []),
    ("Ban Xây dựng đảng Đảng ủy", "BXDĐ", UnitKind.PARTY_BOARD, []),
    ("Văn phòng Đảng ủy", "VPĐU", UnitKind.OFFICE, []),
    ("Trung tâm Chính trị phường", "TTCT", UnitKind.POLITICAL_CENTER, []),
    ("Hội đồng nhân dân phường", "HĐND", UnitKind.PEOPLES_COUNCIL, []),
    ("Ủy ban nhân dân phường", "UBND", UnitKind.PEOPLES_COMMITTEE, []),
    (
        "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
        "MTTQ",
        UnitKind.FRONT,
        [
            ("Hội Liên hiệp Phụ nữ phường", "Hội LHPN", UnitKind.MASS_ORG),
            ("Đoàn Thanh niên Cộng sản Hồ Chí Minh phường", "Đoàn TN", UnitKind.MASS_ORG),
            ("Hội Cựu chiến binh phường", "Hội CCB", UnitKind.MASS_ORG),
            ("Công đoàn phường", "Công đoàn", UnitKind.MASS_ORG),
        ],
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    unit: str
    role: str | None
    staff: bool = False


USERS = [
    DemoUser("admin", "Quản trị hệ thống", "Quản trị viên", WARD, None, staff=True),
    DemoUser("thuongvu", "Nguyễn Thị Minh Ngọc", "Phó Bí thư Đảng ủy", WARD, Role.LEADER),
    DemoUser(
        "xaydungdang", "Trần Văn Hùng", "Chuyên viên Ban Xây dựng đảng", WARD, Role.COORDINATOR
    ),
    DemoUser("ubnd", "Lê Quang Minh", "Chủ tịch UBND phường", "Ủy ban nhân dân phường", Role.HEAD),
    DemoUser(
        "mattran",
        "Phạm Thị Thu Hà",
        "Chủ tịch Ủy ban MTTQ phường",
        "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
        Role.HEAD,
    ),
    DemoUser("chibo1", "Vũ Văn Nam", "Bí thư Chi bộ", "Chi bộ Tổ dân phố số 1", Role.HEAD),
    DemoUser("chibo2", "Đỗ Thị Lan", "Bí thư Chi bộ", "Chi bộ Tổ dân phố số 2", Role.HEAD),
]


def _unit(name: str, short: str, kind: str, parent: Unit | None, order: int) -> Unit:
    unit = Unit.objects.filter(parent=parent, name=name).first()
    if unit is None:
        unit = Unit(name=name, short_name=short, kind=kind, parent=parent, order=order)
        unit.save()
    return unit


@transaction.atomic
def load_demo() -> list[DemoUser]:
    units: dict[str, Unit] = {}
    ward = _unit(WARD, "ĐU phường", UnitKind.PARTY_COMMITTEE, None, 0)
    units[WARD] = ward
    _unit(SUPERIOR, "BTGDVTU", UnitKind.EXTERNAL, None, 100)
    for order, (name, short, kind, children) in enumerate(TREE, 1):
        unit = units[name] = _unit(name, short, kind, ward, order)
        for child_order, (child, child_short, child_kind) in enumerate(children, 1):
            units[child] = _unit(child, child_short, child_kind, unit, child_order)
    for number in range(1, CELL_COUNT + 1):
        name = f"Chi bộ Tổ dân phố số {number}"
        units[name] = _unit(name, f"CB TDP {number}", UnitKind.PARTY_CELL, ward, 100 + number)
    _demo_routing(ward, units)
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                full_name=spec.full_name,
                position=spec.position,
                is_staff=spec.staff,
                is_superuser=spec.staff,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        if spec.role:
            Membership.objects.get_or_create(user=user, unit=units[spec.unit], role=spec.role)
    return USERS


FIXTURE = Path(__file__).resolve().parent / "demo_data" / "ke-hoach-tuyen-truyen-ct58.txt"


def load_demo_plan() -> int | None:
    """Imports the ward's communication plan through the importer, once.

    Its duties go to the demo units the review screen would match; returns the plan id,
    or None when the plan is already there.
    """
    from kehoach.plans import services
    from kehoach.plans.models import Plan
    from kehoach.search.index import rebuild as rebuild_search_index

    ward = Unit.objects.get(name=WARD, parent=None)
    coordinator = User.objects.get(username="xaydungdang")
    if Plan.objects.filter(unit=ward).exists():
        return None
    staged = services.stage_import(
        actor=coordinator, unit=ward, data=FIXTURE.read_bytes(), filename=FIXTURE.name
    )
    plan = services.save_import(actor=coordinator, staged=staged)
    _demo_implementation(plan, coordinator)
    rebuild_search_index()
    return plan.pk


def _demo_implementation(plan, coordinator: User) -> None:
    """Tasks for every duty, and a few activities so the lists and the matrix show life."""
    from datetime import timedelta

    from django.utils import timezone

    from kehoach.activities import activity_services, task_services

    task_services.generate_tasks(actor=coordinator, plan=plan)
    _demo_period(plan, coordinator)
    from kehoach.indicators.demo import load_demo_targets

    load_demo_targets(plan.unit, coordinator)
    topics = list(plan.topics.all())
    today = timezone.localdate()
    samples = [
        (
            "chibo1",
            "Chi bộ Tổ dân phố số 1",
            "meeting",
            [0],
            ["party_members"],
            {"participants": 32},
            "Sinh hoạt chi bộ chuyên đề quán triệt Chỉ thị 58-CT/TW.",
        ),
        (
            "chibo1",
            "Chi bộ Tổ dân phố số 1",
            "loudspeaker",
            [0, 1],
            ["people"],
            {"listeners": 600, "broadcasts": 2, "broadcast_minutes": 30},
            "",
        ),
        (
            "chibo2",
            "Chi bộ Tổ dân phố số 2",
            "oral",
            [1],
            ["people", "business"],
            {"participants": 45},
            "Tuyên truyền miệng tại buổi họp tổ dân phố.",
        ),
        (
            "ubnd",
            "Ủy ban nhân dân phường",
            "portal",
            [1, 2],
            ["cadres", "people"],
            {"views": 1250, "news_items": 3, "infographics": 1},
            "",
        ),
    ]
    for days, (username, unit_name, channel, topic_idx, audiences, counts, text) in enumerate(
        samples
    ):
        actor = User.objects.get(username=username)
        activity_services.log_activity(
            actor=actor,
            unit=Unit.objects.get(name=unit_name),
            date=today - timedelta(days),
            channel=channel,
            plan=plan,
            topics=[topics[i] for i in topic_idx if i < len(topics)],
            audiences=audiences,
            description=text,
            **counts,
        )


def _demo_period(plan, coordinator: User) -> None:
    """This month's reporting period, owed by every unit with duties, due on the 15th next."""
    import calendar
    from datetime import timedelta

    from django.utils import timezone

    from kehoach.reports import services as reports

    today = timezone.localdate()
    last = calendar.monthrange(today.year, today.month)[1]
    next_month = today.replace(day=1) + timedelta(days=last)
    reports.add_period(
        actor=coordinator,
        plan=plan,
        kind="month",
        label=f"Tháng {today.month}/{today.year}",
        start=today.replace(day=1),
        end=today.replace(day=last),
        due_date=next_month.replace(day=15),
        due_text="trước ngày 15 hằng tháng",
    )


def _demo_routing(ward: Unit, units: dict[str, Unit]) -> None:
    """Public holidays for deadlines, and who handles which residents' concerns."""
    from kehoach.feedback.holidays import load_holidays
    from kehoach.feedback.models import Category, RoutingRule

    load_holidays()
    committee = units["Ủy ban nhân dân phường"]
    front = units["Ủy ban Mặt trận Tổ quốc Việt Nam phường"]
    rules = {
        Category.LAND_HOUSING: committee,
        Category.ENVIRONMENT: committee,
        Category.URBAN_ORDER: committee,
        Category.PUBLIC_SERVICES: committee,
        Category.WAGES_INSURANCE: front,
        Category.SOCIAL_WELFARE: front,
    }
    for category, unit in rules.items():
        RoutingRule.objects.get_or_create(ward=ward, category=category, defaults={"unit": unit})
