"""A report's timeliness, worked out from its submission time in Python (completeness.timeliness)
for one report, and from the submission's day read in SQL (completeness.submitted_day_sql) for a
board: both must agree, at the edges of the due day in the ward's time zone (UTC+7) above all."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kehoach.reports.completeness import (
    LATE,
    MISSING,
    NOT_DUE,
    ON_TIME,
    state_of,
    submitted_day_sql,
    timeliness,
)
from kehoach.reports.models import ReportStatus, UnitReport
from kehoach.reports.tests.builders import make_period, saved_plan

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


@pytest.mark.parametrize(("submitted", "today", "expected"), CASES)
def test_python_and_sql_agree_on_every_edge(world, submitted, today, expected) -> None:
    period = make_period(saved_plan(world), due_date=DUE, units=[world.cell1])
    report = UnitReport.objects.get(period=period)
    UnitReport.objects.filter(pk=report.pk).update(
        first_submitted_at=submitted,
        status=ReportStatus.SUBMITTED if submitted else ReportStatus.DRAFT,
    )
    report.refresh_from_db()
    assert timeliness(report, DUE, today) == expected
    read = UnitReport.objects.annotate(day=submitted_day_sql()).get(pk=report.pk)
    assert state_of(read.day, DUE, today) == expected
