"""Dates as Vietnamese documents write them: pure Python, no Django.

Forms: ``10/01/2026``, ``23/7/2025``, ``01-10-1997``, ``01.10.1997``,
``ngày 15 tháng 8 năm 2024`` (also over several lines) and blanks such as
``ngày … tháng 11 năm 2025`` or ``ngày    tháng   năm 2025`` (read as None).
"""

from __future__ import annotations

import re
from datetime import date

NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)"
)
WORDED_DATE = re.compile(
    r"ngày\s*(?P<d>\d{1,2}|[.…_]*)\s*tháng\s*(?P<m>\d{1,2}|[.…_]*)\s*năm\s*(?P<y>\d{4}|[.…_]*)",
    re.IGNORECASE,
)
# A numeric date with blanks: "…/…/2025", "../11/2025".
BLANK_NUMERIC_DATE = re.compile(r"(?<![\w/])[.…_]{1,6}\s*/\s*(?:\d{1,2}|[.…_]{1,6})\s*/\s*\d{4}")

# Any date expression; a blank part (dots, ellipsis, underscores or nothing) reads as None.
ANY_DATE = re.compile(
    r"ngày\s*(?:\d{1,2}|[.…_]*)\s*tháng\s*(?:\d{1,2}|[.…_]*)\s*năm\s*(?:\d{4}|[.…_]*)"
    r"|(?<![\d/.-])\d{1,2}\s*([/.-])\s*\d{1,2}\s*\1\s*\d{4}(?!\d)"
    r"|(?<![\w/])[.…_]{1,6}\s*/\s*(?:\d{1,2}|[.…_]{1,6})\s*/\s*\d{4}",
    re.IGNORECASE,
)


def make_date(day: str | None, month: str | None, year: str | None) -> date | None:
    """A date from its parts as written, or None when a part is blank or impossible."""
    try:
        return date(int(year or ""), int(month or ""), int(day or ""))
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """The first date written in `text`, or None (also when the date has blanks)."""
    match = ANY_DATE.search(text or "")
    return date_of(match.group(0)) if match else None


def date_of(expression: str) -> date | None:
    """Reads one date expression found by ANY_DATE."""
    for pattern in (WORDED_DATE, NUMERIC_DATE):
        match = pattern.search(expression)
        if match:
            return make_date(match.group("d"), match.group("m"), match.group("y"))
    return None


def find_dates(text: str) -> list[tuple[int, int, date | None]]:
    """Every date expression in `text` as (start, end, date or None)."""
    return [(m.start(), m.end(), date_of(m.group(0))) for m in ANY_DATE.finditer(text or "")]
