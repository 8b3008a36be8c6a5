"""The dashboard page over a ward of 60 units with 100,000 activities.

    .venv/bin/python bench/dashboard.py [--units 60] [--activities 100000] [--repeat 15]

For the year and for a quarter it prints the page's median and p95 render time, the figures
alone, the three activity panels, and "the floor": the same three aggregates (activities per
day and channel, per unit and topic, per audience) as hand-written SQL on the base tables,
with each figure's ratio to it. Every figure is measured twice in the same run, reading the
monthly tallies and reading the activities alone (the code before the tallies), the runs
interleaved so a busy machine slows both alike. Then the time to rebuild every tally.
Target: the page under 300 ms on SQLite. Runs on a throw-away SQLite file (or DATABASE_URL).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
tmp = tempfile.mkdtemp(prefix="kehoach-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")

TARGET_MS = 300


def floor_sql(tables: dict[str, str]) -> list[str]:
    """The three heavy aggregates written by hand: scope (the ward's subtree), plan, dates."""
    a, unit, topic_link, audience_link, topic = (
        tables["activity"],
        tables["unit"],
        tables["topic_link"],
        tables["audience_link"],
        tables["topic"],
    )
    where = (
        f'a."deleted_at" IS NULL AND a."plan_id" = %(plan)s '
        f'AND a."date" >= %(start)s AND a."date" <= %(end)s '
        f'AND a."unit_id" IN (SELECT u."id" FROM "{unit}" u '
        f'WHERE u."path" LIKE %(path)s AND u."kind" <> \'external\')'
    )
    reach = 'SUM(a."participants" + a."listeners" + a."views")'
    return [
        f'SELECT a."date", a."channel", COUNT(*) FROM "{a}" a WHERE {where} GROUP BY 1, 2',
        f'SELECT a."unit_id", l."topic_id", COUNT(*), {reach} FROM "{a}" a '
        f'JOIN "{topic_link}" l ON l."activity_id" = a."id" '
        f'JOIN "{topic}" t ON t."id" = l."topic_id" AND t."plan_id" = %(plan)s '
        f"WHERE {where} GROUP BY 1, 2",
        f'SELECT l."audience", COUNT(*), {reach} FROM "{audience_link}" l '
        f'JOIN "{a}" a ON a."id" = l."activity_id" WHERE {where} GROUP BY 1',
    ]


def interleaved(actions: dict, repeat: int) -> dict[str, list[float]]:
    """Milliseconds of every run of each action, after one warm-up, taking turns."""
    for action in actions.values():
        action()
    samples: dict[str, list[float]] = {label: [] for label in actions}
    for _ in range(repeat):
        for label, action in actions.items():
            t0 = time.perf_counter()
            action()
            samples[label].append((time.perf_counter() - t0) * 1000)
    return samples


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def queries_of(action) -> int:
    from django.db import connection

    from bench.coverage import QueryCounter

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        action()
    return counter.count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--topics", type=int, default=5)
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.city import build_ward_with_activities
    from kehoach.accounts.models import User
    from kehoach.activities.models import Activity
    from kehoach.dashboard import figures, tallies
    from kehoach.dashboard.models import AudienceTally, ChannelTally, TopicTally
    from kehoach.org.models import Unit
    from kehoach.plans.models import Topic

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    people, plan = build_ward_with_activities(args.units, args.topics, args.activities)
    print(
        f"ward: {args.units} units, plan of {args.topics} topics, "
        f"{Activity.objects.count():,} activities, built in {time.perf_counter() - started:.1f} s"
    )
    coordinator = people["coordinator"]
    ward = Unit.objects.get(parent=None, name="Đảng ủy phường Lê Chân")
    tables = dict(tallies._tables())
    tables.update(unit=Unit._meta.db_table, topic=Topic._meta.db_table)
    from kehoach.core.testing import client_for

    # Signed in with the second factor settled, as the tests do.
    client = client_for(coordinator)

    def tallies_on(value: bool):
        def wrap(action):
            def run():
                figures.USE_TALLIES = value
                try:
                    return action()
                finally:
                    figures.USE_TALLIES = True

            return run

        return wrap

    ranges = [
        ("year", "2026-01-01", "2026-12-31", "date_from=2026-01-01&date_to=2026-12-31"),
        ("quarter", "2026-04-01", "2026-06-30", "quy=2026-Q2"),
    ]
    print(f"{'':<34} {'median':>9} {'p95':>9} {'queries':>8} {'× floor':>8}")
    for name, start, end, query in ranges:
        params = {"plan": str(plan.pk), "date_from": start, "date_to": end}
        url = f"/tong-quan/?plan={plan.pk}&{query}"
        assert client.get(url).status_code == 200, url
        floor_params = {"plan": plan.pk, "start": start, "end": end, "path": f"{ward.path}%"}

        def floor(params=floor_params):
            with connection.cursor() as cursor:
                for sql in floor_sql(tables):
                    cursor.execute(sql, params)
                    cursor.fetchall()

        def filters(params=params):
            return figures.Filters.from_params(User.objects.get(pk=coordinator.pk), params)

        with_tallies, without = filters(), filters()
        without.use_tallies = False

        def panels(f):
            # The filters are read once: this is the three aggregates and nothing else.
            return lambda: (
                figures.over_time(f),
                figures._unit_topic_counts(f),
                figures.by_audience(f),
            )

        def everything():
            return figures.dashboard(filters())

        def page(url=url):
            assert client.get(url).status_code == 200

        on, off = tallies_on(True), tallies_on(False)
        actions = {
            "floor (hand-written SQL)": floor,
            "3 activity panels, tallies": panels(with_tallies),
            "3 activity panels, activities": panels(without),
            "figures, tallies": on(everything),
            "figures, activities": off(everything),
            "page, tallies": on(page),
            "page, activities": off(page),
        }
        samples = interleaved(actions, args.repeat)
        base = statistics.median(samples["floor (hand-written SQL)"])
        print(f"-- {name} ({start} – {end})")
        for label, values in samples.items():
            median = statistics.median(values)
            verdict = ""
            if label.startswith("page"):
                verdict = "ok" if median < TARGET_MS else f"over the {TARGET_MS} ms target"
            queries = queries_of(actions[label])
            print(
                f"{label:<34} {median:7.1f}ms {p95(values):7.1f}ms {queries:>8} "
                f"{median / base:7.2f}×  {verdict}"
            )
        total = everything()["activities"]["total"]
        print(f"{'':<34} {total:,} activities counted")

    from bench import coverage as tools

    tools.TARGET_MS = TARGET_MS
    year = f"plan={plan.pk}&date_from=2026-01-01&date_to=2026-12-31"
    for label, url in [
        ("dashboard API (year)", f"/api/v1/dashboard?{year}"),
        ("Excel export (year)", f"/tong-quan/excel/?{year}"),
    ]:
        status = client.get(url).status_code
        if status != 200:
            print(f"{label:<34} {url} answered {status}")
            continue
        ms, queries, _ = tools.timed(lambda url=url: client.get(url).status_code, args.repeat)
        tools.report(label, ms, queries)

    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        tallies.rebuild()
        times.append((time.perf_counter() - t0) * 1000)
    rows = ChannelTally.objects.count(), TopicTally.objects.count(), AudienceTally.objects.count()
    print(
        f"{'rebuild every tally':<34} {statistics.median(times):7.1f}ms "
        f"(rows: {rows[0]:,} channel, {rows[1]:,} topic, {rows[2]:,} audience)"
    )


if __name__ == "__main__":
    main()
