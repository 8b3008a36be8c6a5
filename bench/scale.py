"""City scale, measured against the floor: every main page for a ward and for the city.

    .venv/bin/python bench/citygen.py --wards 100 --activities 1000000 --db DB --keep
    .venv/bin/python bench/scale.py --db DB [--repeat 20] [--only dashboard,search]

DB is a PostgreSQL URL or an SQLite path, built by bench/citygen.py (or pass --wards and
--activities to build a throw-away one first). For each page it prints p50 and p95 over
`--repeat` runs after one warm-up, the floor (the same aggregate as hand-written SQL on the
same database, bench/floors.py) p50, the ratio of the two p50s, and the page's query count.
"Ward" is the coordinator of ward 1 (the busiest); "city" is the coordinator on the city
committee, who sees every ward. Pages bound to one plan (coverage, completeness, summary)
open ward 1's plan in both cases: what changes for the city is the scope they are read in.
Targets: within 2x of the floor; a ward's pages under 150 ms p95; the city dashboard under
1 s on PostgreSQL. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
# As production runs: DEBUG off (no statement log, no template debugging), over plain HTTP
# from the test client. Until 2026-11-27 these figures were taken with DEBUG on.
for name, value in (
    ("DEBUG", "false"),
    ("SECRET_KEY", "bench-only-not-a-secret"),
    ("SECURE_SSL_REDIRECT", "false"),
    ("SESSION_COOKIE_SECURE", "false"),
    ("CSRF_COOKIE_SECURE", "false"),
):
    os.environ.setdefault(name, value)

START, END = date(2026, 1, 1), date(2026, 12, 31)


@dataclass
class Measure:
    page: str
    level: str  # "ward" or "city"
    action: Callable[[], object]
    floor: list[str]
    params: dict
    # The same aggregate through the application's own functions, without the request and
    # the page (None: the action is already that, or there is nothing to aggregate).
    aggregate: Callable[[], object] | None = None


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Counter:
    """Statements through the connection (the test client resets connection.queries)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _run_floor(statements: list[str], params: dict) -> None:
    from django.db import connection, transaction

    # One transaction, as the page's writes are (the summary compile's floor writes too).
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            # A statement with its own parameters, or one taking the named ones.
            if isinstance(sql, tuple):
                cursor.execute(*sql)
            else:
                cursor.execute(sql, params)
            if cursor.description:  # a read; a write returns no rows
                cursor.fetchall()


def _get(client, url: str) -> Callable[[], object]:
    def action():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    return action


def measures(
    only: set[str] | None, number: int = 1, levels: tuple = ("ward", "city")
) -> list[Measure]:
    from django.urls import reverse
    from django.utils import timezone

    from bench import floors
    from kehoach.accounts.models import User
    from kehoach.core.testing import client_for
    from kehoach.org.models import Unit
    from kehoach.plans.models import Plan
    from kehoach.reports.models import ReportingPeriod
    from kehoach.reports.summary import compile_summary
    from kehoach.search.terms import parse_query

    root = Unit.objects.get(parent__isnull=True, name__startswith="Thành ủy")
    ward = Unit.objects.get(parent=root, name=f"Đảng ủy phường số {number}")
    plan = Plan.objects.get(unit=ward)
    period = ReportingPeriod.objects.filter(plan=plan).order_by("start")[2]  # Q3: accepted
    people = {
        "ward": (User.objects.get(username=f"w{number}-coordinator"), ward),
        "city": (User.objects.get(username="city"), root),
    }
    query = parse_query("tuyên truyền")
    written = _summary_params(people["ward"][0], period)
    result = []
    for level, (user, scope) in people.items():
        if level not in levels:
            continue
        client = client_for(user)
        base = {
            "path": scope.path + "%",
            "plan": plan.pk,
            "period": period.pk,
            "start": START,
            "end": END,
            "offset": 0,
            "today": timezone.localdate(),
        }
        dash = reverse("dashboard:index") + ("?plan=all" if level == "city" else "")
        acts = reverse("activities:list")
        pages = [
            # What every page costs before its own reads: session, sign-in, two-step check,
            # navigation and the base template (the notifications page reads almost nothing).
            ("reference page", _get(client, reverse("notifications:list")), [], {}),
            ("dashboard", _get(client, dash), floors.dashboard(level == "ward"), {}),
            (
                "coverage matrix",
                _get(client, reverse("coverage:matrix", args=[plan.pk])),
                floors.coverage(),
                {"path": ward.path + "%"},
            ),
            ("activity list p1", _get(client, acts), floors.activity_page(), {}),
            (
                "activity list p500",
                _get(client, acts + "?trang=500"),
                floors.activity_page(),
                {"offset": 499 * 50},
            ),
            (
                "completeness",
                _get(client, reverse("reports:board", args=[plan.pk])),
                floors.completeness(),
                {"path": ward.path + "%"},
            ),
            (
                "summary compile",
                lambda user=user: compile_summary(actor=user, period=period),
                floors.summary(),
                {"start": period.start, "end": period.end, **written},
            ),
            (
                "search",
                _get(client, reverse("search:results") + "?q=tuy%C3%AAn+truy%E1%BB%81n"),
                _search_floor(user, query),
                {},
            ),
        ]
        aggregates = _aggregates(user, plan, level, query)
        for page, action, floor, extra in pages:
            if only and not any(o in page for o in only):
                continue
            result.append(
                Measure(page, level, action, floor, {**base, **extra}, aggregates.get(page))
            )
    return result


