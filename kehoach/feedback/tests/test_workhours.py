from datetime import date, datetime

import pytest

from kehoach.feedback.holidays import HOLIDAYS, builtin_dates, holiday_dates, load_holidays
from kehoach.feedback.models import Holiday
from kehoach.feedback.workhours import (
    TZ,
    add_working_days,
    add_working_hours,
    is_working_day,
    working_hours_between,
)

HOLIDAYS_2026 = builtin_dates()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


class TestWorkingHours:
    def test_hours_inside_a_morning_stay_on_the_same_morning(self) -> None:
        # Wednesday 10/06/2026
        assert add_working_hours(at(2026, 6, 10, 8, 30), 2) == at(2026, 6, 10, 10, 30)

    def test_the_lunch_break_does_not_count(self) -> None:
        assert add_working_hours(at(2026, 6, 10, 11, 0), 2) == at(2026, 6, 10, 14, 30)

    def test_a_morning_that_ends_exactly_at_noon_ends_at_noon(self) -> None:
        assert add_working_hours(at(2026, 6, 10, 8, 0), 4) == at(2026, 6, 10, 12, 0)

    def test_eight_hours_from_friday_afternoon_end_on_monday(self) -> None:
        # Friday 12/06/2026 16:00: one hour on Friday, seven on Monday (4 + 3).
        assert add_working_hours(at(2026, 6, 12, 16, 0), 8) == at(2026, 6, 15, 16, 30)

    def test_a_saturday_start_counts_from_monday_morning(self) -> None:
        assert add_working_hours(at(2026, 6, 13, 9, 0), 4) == at(2026, 6, 15, 12, 0)

    def test_an_evening_start_counts_from_the_next_morning(self) -> None:
        assert add_working_hours(at(2026, 6, 10, 20, 0), 1) == at(2026, 6, 11, 9, 0)

    def test_an_early_start_counts_from_eight_o_clock(self) -> None:
        assert add_working_hours(at(2026, 6, 10, 6, 0), 1) == at(2026, 6, 10, 9, 0)

    def test_tet_is_skipped_entirely(self) -> None:
        # Friday 13/02/2026 16:00; Tết Bính Ngọ closes 16–20/02; work resumes Monday 23/02.
        due = add_working_hours(at(2026, 2, 13, 16, 0), 8, HOLIDAYS_2026)
        assert due == at(2026, 2, 23, 16, 30)

    def test_without_the_holidays_tet_would_count(self) -> None:
        assert add_working_hours(at(2026, 2, 13, 16, 0), 8) == at(2026, 2, 16, 16, 30)

    def test_a_utc_start_is_read_in_vietnam_time(self) -> None:
        from datetime import UTC

        start = datetime(2026, 6, 10, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội
        assert add_working_hours(start, 1) == at(2026, 6, 10, 9, 30)

    def test_zero_hours_is_the_start_itself(self) -> None:
        assert add_working_hours(at(2026, 6, 13, 9, 0), 0) == at(2026, 6, 13, 9, 0)


class TestWorkingDays:
    def test_ten_working_days_from_a_monday_end_two_weeks_later(self) -> None:
        # Monday 08/06/2026 → the 10th working day after is Monday 22/06.
        assert add_working_days(at(2026, 6, 8, 10, 0), 10) == at(2026, 6, 22, 17, 0)

    def test_a_friday_start_skips_two_weekends(self) -> None:
        assert add_working_days(at(2026, 6, 12, 10, 0), 10) == at(2026, 6, 26, 17, 0)

    def test_the_april_and_may_holidays_push_the_deadline(self) -> None:
        # From Friday 24/04/2026: 27/04 (Giỗ Tổ made up), 30/04 and 01/05 are holidays.
        without = add_working_days(at(2026, 4, 24, 9, 0), 5)
        with_holidays = add_working_days(at(2026, 4, 24, 9, 0), 5, HOLIDAYS_2026)
        assert without == at(2026, 5, 1, 17, 0)
        assert with_holidays == at(2026, 5, 6, 17, 0)

    def test_working_hours_between_count_only_office_time(self) -> None:
        assert working_hours_between(at(2026, 6, 12, 16, 0), at(2026, 6, 15, 9, 0)) == 2.0
        assert working_hours_between(at(2026, 6, 15, 9, 0), at(2026, 6, 12, 16, 0)) == 0.0


class TestHolidays:
    def test_weekends_and_holidays_are_not_working_days(self) -> None:
        assert not is_working_day(date(2026, 6, 13))
        assert not is_working_day(date(2026, 9, 2), HOLIDAYS_2026)
        assert is_working_day(date(2026, 9, 3), HOLIDAYS_2026)

    @pytest.mark.parametrize("year", [2025, 2026, 2027])
    def test_each_year_has_new_year_five_tet_days_hung_kings_and_the_national_days(self, year):
        days = [(d, name) for d, name in HOLIDAYS if d.year == year]
        names = [name for _d, name in days]
        assert names.count("Tết Nguyên đán") == 5
        assert names.count("Giỗ Tổ Hùng Vương") == 1
        assert names.count("Quốc khánh 2/9") == 2
        assert date(year, 1, 1) in {d for d, _n in days}
        assert all(d.weekday() < 5 for d, _n in days)

    def test_loading_the_holidays_twice_adds_them_once(self, db) -> None:
        assert load_holidays() == (len(HOLIDAYS), 0)
        assert load_holidays() == (0, 0)
        assert Holiday.objects.count() == len(HOLIDAYS)

    def test_the_command_fills_the_table(self, db) -> None:
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("load_holidays", stdout=out)
        assert Holiday.objects.filter(date=date(2026, 2, 17)).exists()
        assert str(len(HOLIDAYS)) in out.getvalue()

    def test_the_table_wins_over_the_built_in_list_once_filled(self, db) -> None:
        assert holiday_dates() == builtin_dates()
        Holiday.objects.create(date=date(2026, 6, 10), name="Nghỉ bù")
        assert holiday_dates() == {date(2026, 6, 10)}
