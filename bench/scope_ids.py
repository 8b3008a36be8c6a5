"""A scoped statement with the person's unit ids written as `IN (…)` or sent as one array
(`__any`, kehoach/core/lookups.py), for scopes of 60 (a ward), 300 and 1,000 units.

    .venv/bin/python bench/scope_ids.py --db postgres://postgres@127.0.0.1:5432/kehoach_city

DB is a city built by bench/citygen.py. Prints the median over --repeat runs of loading five
activities by id within the scope (what search does for each kind it shows), each way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")


def medians_ms(actions: list[Callable[[], object]], repeat: int) -> list[float]:
    """Each action's median, the actions run in turn so that a busy machine slows all alike."""
    times: list[list[float]] = [[] for _ in actions]
    for action in actions:
        action()
    for _ in range(repeat):
        for action, into in zip(actions, times, strict=True):
            start = time.perf_counter()
            action()
            into.append((time.perf_counter() - start) * 1000)
    return [statistics.median(t) for t in times]


def loader(lookup: str, scope: list[int], ids: list[int]) -> Callable[[], object]:
    from kehoach.activities.models import Activity

    return lambda: list(Activity.objects.filter(**{f"unit__{lookup}": scope, "pk__in": ids}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="PostgreSQL URL or SQLite path")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    db = args.db
    os.environ["DATABASE_URL"] = db if db.startswith("postgres") else f"sqlite:///{db}"
    import django

    django.setup()
    from django.db import connection

    from kehoach.activities.models import Activity
    from kehoach.org.models import Unit

    units = list(
        Unit.objects.exclude(kind="external").order_by("path").values_list("pk", flat=True)
    )
    print(f"{connection.vendor}: {len(units):,} units; median of {args.repeat} runs, ms")
    print(f"{'scope':>6} {'IN (…)':>8} {'__any':>8}")
    for size in (60, 300, 1000):
        scope = units[:size]
        five = list(Activity.objects.filter(unit__in=scope).values_list("pk", flat=True)[:5])
        written, array = medians_ms(
            [loader("in", scope, five), loader("any", scope, five)], args.repeat
        )
        print(f"{size:>6} {written:8.2f} {array:8.2f}")


if __name__ == "__main__":
    main()
