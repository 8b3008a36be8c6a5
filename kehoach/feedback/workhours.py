"""Working-time arithmetic for concern deadlines. Pure: no database, no settings.

Offices work 08:00–12:00 and 13:30–17:00, Monday to Friday, in Asia/Ho_Chi_Minh.
Public holidays (given by the caller as a collection of dates) are not working days.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SHIFTS: tuple[tuple[time, time], ...] = ((time(8, 0), time(12, 0)), (time(13, 30), time(17, 0)))
DAY_END = SHIFTS[-1][1]
# Working hours in one full day (7.5).
HOURS_PER_DAY = (
    sum(
        (datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds()
        for start, end in SHIFTS
    )
    / 3600
)
# No deadline is more than ten years of calendar days away; a guard against endless loops.
_MAX_DAYS = 3660


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=TZ)


def add_working_hours(
    start: datetime, hours: float, holidays: Collection[date] | None = None
) -> datetime:
    """The moment `hours` working hours after `start` (aware, in Asia/Ho_Chi_Minh).

    Time outside working hours does not count: a concern received on Friday at 16:00 with
    8 hours to acknowledge is due on Monday at 16:30 (one hour on Friday, seven on Monday).
    """
    holidays = frozenset(holidays or ())
    remaining = timedelta(hours=hours)
    cursor = _local(start)
    if remaining <= timedelta(0):
        return cursor
    day = cursor.date()
    for _ in range(_MAX_DAYS):
        if is_working_day(day, holidays):
            for shift_start, shift_end in SHIFTS:
                begin = max(cursor, _at(day, shift_start))
                end = _at(day, shift_end)
                if begin >= end:
                    continue
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
                cursor = end
        day += timedelta(days=1)
        cursor = _at(day, SHIFTS[0][0])
    raise ValueError("deadline too far away")


def add_working_days(
    start: datetime, days: int, holidays: Collection[date] | None = None
) -> datetime:
    """The end of the working day (17:00) of the `days`-th working day after `start`'s day.

    Counting begins the day after receipt, as Vietnamese administrative deadlines do: a
    concern received on Friday with 10 working days to answer is due on the second Friday
    after, at 17:00, unless a holiday falls in between.
    """
    holidays = frozenset(holidays or ())
    day = _local(start).date()
    if days <= 0:
        return _at(day, DAY_END)
    counted = 0
    for _ in range(_MAX_DAYS):
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
            if counted == days:
                return _at(day, DAY_END)
    raise ValueError("deadline too far away")


def working_hours_between(
    start: datetime, end: datetime, holidays: Collection[date] | None = None
) -> float:
    """Working hours from `start` to `end` (0 when end is not after start); for figures."""
    holidays = frozenset(holidays or ())
    start, end = _local(start), _local(end)
    if end <= start:
        return 0.0
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        if is_working_day(day, holidays):
            for shift_start, shift_end in SHIFTS:
                begin = max(start, _at(day, shift_start))
                finish = min(end, _at(day, shift_end))
                if finish > begin:
                    total += finish - begin
        day += timedelta(days=1)
    return total.total_seconds() / 3600