def _search_floor(user, query) -> list[tuple[str, list]]:
    """Every statement the search page runs for its results, as SQL written once for this
    person: the plans in their scope (the index's scope words), the ranked statement over the
    index (nine kinds, counted up to the cap) and, for each kind found, the records shown
    (results.shown_records, which the page's lines are read from)."""
    from kehoach.plans.models import Plan
    from kehoach.search import engine
    from kehoach.search.results import PER_KIND, shown_records

    plans = Plan.objects.for_user(user).values_list("pk", flat=True)
    statements = [plans.query.sql_with_params(), engine.statement(user, query, PER_KIND)]
    shown = [row for row in engine.find(user, query, PER_KIND) if row.position <= PER_KIND]
    for code in dict.fromkeys(row.kind for row in shown):
        ids = [row.object_id for row in shown if row.kind == code]
        statements.append(shown_records(user, code, ids).query.sql_with_params())
    return statements


def _summary_params(user, period) -> dict:
    """What the summary's floor writes: the summary row as compiling leaves it (compiled once
    here, so that it exists), its figures and its audit snapshot as JSON."""
    import json
    from datetime import datetime, timedelta
    from datetime import time as day_start

    from django.contrib.contenttypes.models import ContentType
    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils import timezone

    from kehoach.audit.recorder import snapshot
    from kehoach.reports.models import SummaryReport
    from kehoach.reports.summary import compile_summary

    summary = compile_summary(actor=user, period=period)
    return {
        "since": timezone.make_aware(datetime.combine(period.start, day_start.min)),
        "until": timezone.make_aware(datetime.combine(period.end + timedelta(1), day_start.min)),
        "now": timezone.now(),
        "summary": summary.pk,
        "figures": json.dumps(summary.figures, cls=DjangoJSONEncoder),
        "snapshot": json.dumps(snapshot(summary), cls=DjangoJSONEncoder),
        "kind": ContentType.objects.get_for_model(SummaryReport).pk,
    }


def _aggregates(user, plan, level: str, query) -> dict[str, Callable[[], object]]:
    """Per page, the functions its view calls to compute what it shows."""
    from kehoach.activities.coverage import coverage
    from kehoach.activities.models import Activity
    from kehoach.activities.rows import list_rows
    from kehoach.activities.views_activities import totals
    from kehoach.dashboard.figures import Filters, dashboard
    from kehoach.reports.views_board import board_data
    from kehoach.search.results import search

    def activity_page(offset: int) -> Callable[[], object]:
        def read():
            # The totals, the page's ids and its rows (topics, evidence, unit), as the floor.
            visible = Activity.objects.for_user(user)
            ids = visible.order_by("-date", "-pk").values_list("pk", flat=True)
            return totals(visible), list_rows(list(ids[offset : offset + 50]))

        return read

    params = {"plan": "all"} if level == "city" else {}
    return {
        "dashboard": lambda: dashboard(Filters.from_params(user, params)),
        "coverage matrix": lambda: coverage(plan, user),
        "activity list p1": activity_page(0),
        "activity list p500": activity_page(499 * 50),
        "completeness": lambda: board_data(plan, user),
        "search": lambda: search(user, "tuyên truyền"),
    }


