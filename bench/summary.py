"""Compiling the summary report for a ward of 60 units with 50,000 activities.

    .venv/bin/python bench/summary.py [--units 60] [--activities 50000] [--repeat 5]

Every unit's report for the year is accepted (rows made directly). Prints the median time of
compile_summary() — first with no figure snapshots on the reports (the live figures are
computed: the worst case), then with the snapshots that accepting a report stores — and its
query count for 20 accepted units and for all of them: the count must not grow with the
number of units. Also the .docx and .xlsx renderings. Target: compile under 1 s on SQLite.
Runs on a throw-away SQLite file (or DATABASE_URL).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
tmp = tempfile.mkdtemp(prefix="kehoach-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")

TARGET_MS = 1000


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(action, repeat: int) -> tuple[float, int]:
    """Median milliseconds over `repeat` runs, and the queries of the first run."""
    from django.db import connection

    counter = QueryCounter()
    times = []
    for i in range(repeat):
        t0 = time.perf_counter()
        if i == 0:
            with connection.execute_wrapper(counter):
                action()
        else:
            action()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, counter.count


def line(label: str, ms: float, queries: int | None = None, target: int | None = None) -> None:
    verdict = ""
    if target is not None:
        verdict = "  (ok)" if ms < target else f"  (over the {target} ms target)"
    q = f"  {queries:>3} queries" if queries is not None else ""
    print(f"{label:<44} median {ms:8.1f} ms{q}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--small", type=int, default=20)
    parser.add_argument("--topics", type=int, default=5)
    parser.add_argument("--activities", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from bench.city import build_ward_with_activities
    from kehoach.activities.models import Activity
    from kehoach.reports.figures import figures_for_units
    from kehoach.reports.models import (
        PeriodKind,
        ReportingPeriod,
        ReportStatus,
        SummaryReport,
        UnitReport,
    )
    from kehoach.reports.summary import compile_summary
    from kehoach.reports.summary_document import summary_document
    from kehoach.reports.summary_views import summary_workbook

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    people, plan = build_ward_with_activities(args.units, args.topics, args.activities)
    coordinator = people["coordinator"]
    units = list(plan.unit.children.order_by("order"))
    start, end = date(2026, 1, 1), date(2026, 12, 31)

    def period_with(kind: str, accepted: list) -> ReportingPeriod:
        period = ReportingPeriod.objects.create(
            plan=plan, kind=kind, label=f"Năm 2026 ({kind})", start=start, end=end, due_date=end
        )
        UnitReport.objects.bulk_create(
            UnitReport(
                period=period,
                unit=u,
                status=ReportStatus.ACCEPTED if u in accepted else ReportStatus.DRAFT,
                results=f"Kết quả của {u.name}.",
            )
            for u in units
        )
        return period

    small = period_with(PeriodKind.YEAR, units[: args.small])
    large = period_with(PeriodKind.EVENT, units)
    print(
        f"ward: {len(units)} units, plan of {args.topics} topics, "
        f"{Activity.objects.count():,} activities, built in {time.perf_counter() - started:.1f} s"
    )

    def compile_fresh(period):
        def run():
            SummaryReport.objects.filter(period=period).delete()
            return compile_summary(actor=coordinator, period=period)

        return run

    for period, n in ((small, args.small), (large, len(units))):
        ms, queries = timed(compile_fresh(period), args.repeat)
        line(f"compile, {n} units, live figures", ms, queries, TARGET_MS)
    # Snapshots, as accepting stores them.
    for period in (small, large):
        reports = list(period.unit_reports.filter(status=ReportStatus.ACCEPTED))
        live = figures_for_units([r.unit_id for r in reports], period)
        for r in reports:
            r.figures = live[r.unit_id]
        UnitReport.objects.bulk_update(reports, ["figures"])
    counts = {}
    for period, n in ((small, args.small), (large, len(units))):
        ms, queries = timed(compile_fresh(period), args.repeat)
        counts[n] = queries
        line(f"compile, {n} units, snapshots", ms, queries, TARGET_MS)
        ms, queries = timed(lambda p=period: compile_summary(actor=coordinator, period=p), 3)
        line(f"compile again, {n} units, snapshots", ms, queries, TARGET_MS)
    summary = SummaryReport.objects.get(period=large)
    print(
        f"{'':<44} {summary.figures['totals']['activities']:,} activities, "
        f"{summary.figures['totals']['reached']:,} people reached"
    )
    ms, _ = timed(lambda: summary_document(summary), 3)
    line(".docx", ms)
    ms, _ = timed(lambda: summary_workbook(summary), 3)
    line(".xlsx", ms)
    small_n, large_n = args.small, len(units)
    verdict = "constant" if counts[small_n] == counts[large_n] else "GROWS with the units"
    print(
        f"query count {counts[small_n]} for {small_n} units, "
        f"{counts[large_n]} for {large_n}: {verdict}"
    )


if __name__ == "__main__":
    main()
