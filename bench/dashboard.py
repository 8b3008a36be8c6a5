"""The dashboard page over a ward of 60 units with 100,000 activities.

    .venv/bin/python bench/dashboard.py [--units 60] [--activities 100000] [--repeat 10]

Prints the median render time of the page (and of the API call and the figures alone) with
its query count. Target: under 300 ms on SQLite. Runs on a throw-away SQLite file.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
tmp = tempfile.mkdtemp(prefix="kehoach-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")

TARGET_MS = 300


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--topics", type=int, default=5)
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench import coverage as tools
    from bench.city import build_ward_with_activities
    from kehoach.accounts.models import User
    from kehoach.activities.models import Activity
    from kehoach.dashboard.figures import Filters, dashboard

    tools.TARGET_MS = TARGET_MS
    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    people, plan = build_ward_with_activities(args.units, args.topics, args.activities)
    print(
        f"ward: {args.units} units, plan of {args.topics} topics, "
        f"{Activity.objects.count():,} activities, built in {time.perf_counter() - started:.1f} s"
    )
    coordinator = people["coordinator"]
    params = {"plan": str(plan.pk), "date_from": "2026-01-01", "date_to": "2026-12-31"}

    def compute():
        user = User.objects.get(pk=coordinator.pk)
        return dashboard(Filters.from_params(user, params))

    ms, queries, result = tools.timed(compute, args.repeat)
    tools.report("figures (whole year)", ms, queries)
    print(f"{'':<28} {result['activities']['total']:,} activities counted")

    client = Client()
    client.force_login(coordinator)
    query = "&".join(f"{k}={v}" for k, v in params.items())
    pages = [
        ("dashboard page (year)", f"/tong-quan/?{query}"),
        ("dashboard page (quarter)", f"/tong-quan/?plan={plan.pk}&quy=2026-Q2"),
        ("dashboard API (year)", f"/api/v1/dashboard?{query}"),
        ("Excel export (year)", f"/tong-quan/excel/?{query}"),
    ]
    for label, url in pages:
        status = client.get(url).status_code
        if status != 200:
            print(f"{label:<28} {url} answered {status}")
            continue
        ms, queries, _ = tools.timed(lambda url=url: client.get(url).status_code, args.repeat)
        tools.report(label, ms, queries)


if __name__ == "__main__":
    main()
