"""A report's timeliness is judged by the day of its first submission in the ward's time zone
(UTC+7), kept beside the moment whenever the report is saved (UnitReport.save): the day and the
state must be right at the edges of the due day above all, however the moment is saved, and
for reports submitted before the day was kept (the migration fills it)."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from kehoach.reports.completeness import LATE, MISSING, NOT_DUE, ON_TIME, timeliness
from kehoach.reports.models import ReportStatus, UnitReport
from kehoach.reports.tests.builders import make_period, saved_plan
from kehoach.reports.views_board import board_data

pytestmark = pytest.mark.django_db

DUE = date(2026, 6, 5)


def at_utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


# The due day in Hồ Chí Minh City runs from 17:00 UTC the day before to 16:59 UTC that day.
CASES = [
    (None, DUE - timedelta(1), NOT_DUE),
    (None, DUE, NOT_DUE),
    (None, DUE + timedelta(1), MISSING),
    (at_utc(DUE - timedelta(3), 2), DUE + timedelta(9), ON_TIME),
    (at_utc(DUE, 16, 59), DUE + timedelta(9), ON_TIME),  # 23:59 on the due day
    (at_utc(DUE, 17, 0), DUE + timedelta(9), LATE),  # 00:00 the day after
    (at_utc(DUE - timedelta(1), 17, 30), DUE + timedelta(9), ON_TIME),  # 00:30 on the due day
    (at_utc(DUE + timedelta(4), 9), DUE + timedelta(9), LATE),
]


def _report(world):
    period = make_period(saved_plan(world), due_date=DUE, units=[world.cell1])
    return UnitReport.objects.get(period=period)


@pytest.mark.parametrize(("submitted", "today", "expected"), CASES)
def test_the_day_kept_and_the_board_agree_on_every_edge(world, submitted, today, expected) -> None:
    report = _report(world)
    report.first_submitted_at = submitted
    report.status = ReportStatus.SUBMITTED if submitted else ReportStatus.DRAFT
    report.save()
    report.refresh_from_db()
    day = (submitted + timedelta(hours=7)).date() if submitted else None
    assert report.first_submitted_on == day
    assert timeliness(report, DUE, today) == expected
    # The board judges by the real today: it must say what timeliness says for that day.
    board = board_data(report.period.plan, world.coordinator)
    [row] = board["rows"]
    assert row["grid"][0]["timeliness"] == timeliness(report, DUE, timezone.localdate())


def test_saving_only_the_moment_keeps_the_day_too(world) -> None:
    report = _report(world)
    report.first_submitted_at = at_utc(DUE, 17, 0)  # 00:00 on the day after, in the ward
    report.save(update_fields=["first_submitted_at"])
    report.refresh_from_db()
    assert report.first_submitted_on == DUE + timedelta(1)
    assert timeliness(report, DUE, DUE + timedelta(9)) == LATE


def test_reports_submitted_before_the_day_was_kept_get_theirs(world) -> None:
    report = _report(world)
    other = UnitReport.objects.create(period=report.period, unit=world.committee)
    UnitReport.objects.filter(pk=report.pk).update(first_submitted_at=at_utc(DUE, 16, 59))
    migration = importlib.import_module("kehoach.reports.migrations.0003_first_submitted_on")
    migration.fill_first_day(apps, None)
    report.refresh_from_db()
    other.refresh_from_db()
    assert report.first_submitted_on == DUE  # 23:59 on the due day in the ward
    assert other.first_submitted_on is None


@pytest.mark.parametrize("today", [DUE - timedelta(1), DUE, DUE + timedelta(1)])
def test_the_counts_alone_are_the_counts_of_the_rows(world, today) -> None:
    """completeness_counts (one aggregate, what a summary keeps) counts what completeness
    counts row by row, before, on and after the due day."""
    from kehoach.org.models import Unit
    from kehoach.reports.completeness import completeness, completeness_counts

    report = _report(world)
    units = Unit.objects.filter(parent=world.ward).exclude(pk=world.cell1.pk)[:3]
    moments = [at_utc(DUE, 16, 59), at_utc(DUE, 17, 0), None]
    for unit, moment in zip(units, moments, strict=True):
        UnitReport.objects.create(period=report.period, unit=unit, first_submitted_at=moment)
    rows = completeness(report.period, today)
    counts = completeness_counts(report.period, today)
    keys = ("expected", "submitted", "on_time", "late", "missing", "not_due")
    assert {key: rows[key] for key in keys} == counts
    assert counts["expected"] == 4 and counts["on_time"] == 1 and counts["late"] == 1
    assert counts["missing"] + counts["not_due"] == 2
    assert counts["missing"] == (2 if today > DUE else 0)
