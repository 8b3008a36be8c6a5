"""Period arithmetic for recurring duties: which periods, and when each is due.

Pure Python, no Django: a duty's recurrence and due day/month plus a horizon give
a list of `Period`s. Labels are not made here (they must be translated); a period
carries its kind, number and year and `task_services` words it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

MONTH = "month"
QUARTER = "quarter"
HALF = "half"
YEAR = "year"

# Recurrences that give one open task with neither period nor due date: the coordinator
# sets the date ("định kỳ", "khi có yêu cầu", "sau mỗi giai đoạn").
OPEN_ENDED = frozenset({"periodic", "ad_hoc", "per_phase"})
_MONTHS_IN = {"monthly": 1, "quarterly": 3, "half_year": 6, "yearly": 12}
_KIND = {"monthly": MONTH, "quarterly": QUARTER, "half_year": HALF, "yearly": YEAR}


@dataclass(frozen=True)
class Period:
    """One task's time frame. `kind` is "" for a single task without a period."""

    kind: str
    number: int
    year: int
    start: date | None
    end: date | None
    due: date | None


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def clamped(year: int, month: int, day: int) -> date:
    """The day in that month, or the month's last day when it is shorter."""
    return date(year, month, min(day, last_day(year, month)))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def default_horizon(plan_date: date | None, today: date) -> tuple[date, date]:
    """From the plan's date (or today when it has none) to 31 December of that year."""
    start = plan_date or today
    return start, date(start.year, 12, 31)


def periods_for(
    *,
    recurrence: str,
    due_day: int | None,
    due_month: int | None,
    deadline: date | None,
    start: date,
    end: date,
) -> list[Period]:
    """The periods of a duty that overlap the horizon [start, end], in order."""
    if start > end:
        return []
    if recurrence not in _MONTHS_IN:
        # One task: non-recurring (due on the deadline, if the text gave one) or
        # open-ended recurring (the coordinator sets a date).
        due = deadline if recurrence not in OPEN_ENDED else None
        return [Period("", 0, 0, None, None, due)]
    size = _MONTHS_IN[recurrence]
    result = []
    for year in range(start.year, end.year + 1):
        for number, first_month in enumerate(range(1, 13, size), start=1):
            last_month = first_month + size - 1
            p_start = date(year, first_month, 1)
            p_end = date(year, last_month, last_day(year, last_month))
            if p_end < start or p_start > end:
                continue
            due = _due(recurrence, year, last_month, due_day, due_month)
            result.append(Period(_KIND[recurrence], number, year, p_start, p_end, due))
    return result


def _due(
    recurrence: str, year: int, last_month: int, due_day: int | None, due_month: int | None
) -> date:
    if recurrence == "yearly" and due_month and 1 <= due_month <= 12:
        # "trước ngày 15 tháng 11 hằng năm": that date in the year itself.
        return clamped(year, due_month, due_day or last_day(year, due_month))
    if due_day:
        # "trước ngày 15 hằng tháng" reports on the period just ended.
        next_year, next_month = _next_month(year, last_month)
        return clamped(next_year, next_month, due_day)
    return date(year, last_month, last_day(year, last_month))
