"""The span of dates a ward's records can sensibly carry.

A plan runs a term of five years at most; a date typed as 0001 or 9999 is a slip of the
keyboard, and refusing it early keeps it out of deadlines, reports and sorting.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10


def latest() -> date:
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


def out_of_range(value: date | None) -> str | None:
    """The Vietnamese reason a date cannot be taken, or None when it can."""
    if value is None:
        return None
    if value < EARLIEST:
        return _("The date is too far in the past. Check the year.")
    if value > latest():
        return _("The date is too far in the future. Check the year.")
    return None
