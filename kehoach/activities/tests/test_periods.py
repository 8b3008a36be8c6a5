from datetime import date

import pytest

from kehoach.activities import periods
from kehoach.activities.periods import Period, default_horizon, periods_for


def _periods(recurrence, start, end, due_day=None, due_month=None, deadline=None):
    return periods_for(
        recurrence=recurrence,
        due_day=due_day,
        due_month=due_month,
        deadline=deadline,
        start=start,
        end=end,
    )


def test_the_default_horizon_runs_from_the_plans_date_to_the_end_of_its_year() -> None:
    assert default_horizon(date(2026, 5, 20), date(2027, 1, 3)) == (
        date(2026, 5, 20),
        date(2026, 12, 31),
    )


def test_a_plan_without_a_date_starts_the_horizon_today() -> None:
    assert default_horizon(None, date(2026, 8, 9)) == (date(2026, 8, 9), date(2026, 12, 31))


def test_a_monthly_duty_gives_one_period_per_calendar_month_in_the_horizon() -> None:
    result = _periods("monthly", date(2026, 5, 20), date(2026, 12, 31))
    assert [p.number for p in result] == [5, 6, 7, 8, 9, 10, 11, 12]
    assert all(p.kind == periods.MONTH and p.year == 2026 for p in result)
    assert result[0].start == date(2026, 5, 1)
    assert result[0].end == date(2026, 5, 31)
    assert result[1].end == date(2026, 6, 30)


def test_a_monthly_report_with_a_due_day_is_due_that_day_of_the_following_month() -> None:
    result = _periods("monthly", date(2026, 5, 1), date(2026, 12, 31), due_day=15)
    assert result[0].due == date(2026, 6, 15)
    # December's report is due in January of the next year.
    assert result[-1].due == date(2027, 1, 15)


def test_a_due_day_past_the_end_of_a_short_month_is_clamped() -> None:
    result = _periods("monthly", date(2026, 1, 1), date(2026, 4, 30), due_day=31)
    # January → 28 February (2026 is not a leap year), February → 31 March, March → 30 April.
    assert [p.due for p in result] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]


def test_february_has_twenty_nine_days_in_a_leap_year() -> None:
    (feb,) = _periods("monthly", date(2028, 2, 10), date(2028, 2, 20))
    assert feb.end == date(2028, 2, 29)
    assert feb.due == date(2028, 2, 29)
    (jan,) = _periods("monthly", date(2028, 1, 1), date(2028, 1, 31), due_day=30)
    assert jan.due == date(2028, 2, 29)


def test_a_monthly_duty_without_a_due_day_is_due_on_the_months_last_day() -> None:
    result = _periods("monthly", date(2026, 9, 1), date(2026, 11, 30))
    assert [p.due for p in result] == [date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30)]


def test_quarterly_periods_are_calendar_quarters_due_at_their_end_or_the_next_month() -> None:
    plain = _periods("quarterly", date(2026, 5, 20), date(2026, 12, 31))
    assert [(p.number, p.start, p.end, p.due) for p in plain] == [
        (2, date(2026, 4, 1), date(2026, 6, 30), date(2026, 6, 30)),
        (3, date(2026, 7, 1), date(2026, 9, 30), date(2026, 9, 30)),
        (4, date(2026, 10, 1), date(2026, 12, 31), date(2026, 12, 31)),
    ]
    with_day = _periods("quarterly", date(2026, 5, 20), date(2026, 12, 31), due_day=10)
    assert [p.due for p in with_day] == [date(2026, 7, 10), date(2026, 10, 10), date(2027, 1, 10)]


def test_half_year_periods_split_the_year_in_two() -> None:
    result = _periods("half_year", date(2026, 1, 1), date(2026, 12, 31), due_day=5)
    assert [(p.kind, p.number, p.start, p.end, p.due) for p in result] == [
        (periods.HALF, 1, date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 5)),
        (periods.HALF, 2, date(2026, 7, 1), date(2026, 12, 31), date(2027, 1, 5)),
    ]


def test_a_yearly_duty_with_day_and_month_is_due_on_that_date_of_the_year() -> None:
    (year,) = _periods("yearly", date(2026, 5, 20), date(2026, 12, 31), due_day=15, due_month=11)
    assert (year.kind, year.start, year.end, year.due) == (
        periods.YEAR,
        date(2026, 1, 1),
        date(2026, 12, 31),
        date(2026, 11, 15),
    )


def test_a_yearly_duty_without_a_date_is_due_on_the_last_day_of_the_year() -> None:
    (year,) = _periods("yearly", date(2026, 5, 20), date(2026, 12, 31))
    assert year.due == date(2026, 12, 31)


def test_a_yearly_due_date_of_29_february_is_clamped_outside_leap_years() -> None:
    result = _periods("yearly", date(2027, 1, 1), date(2028, 12, 31), due_day=29, due_month=2)
    assert [p.due for p in result] == [date(2027, 2, 28), date(2028, 2, 29)]


def test_the_horizon_clips_periods_to_those_that_overlap_it() -> None:
    result = _periods("monthly", date(2026, 11, 30), date(2027, 2, 1))
    assert [(p.year, p.number) for p in result] == [(2026, 11), (2026, 12), (2027, 1), (2027, 2)]
    assert _periods("monthly", date(2026, 6, 1), date(2026, 5, 1)) == []


@pytest.mark.parametrize("recurrence", ["periodic", "ad_hoc", "per_phase"])
def test_an_open_ended_recurrence_gives_one_task_without_period_or_due_date(recurrence) -> None:
    result = _periods(recurrence, date(2026, 5, 20), date(2026, 12, 31), deadline=date(2026, 6, 1))
    assert result == [Period("", 0, 0, None, None, None)]


def test_a_one_off_duty_is_due_on_its_deadline_or_has_no_date() -> None:
    (with_deadline,) = _periods(
        "", date(2026, 5, 20), date(2026, 12, 31), deadline=date(2026, 6, 30)
    )
    assert with_deadline.due == date(2026, 6, 30)
    assert with_deadline.start is None
    (without,) = _periods("", date(2026, 5, 20), date(2026, 12, 31))
    assert without.due is None