def run(items: list[Measure], repeat: int) -> None:
    from django.db import connection

    print(f"{'page':<20} {'level':<5} {'p50 ms':>9} {'p95 ms':>9} {'floor p50':>10} "
          f"{'ratio':>6} {'+ref':>6} {'agg p50':>8} {'agg/fl':>6} {'queries':>7}")  # fmt: skip
    # "+ref": the page against its floor plus what the reference page costs at that level
    # (the part of every request that is not the page's own reads).
    reference: dict[str, float] = {}
    for m in items:
        counter = Counter()
        with connection.execute_wrapper(counter):
            m.action()
        _run_floor(m.floor, m.params)
        page_ms, floor_ms, aggregate_ms = [], [], []
        if m.aggregate:
            m.aggregate()
        # Interleaved, so a machine busy with other work slows page and floor alike.
        for _ in range(repeat):
            t0 = time.perf_counter()
            m.action()
            t1 = time.perf_counter()
            _run_floor(m.floor, m.params)
            t2 = time.perf_counter()
            page_ms.append((t1 - t0) * 1000)
            floor_ms.append((t2 - t1) * 1000)
            if m.aggregate:
                t3 = time.perf_counter()
                m.aggregate()
                aggregate_ms.append((time.perf_counter() - t3) * 1000)
        p50, floor = statistics.median(page_ms), statistics.median(floor_ms)
        aggregate = statistics.median(aggregate_ms) if aggregate_ms else 0.0
        if m.floor and not m.aggregate:
            aggregate = p50  # the action is the service call itself (summary compile)
        if not m.floor:
            reference[m.level] = p50
        base = floor + reference.get(m.level, 0)
        print(
            f"{m.page:<20} {m.level:<5} {p50:9.1f} {p95(page_ms):9.1f} {floor:10.1f} "
            f"{p50 / floor if m.floor else 0:6.1f} {p50 / base if m.floor and base else 0:6.1f} "
            f"{aggregate:8.1f} {aggregate / floor if floor and aggregate else 0:6.1f} "
            f"{counter.count:7d}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="PostgreSQL URL or SQLite path")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated parts of page names")
    parser.add_argument("--ward", type=int, default=1, help="the ward measured (1: busiest)")
    parser.add_argument("--ward-only", action="store_true", help="skip the city rows")
    parser.add_argument("--wards", type=int, help="build a throw-away city of this many wards")
    parser.add_argument("--activities", type=int, default=100_000)
    args = parser.parse_args()

    if args.wards:
        from bench.citygen import generate, setup_database

        setup_database(args.db)
        t0 = time.perf_counter()
        generate(args.wards, args.activities)
        print(f"built in {time.perf_counter() - t0:.1f} s")
    else:
        db = args.db
        os.environ["DATABASE_URL"] = (
            db if db.startswith("postgres") else f"sqlite:///{Path(db).resolve()}"
        )
        import django

        django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from kehoach.activities.models import Activity
    from kehoach.org.models import Unit

    setup_test_environment()
    print(
        f"{connection.vendor}: {Unit.objects.count():,} units, "
        f"{Activity.objects.count():,} activities, repeat {args.repeat}"
    )
    only = {o.strip() for o in args.only.split(",") if o.strip()} or None
    levels = ("ward",) if args.ward_only else ("ward", "city")
    run(measures(only, args.ward, levels), args.repeat)
    if args.wards:
        from bench.citygen import drop_database

        drop_database(args.db)


if __name__ == "__main__":
    main()
