"""Figures for the coverage matrix on a ward of 60 units with 50,000 activities.

    .venv/bin/python bench/coverage.py [--units 60] [--activities 50000] [--repeat 20]

Prints the median time of coverage() itself, of the matrix page, of the activities list
page (when it exists) and of the coverage API call, each with its query count. Target:
under 200 ms each on SQLite. Runs on a throw-away SQLite file (or DATABASE_URL).
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

TARGET_MS = 200


class QueryCounter:
    """Counts statements through the connection (the test client resets connection.queries
    at each request, so CaptureQueriesContext would see none)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(action, repeat: int) -> tuple[float, int, object]:
    """Median milliseconds over `repeat` runs after one warm-up, and the warm-up's queries."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        result = action()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, counter.count, result


def report(label: str, ms: float, queries: int) -> None:
    verdict = "ok" if ms < TARGET_MS else f"over the {TARGET_MS} ms target"
    print(f"{label:<28} median {ms:8.1f} ms  {queries:>3} queries  ({verdict})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--topics", type=int, default=5)
    parser.add_argument("--activities", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.city import build_ward_with_activities
    from kehoach.accounts.models import User
    from kehoach.activities.coverage import coverage
    from kehoach.activities.models import Activity

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    people, plan = build_ward_with_activities(args.units, args.topics, args.activities)
    print(
        f"ward: {args.units} units, plan of {args.topics} topics, "
        f"{Activity.objects.count():,} activities ({Activity.objects.alive().count():,} alive), "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    coordinator = people["coordinator"]

    def compute():
        # A fresh user each time: nothing memoised from the previous run.
        return coverage(plan, User.objects.get(pk=coordinator.pk))

    ms, queries, result = timed(compute, args.repeat)
    report("coverage()", ms, queries)
    print(
        f"{'':<28} {len(result.units)} rows, {result.topics.total.activities:,} activities, "
        f"{len(result.topics.empty_cells())} empty topic cells"
    )

    client = Client()
    client.force_login(coordinator)

    def get(url):
        def call():
            response = client.get(url)
            return response.status_code

        return call

    pages = [
        ("matrix page", f"/bao-phu/ke-hoach/{plan.pk}/"),
        ("activities list page", f"/hoat-dong/?plan={plan.pk}"),
        ("coverage API", f"/api/v1/plans/{plan.pk}/coverage"),
        ("Excel export", f"/bao-phu/ke-hoach/{plan.pk}/excel/"),
    ]
    for label, url in pages:
        status = client.get(url).status_code
        if status != 200:
            print(f"{label:<28} skipped: {url} answered {status} (not built yet?)")
            continue
        ms, queries, _ = timed(get(url), args.repeat)
        report(label, ms, queries)


if __name__ == "__main__":
    main()
