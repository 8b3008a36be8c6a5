"""Vietnamese public holidays 2025–2027: the days offices are closed, as data.

The Labour Code 2019 (art. 112) gives 1 January, five days of Tết Nguyên đán, the Hùng
Kings' anniversary (10th day of the 3rd lunar month), 30 April, 1 May, and 2 September
with one day next to it. A holiday on a weekend is made up on the next working day, and
the Government may move days to join them into one break. Only days that would otherwise
be working days are listed (weekends never count anyway). Dates after the Government's
announcements for a year are the statutory ones; adjust them in the administration
(Public holidays) when the announcement comes. `manage.py load_holidays` writes them.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

NEW_YEAR = "Tết Dương lịch"
TET = "Tết Nguyên đán"
HUNG_KINGS = "Giỗ Tổ Hùng Vương"
REUNIFICATION = "Ngày Chiến thắng 30/4"
LABOUR_DAY = "Ngày Quốc tế Lao động 1/5"
NATIONAL_DAY = "Quốc khánh 2/9"

HOLIDAYS: tuple[tuple[date, str], ...] = (
    # 2025 (Tết Ất Tỵ: mùng 1 = 29/01/2025; 27/01 and 02/05 moved by the Government).
    (date(2025, 1, 1), NEW_YEAR),
    (date(2025, 1, 27), TET),
    (date(2025, 1, 28), TET),
    (date(2025, 1, 29), TET),
    (date(2025, 1, 30), TET),
    (date(2025, 1, 31), TET),
    (date(2025, 4, 7), HUNG_KINGS),
    (date(2025, 4, 30), REUNIFICATION),
    (date(2025, 5, 1), LABOUR_DAY),
    (date(2025, 5, 2), LABOUR_DAY),
    (date(2025, 9, 1), NATIONAL_DAY),
    (date(2025, 9, 2), NATIONAL_DAY),
    # 2026 (Tết Bính Ngọ: mùng 1 = 17/02/2026; 10/3 âm lịch = Sunday 26/04, made up 27/04).
    (date(2026, 1, 1), NEW_YEAR),
    (date(2026, 2, 16), TET),
    (date(2026, 2, 17), TET),
    (date(2026, 2, 18), TET),
    (date(2026, 2, 19), TET),
    (date(2026, 2, 20), TET),
    (date(2026, 4, 27), HUNG_KINGS),
    (date(2026, 4, 30), REUNIFICATION),
    (date(2026, 5, 1), LABOUR_DAY),
    (date(2026, 9, 1), NATIONAL_DAY),
    (date(2026, 9, 2), NATIONAL_DAY),
    # 2027 (Tết Đinh Mùi: mùng 1 = Saturday 06/02/2027, weekend days made up 10–11/02;
    # 10/3 âm lịch = 16/04; 1/5 is a Saturday, made up on Monday 03/05).
    (date(2027, 1, 1), NEW_YEAR),
    (date(2027, 2, 5), TET),
    (date(2027, 2, 8), TET),
    (date(2027, 2, 9), TET),
    (date(2027, 2, 10), TET),
    (date(2027, 2, 11), TET),
    (date(2027, 4, 16), HUNG_KINGS),
    (date(2027, 4, 30), REUNIFICATION),
    (date(2027, 5, 3), LABOUR_DAY),
    (date(2027, 9, 2), NATIONAL_DAY),
    (date(2027, 9, 3), NATIONAL_DAY),
)


def builtin_dates() -> frozenset[date]:
    return frozenset(day for day, _name in HOLIDAYS)


def holiday_dates() -> frozenset[date]:
    """The days deadlines skip: the Holiday table, or the built-in list while it is empty."""
    from kehoach.feedback.models import Holiday

    stored = frozenset(Holiday.objects.values_list("date", flat=True))
    return stored or builtin_dates()


def load_holidays(*, actor=None) -> tuple[int, int]:
    """Writes the built-in holidays into the table; returns (created, renamed). Idempotent."""
    from kehoach.audit.context import acting_as
    from kehoach.feedback.models import Holiday

    created = renamed = 0
    with transaction.atomic(), acting_as(actor):
        existing = {h.date: h for h in Holiday.objects.filter(date__in=builtin_dates())}
        for day, name in HOLIDAYS:
            holiday = existing.get(day)
            if holiday is None:
                Holiday.objects.create(date=day, name=name)
                created += 1
            elif holiday.name != name:
                holiday.name = name
                holiday.save()
                renamed += 1
    return created, renamed
