"""Figures for the unit scope and the tree page on a synthetic city.

    .venv/bin/python bench/unit_tree.py [--wards 30] [--cells 40]

Prints, per persona, the units visible, the tree page's query count and its median
time over repeated requests. Runs on a throw-away SQLite file (or DATABASE_URL).
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wards", type=int, default=30)
    parser.add_argument("--cells", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from bench.city import build_city
    from kehoach.org.models import Unit

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    people = build_city(args.wards, args.cells)
    print(
        f"city: {Unit.objects.count()} units in {args.wards} wards, "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        client.get("/don-vi/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/don-vi/")
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            response = client.get("/don-vi/")
            times.append(time.perf_counter() - t0)
        assert response.status_code == 200
        visible = Unit.objects.for_user(user).count()
        print(
            f"{name:<12} visible units {visible:>6}  tree page: {len(queries)} queries, "
            f"median {statistics.median(times) * 1000:.1f} ms over {args.repeat}"
        )


if __name__ == "__main__":
    main()
