"""The synthetic city: a city Party committee over N wards, each a subtree of about 60 units
with its people, an issued plan (topics, assignments, duties), tasks, reporting periods and
unit reports, concerns, exemplars, content, indicators, and M activities spread over a year
with their photos and links (evidence), those of an accepted report's period locked.

    .venv/bin/python bench/citygen.py --wards 100 --activities 1000000 \
        --db postgres://postgres@127.0.0.1:5432/kehoach_city [--keep]
    .venv/bin/python bench/citygen.py --wards 100 --activities 1000000 --db /tmp/city.sqlite3

Rows go in by bulk_create, and the activities with their topic and audience links by COPY on
PostgreSQL (executemany on SQLite): no signals, so no audit rows; the dashboard tallies and
the search index are rebuilt at the end. `generate()` also runs inside a test database
(tests/scale). Distributions: ward sizes and unit activity follow a skewed (Pareto-like)
weight, party cells log far less than the boards and mass organisations, work piles up in
the months before the half-year and year reports, weekends are quiet, reach depends on the
channel. Ward 1 is the busiest, so its activity list has a page 500 at a million activities.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

YEAR = 2026
BATCH = 5000
FIXED_UNITS = [
    ("Ban Thường vụ Đảng ủy", "standing_committee"),
    ("Ban Xây dựng đảng", "party_board"),
    ("Văn phòng Đảng ủy", "office"),
    ("Hội đồng nhân dân phường", "peoples_council"),
    ("Ủy ban nhân dân phường", "peoples_committee"),
    ("Ủy ban MTTQ Việt Nam phường", "front"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh phường", "mass_org"),
    ("Hội Liên hiệp Phụ nữ phường", "mass_org"),
    ("Hội Cựu chiến binh phường", "mass_org"),
    ("Công đoàn cơ sở phường", "mass_org"),
    ("Trung tâm Chính trị phường", "political_center"),
]
TOPICS = [
    "Quán triệt Chỉ thị số 58-CT/TW của Ban Bí thư",
    "Tuyên truyền Nghị quyết Đại hội Đảng bộ phường",
    "Chuyển đổi số và Đề án 06 trong Nhân dân",
    "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác quan điểm sai trái",
    "Cải cách hành chính, thủ tục trên Cổng dịch vụ công",
    "Xây dựng nếp sống văn minh đô thị, vệ sinh môi trường",
    "Phòng, chống tội phạm và tệ nạn xã hội",
    "Gương người tốt, việc tốt, điển hình tiên tiến",
]
WORDS = (  # noqa: SIM905
    "hội nghị quán triệt chi bộ tổ dân phố loa truyền thanh tuyên truyền đảng viên nhân dân "
    "pa nô áp phích bản tin mạng xã hội nghị quyết chỉ thị thực hiện kết quả học tập làm theo "
    "tư tưởng đạo đức phong cách Hồ Chí Minh chuyển đổi số dịch vụ công môi trường an ninh"
).split()
# Weights of the channels, by code, and the reach each draws on.
CHANNELS = {
    "meeting": (30, "participants", 60),
    "loudspeaker": (20, "listeners", 800),
    "social": (18, "views", 1500),
    "portal": (8, "views", 600),
    "newsletter": (6, "participants", 150),
    "visual": (8, "views", 300),
    "oral": (6, "participants", 25),
    "culture_event": (3, "participants", 250),
    "other": (1, "participants", 20),
}
MONTH_WEIGHT = [5, 4, 8, 9, 9, 12, 7, 7, 9, 10, 10, 12]  # Tết in Feb, reports in Jun and Dec


@dataclass
class Ward:
    number: int
    unit: object
    units: list = field(default_factory=list)  # every unit below the ward
    plan: object | None = None
    topics: list = field(default_factory=list)
    coordinator: object | None = None
    secretary: object | None = None


@dataclass
class City:
    root: object
    wards: list[Ward]
    coordinator: object  # a coordinator on the city committee: sees every ward
    admin: object
    plan: object  # the city's plan; each ward's plan is its sub-plan
    counts: dict[str, int] = field(default_factory=dict)


def _ids(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _insert(model, columns: list[str], rows) -> int:
    """Raw rows in bulk: COPY on PostgreSQL, executemany on SQLite. Returns the count."""
    from django.db import connection

    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join("?" for _ in columns)
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            chunk: list = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= BATCH:
                    raw.executemany(sql, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                raw.executemany(sql, chunk)
                count += len(chunk)
    return count


def _reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    models = [m for m in apps.get_models() if m._meta.managed]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _skewed(rng: random.Random, n: int, alpha: float = 1.3) -> list[float]:
    return [rng.paretovariate(alpha) for _ in range(n)]


def _build_units(
    rng: random.Random, wards: int, root=None, first: int = 1
) -> tuple[object, list[Ward]]:
    from kehoach.org.models import Unit

    next_id = _ids(Unit)
    now = datetime.now(UTC)
    rows: list = []

    def unit(name: str, kind: str, parent, order: int) -> Unit:
        nonlocal next_id
        u = Unit(
            id=next_id, name=name, kind=kind, parent=parent, order=order, created_at=now,
            updated_at=now,
        )  # fmt: skip
        u.path = (parent.path if parent else "/") + f"{next_id}/"
        next_id += 1
        rows.append(u)
        return u

    if root is None:
        root = unit("Thành ủy (thành phố)", "party_committee", None, 0)
    result = []
    for w in range(first, first + wards):
        ward = Ward(w, unit(f"Đảng ủy phường số {w}", "party_committee", root, w))
        for i, (name, kind) in enumerate(FIXED_UNITS):
            ward.units.append(unit(name, kind, ward.unit, i))
        for b in range(1, 4):
            base = unit(f"Đảng bộ cơ sở Khu {b}", "party_cell", ward.unit, 20 + b)
            ward.units.append(base)
            for c in range(1, 6):
                ward.units.append(unit(f"Chi bộ {c} Khu {b}", "party_cell", base, c))
        for c in range(1, 31):
            ward.units.append(unit(f"Chi bộ Tổ dân phố số {c}", "party_cell", ward.unit, 100 + c))
        result.append(ward)
    Unit.objects.bulk_create(rows, batch_size=BATCH)
    return root, result


def _build_people(wards: list[Ward], root, city: bool) -> tuple[object, object, int]:
    from django.contrib.auth.hashers import make_password

    from kehoach.accounts.models import Membership, Role, User

    password = make_password("x")
    users, links = [], []
    next_id = _ids(User)

    def person(username: str, full_name: str, unit, role: str, **extra) -> User:
        nonlocal next_id
        u = User(id=next_id, username=username, password=password, full_name=full_name, **extra)
        next_id += 1
        users.append(u)
        links.append(Membership(user=u, unit=unit, role=role))
        return u

    coordinator = admin = None
    if city:
        coordinator = person("city", "Điều phối viên thành phố", root, Role.COORDINATOR)
        admin = person("admin", "Quản trị hệ thống", root, Role.VIEWER, is_staff=True)
    for ward in wards:
        w = ward.number
        ward.coordinator = person(f"w{w}-coordinator", f"Chuyên viên phường {w}", ward.unit,
                                  Role.COORDINATOR)  # fmt: skip
        person(f"w{w}-leader", f"Bí thư phường {w}", ward.unit, Role.LEADER)
        for i, u in enumerate(ward.units):
            role = Role.HEAD if u.kind in ("party_cell", "party_committee") else Role.OFFICER
            p = person(f"w{w}-u{i}", f"Cán bộ {u.name}", u, role)
            if ward.secretary is None and u.kind == "party_cell":
                ward.secretary = p
    User.objects.bulk_create(users, batch_size=BATCH)
    Membership.objects.bulk_create(links, batch_size=BATCH)
    return coordinator, admin, len(users)


def _build_plans(rng: random.Random, wards: list[Ward], city_plan) -> dict[str, int]:
    from kehoach.activities.models import Task
    from kehoach.plans.models import Assignment, AssignmentUnit, Duty, Plan, Topic
    from kehoach.reports.models import ReportingPeriod, UnitReport, first_day

    plans = [
        Plan(
            unit=w.unit,
            issuing_unit=w.unit,
            parent=city_plan,
            number=f"{w.number}-KH/ĐU",
            title=f"tuyên truyền thực hiện Chỉ thị số 58-CT/TW, phường số {w.number}",
            status="issued",
            date=date(YEAR, 1, 10 + w.number % 15),
            signer_title="BÍ THƯ",
            signer_name=f"Nguyễn Văn {w.number}",
        )  # fmt: skip
        for w in wards
    ]
    Plan.objects.bulk_create(plans, batch_size=BATCH)
    for w, plan in zip(wards, plans, strict=True):
        w.plan = plan
    topics = [Topic(plan=w.plan, order=i, title=t) for w in wards for i, t in enumerate(TOPICS)]
    Topic.objects.bulk_create(topics, batch_size=BATCH)
    for i, w in enumerate(wards):
        w.topics = topics[i * len(TOPICS) : (i + 1) * len(TOPICS)]
    assignments = [
        Assignment(plan=w.plan, order=k, heading=h, role=r)
        for w in wards
        for k, (h, r) in enumerate((("Các đơn vị chủ trì", "lead"), ("Các chi bộ", "support")))
    ]
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    targets, duties = [], []
    for i, w in enumerate(wards):
        lead, support = assignments[2 * i], assignments[2 * i + 1]
        for u in w.units:
            targets.append(AssignmentUnit(assignment=support if u.kind == "party_cell" else lead,
                                          unit=u))  # fmt: skip
        for a in (lead, support):
            duties.append(Duty(assignment=a, order=0, recurrence="quarterly",
                               text="Tuyên truyền và báo cáo kết quả hằng quý"))  # fmt: skip
            duties.append(Duty(assignment=a, order=1, recurrence="yearly", due_month=12,
                               text="Tổng kết, đánh giá việc thực hiện kế hoạch"))  # fmt: skip
    AssignmentUnit.objects.bulk_create(targets, batch_size=BATCH)
    Duty.objects.bulk_create(duties, batch_size=BATCH)
    quarters = [(date(YEAR, 3 * q - 2, 1), date(YEAR + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
                 - timedelta(1)) for q in (1, 2, 3, 4)]  # fmt: skip
    tasks, periods = [], []
    today = date(YEAR, 11, 15)
    for i, w in enumerate(wards):
        for d, duty in enumerate(duties[4 * i : 4 * i + 4]):
            units = [u for u in w.units if (u.kind == "party_cell") == (d >= 2)]
            year = [(date(YEAR, 1, 1), date(YEAR, 12, 31))]
            spans = quarters if duty.recurrence == "quarterly" else year
            for u in units:
                for start, end in spans:
                    due = end + timedelta(days=5)
                    done = due < today and rng.random() < 0.8
                    tasks.append(Task(
                        plan=w.plan, duty=duty, unit=u, title=duty.text, period_start=start,
                        period_end=end, period_label=f"{start:%m}-{end:%m}/{YEAR}", due_date=due,
                        status="done" if done else "open",
                    ))  # fmt: skip
        for q, (start, end) in enumerate(quarters, start=1):
            periods.append(ReportingPeriod(plan=w.plan, kind="quarter", label=f"Quý {q}/{YEAR}",
                                           start=start, end=end,
                                           due_date=end + timedelta(days=10)))  # fmt: skip
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    ReportingPeriod.objects.bulk_create(periods, batch_size=BATCH)
    reports = []
    for i, w in enumerate(wards):
        for period in periods[4 * i : 4 * i + 4]:
            past = period.due_date < today
            for u in w.units:
                roll = rng.random()
                status = (
                    ("accepted" if roll < 0.7 else "submitted" if roll < 0.85 else "draft")
                    if past
                    else "draft"
                )
                when = datetime.combine(period.due_date, datetime.min.time(), UTC) - timedelta(
                    days=rng.randrange(-5, 10)
                )
                reports.append(UnitReport(
                    period=period, unit=u, status=status,
                    results="Tổ chức hội nghị quán triệt, tuyên truyền trên loa truyền thanh.",
                    submitted_at=when if status != "draft" else None,
                    first_submitted_at=when if status != "draft" else None,
                    first_submitted_on=first_day(when) if status != "draft" else None,
                    reviewed_at=when if status == "accepted" else None,
                ))  # fmt: skip
    UnitReport.objects.bulk_create(reports, batch_size=BATCH)
    return {
        "plans": len(plans) + 1,
        "topics": len(topics),
        "duties": len(duties),
        "tasks": len(tasks),
        "periods": len(periods),
        "unit_reports": len(reports),
    }


def _build_side(rng: random.Random, wards: list[Ward]) -> dict[str, int]:
    """Concerns, exemplars, content items and indicators of every ward."""
    from decimal import Decimal

    from kehoach.content.models import ContentItem
    from kehoach.exemplars.models import Exemplar
    from kehoach.feedback.models import Concern
    from kehoach.indicators.models import Indicator, Measurement, Target

    concerns, exemplars, items, indicators = [], [], [], []
    for w in wards:
        size = len(w.units)
        for i in range(rng.randrange(size, 4 * size)):
            u = rng.choice(w.units)
            concerns.append(Concern(
                ward=w.unit, unit=u, recorded_by_unit=u,
                source=rng.choice(["neighbourhood_meeting", "cell_meeting", "visit"]),
                topic=rng.choice(w.topics),
                category=rng.choice(["environment", "urban_order", "other"]),
                place=f"Tổ dân phố số {rng.randrange(1, 31)}",
                summary=" ".join(rng.choices(WORDS, k=12)), people_count=rng.randrange(1, 30),
                status=rng.choice(["new", "acknowledged", "answered", "closed"]),
                code=f"P{w.number:03d}-{i:05d}",
                token=f"{w.number:04d}{i:06d}{rng.getrandbits(64):x}",
            ))  # fmt: skip
        for i in range(rng.randrange(5, 25)):
            exemplars.append(Exemplar(
                unit=rng.choice(w.units), kind="individual",
                field=rng.choice(["culture", "social", "digital"]),
                name=f"Gương điển hình {i + 1} phường {w.number}",
                story=" ".join(rng.choices(WORDS, k=30)), year=YEAR, plan=w.plan,
                stage=rng.choice(["nominated", "verified", "commended"]),
            ))  # fmt: skip
        for i in range(rng.randrange(20, 80)):
            items.append(ContentItem(
                unit=rng.choice(w.units), kind="news", plan=w.plan,
                title=" ".join(rng.choices(WORDS, k=8)).capitalize(),
                body=" ".join(rng.choices(WORDS, k=80)),
                status=rng.choice(["draft", "submitted", "approved", "published"]),
                slug=f"p{w.number}-tin-{i}",
            ))  # fmt: skip
        for i in range(10):
            indicators.append(Indicator(
                ward=w.unit, programme="Chương trình hành động 20-CTr/TU", name=f"Chỉ tiêu {i + 1}",
                measure="%", baseline=Decimal(rng.randrange(30, 70)), baseline_year=YEAR - 1,
                responsible=w.units[i % len(w.units)], topic=w.topics[i % len(w.topics)], order=i,
            ))  # fmt: skip
    for model, rows in ((Concern, concerns), (Exemplar, exemplars), (ContentItem, items)):
        model.objects.bulk_create(rows, batch_size=BATCH)
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    Target.objects.bulk_create(
        [Target(indicator=i, year=YEAR, value=Decimal(80)) for i in indicators], batch_size=BATCH
    )
    Measurement.objects.bulk_create(
        [
            Measurement(
                indicator=i,
                period_label=f"Quý {q}/{YEAR}",
                as_of=date(YEAR, 3 * q, 28),
                value=Decimal(50 + 7 * q),
                source="Báo cáo của đơn vị",
            )  # fmt: skip
            for i in indicators
            for q in (1, 2, 3)
        ],
        batch_size=BATCH,
    )
    return {
        "concerns": len(concerns),
        "exemplars": len(exemplars),
        "content_items": len(items),
        "indicators": len(indicators),
    }


def _build_activities(rng: random.Random, wards: list[Ward], total: int) -> dict[str, int]:
    """Activities (with topic and audience links and evidence) by raw bulk insert, ids
    assigned here. An activity dated in a period whose report was accepted is locked, as
    accepting a report locks them (activity_services.lock_activities)."""
    from kehoach.activities.models import (
        Activity,
        ActivityAudience,
        ActivityTopic,
        Audience,
        Evidence,
    )
    from kehoach.reports.models import ReportStatus, UnitReport

    accepted: dict[int, list[tuple[date, date]]] = {}
    for unit_id, start, end in UnitReport.objects.filter(
        status=ReportStatus.ACCEPTED, unit__in=[u for w in wards for u in w.units]
    ).values_list("unit_id", "period__start", "period__end"):
        accepted.setdefault(unit_id, []).append((start, end))

    ward_weight = _skewed(rng, len(wards))
    if wards:
        ward_weight[0] = max(ward_weight) * 2  # the busiest ward: page 500 exists for it
    unit_pool: list[tuple[Ward, object]] = []
    unit_weight: list[float] = []
    for w, ww in zip(wards, ward_weight, strict=True):
        weights = [
            (0.3 if u.kind == "party_cell" else 2.0) * rng.paretovariate(2.0) for u in w.units
        ]
        norm = sum(weights)
        for u, uw in zip(w.units, weights, strict=True):
            unit_pool.append((w, u))
            unit_weight.append(ww * uw / norm)
    days = [date(YEAR, 1, 1) + timedelta(d) for d in range(365)]
    day_weight = [MONTH_WEIGHT[d.month - 1] * (0.3 if d.weekday() >= 5 else 1.0) for d in days]
    codes = list(CHANNELS)
    channel_weight = [CHANNELS[c][0] for c in codes]
    audiences = list(Audience.values)
    columns = [
        "id", "unit_id", "date", "plan_id", "channel", "description", "participants",
        "listeners", "views", "news_items", "articles", "infographics", "video_clips",
        "broadcasts", "broadcast_minutes", "posters", "meetings", "unlock_reason",
        "created_at", "updated_at", "deleted_at", "locked_at",
    ]  # fmt: skip
    first_id = _ids(Activity)
    stamp = datetime(YEAR, 11, 15, tzinfo=UTC)
    links: list[tuple[int, int]] = []
    reached: list[tuple[int, str]] = []
    evidence: list[tuple] = []
    chosen_units = rng.choices(unit_pool, unit_weight, k=total)
    chosen_days = rng.choices(days, day_weight, k=total)
    chosen_channels = rng.choices(codes, channel_weight, k=total)

    def rows():
        for n in range(total):
            aid = first_id + n
            w, u = chosen_units[n]
            channel = chosen_channels[n]
            _, measure, mean = CHANNELS[channel]
            size = int(rng.expovariate(1 / mean))
            reach = {"participants": 0, "listeners": 0, "views": 0, measure: size}
            for t in rng.sample(w.topics, 1 if rng.random() < 0.7 else 2):
                links.append((aid, t.pk))
            for a in rng.sample(audiences, rng.randrange(1, 3)):
                reached.append((aid, a))
            day = chosen_days[n]
            # Posts and articles are proven by their link; the rest by a photo or three
            # taken on a phone, most of the time.
            if channel in ("social", "portal"):
                if rng.random() < 0.9:
                    link = f"https://{u.pk}.example.vn/{aid}"
                    evidence.append((aid, "link", "", link, "", "", 0))
            elif rng.random() < 0.6:
                for k in range(rng.choice((1, 1, 2, 3))):
                    name = f"IMG_{aid}_{k}.jpg"
                    evidence.append(
                        (aid, "photo", f"evidence/{day:%Y/%m}/{name}", "", name, "image/jpeg",
                         rng.randrange(150_000, 900_000))
                    )  # fmt: skip
            locked = any(start <= day <= end for start, end in accepted.get(u.pk, ()))
            yield (
                aid, u.pk, chosen_days[n], w.plan.pk, channel,
                f"{' '.join(rng.choices(WORDS, k=6))} tại {u.name}",
                reach["participants"], reach["listeners"], reach["views"],
                int(channel == "social"), int(channel == "portal"), 0, 0,
                int(channel == "loudspeaker"), 15 if channel == "loudspeaker" else 0,
                int(channel == "visual"), int(channel == "meeting"), "", stamp, stamp,
                stamp if rng.random() < 0.02 else None, stamp if locked else None,
            )  # fmt: skip

    count = _insert(Activity, columns, rows())
    first = _ids(ActivityTopic)
    _insert(ActivityTopic, ["id", "activity_id", "topic_id"],
            ((first + i, a, t) for i, (a, t) in enumerate(links)))  # fmt: skip
    first = _ids(ActivityAudience)
    _insert(ActivityAudience, ["id", "activity_id", "audience"],
            ((first + i, a, c) for i, (a, c) in enumerate(reached)))  # fmt: skip
    first = _ids(Evidence)
    _insert(Evidence, ["id", "activity_id", "kind", "file", "url", "original_name",
                       "content_type", "size", "created_at", "updated_at"],
            ((first + i, *e, stamp, stamp) for i, e in enumerate(evidence)))  # fmt: skip
    return {
        "activities": count,
        "activity_topics": len(links),
        "activity_audiences": len(reached),
        "evidence": len(evidence),
    }


def _analyse(connection) -> None:
    """Statistics and, as autovacuum would, the visibility map index-only scans need. VACUUM
    runs outside a transaction only: inside one (a test's) the statistics must do."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def snapshot_accepted_reports(plans) -> int:
    """What accepting a report does: its figures are counted and kept on it. The reports
    went in before their activities, so this runs after them, per period."""
    from kehoach.reports.figures import figures_for_units
    from kehoach.reports.models import ReportingPeriod, UnitReport

    done = 0
    for period in ReportingPeriod.objects.filter(plan__in=plans).select_related("plan"):
        reports = list(UnitReport.objects.filter(period=period, status="accepted"))
        if not reports:
            continue
        figures = figures_for_units([r.unit_id for r in reports], period)
        for report in reports:
            report.figures = figures[report.unit_id]
        UnitReport.objects.bulk_update(reports, ["figures"], batch_size=BATCH)
        done += len(reports)
    return done


def finish(db: str) -> None:
    """The steps after the activities, on a city already in `db` (after an interrupted run
    or to bring an older city up to date): snapshots, tallies, search index, statistics."""
    from django.db import connection, transaction

    from kehoach.dashboard import tallies
    from kehoach.plans.models import Plan
    from kehoach.search.index import rebuild as rebuild_search

    t0 = time.perf_counter()
    with transaction.atomic():
        plans = Plan.objects.filter(parent__isnull=False, parent__parent__isnull=True)
        print(f"  {snapshot_accepted_reports(list(plans)):,} report snapshots", flush=True)
    from kehoach.dashboard.models import ChannelTally

    if not ChannelTally.objects.exists():
        print(f"  tallies {tallies.rebuild()} {time.perf_counter() - t0:.1f} s", flush=True)
    print(f"  search {sum(rebuild_search().values()):,} {time.perf_counter() - t0:.1f} s")
    _analyse(connection)
    print(f"  analysed {time.perf_counter() - t0:.1f} s")


def generate(
    wards: int,
    activities: int,
    seed: int = 58,
    search: bool = True,
    verbose: bool = False,
    city: City | None = None,
) -> City:
    """Builds the city in the current database (or adds `wards` more wards to `city`);
    returns its handles and the row counts of this call."""
    from django.db import connection, transaction

    from kehoach.dashboard import tallies
    from kehoach.plans.models import Plan

    rng = random.Random(seed + (len(city.wards) if city else 0))
    counts: dict[str, int] = {}
    t0 = time.perf_counter()

    def step(label: str) -> None:
        if verbose:
            print(f"  {label:<28} {time.perf_counter() - t0:8.1f} s", flush=True)

    with transaction.atomic():
        first = len(city.wards) + 1 if city else 1
        root, ward_list = _build_units(rng, wards, city.root if city else None, first)
        counts["units"] = (0 if city else 1) + sum(1 + len(w.units) for w in ward_list)
        coordinator, admin, counts["users"] = _build_people(ward_list, root, city is None)
        step("units and people")
        if city is None:
            city_plan = Plan.objects.create(
                unit=root,
                number="12-KH/TU",
                status="issued",
                title="tuyên truyền Chỉ thị số 58-CT/TW trên địa bàn thành phố",
                date=date(YEAR, 1, 5),
            )
            city = City(root, [], coordinator, admin, city_plan)
        counts.update(_build_plans(rng, ward_list, city.plan))
        counts.update(_build_side(rng, ward_list))
        step("plans, tasks, reports, side")
        counts.update(_build_activities(rng, ward_list, activities))
        step("activities (bulk)")
        _reset_sequences()
        # Statistics before the snapshots read the activities: without them PostgreSQL
        # plans each period's figures blind (20 wards, 200,000 activities: 9.8 s -> 3.5 s
        # for this step; a city of 1,000,000 took 515 s without).
        _analyse(connection)
        step("statistics")
        counts["report_snapshots"] = snapshot_accepted_reports([w.plan for w in ward_list])
        step("accepted reports' figures")
    counts.update({f"tally_{k}": v for k, v in tallies.rebuild().items()})
    step("dashboard tallies")
    if search:
        from kehoach.search.index import rebuild as rebuild_search

        counts["search_entries"] = sum(rebuild_search().values())
        step("search index")
    _analyse(connection)
    step("analyze")
    city.wards.extend(ward_list)
    city.counts = counts
    return city


def setup_database(db: str) -> str:
    """Points Django at `db` (a PostgreSQL URL, created fresh, or an SQLite path), migrates."""
    if db.startswith("postgres"):
        import psycopg

        base, name = db.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = db
    else:
        Path(db).unlink(missing_ok=True)
        url = f"sqlite:///{Path(db).resolve()}"
    configure(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def configure(url: str) -> None:
    if not url.startswith(("postgres", "sqlite")):
        url = f"sqlite:///{Path(url).resolve()}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()


def drop_database(db: str) -> None:
    from django.db import connections

    connections.close_all()
    if db.startswith("postgres"):
        import psycopg

        base, name = db.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        Path(db).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wards", type=int, default=100)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--db", default="/tmp/kehoach-city.sqlite3")
    parser.add_argument("--seed", type=int, default=58)
    parser.add_argument("--no-search", action="store_true", help="skip the search index")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--finish", action="store_true", help="only the steps after the activities, on --db"
    )
    args = parser.parse_args()
    if args.finish:
        configure(args.db)
        finish(args.db)
        return
    t0 = time.perf_counter()
    setup_database(args.db)
    print(f"migrated in {time.perf_counter() - t0:.1f} s", flush=True)
    t1 = time.perf_counter()
    city = generate(args.wards, args.activities, args.seed, not args.no_search, verbose=True)
    print(f"built {args.wards} wards, {args.activities:,} activities in "
          f"{time.perf_counter() - t1:.1f} s on {args.db}")  # fmt: skip
    for label, n in city.counts.items():
        print(f"  {label:<22} {n:>12,}")
    if not args.keep:
        drop_database(args.db)


if __name__ == "__main__":
    main()
