from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import formats, translation


def test_dates_read_day_month_year() -> None:
    with translation.override("vi"):
        assert formats.date_format(date(2026, 5, 20), "SHORT_DATE_FORMAT") == "20/05/2026"


def test_numbers_use_dot_for_thousands_and_comma_for_decimals() -> None:
    with translation.override("vi"):
        assert formats.number_format(Decimal("1234.5"), 1, use_l10n=True, force_grouping=True) == (
            "1.234,5"
        )


def test_templates_show_local_time_in_ho_chi_minh_city() -> None:
    moment = datetime(2026, 5, 20, 1, 30, tzinfo=ZoneInfo("UTC"))
    html = Template('{{ t|date:"SHORT_DATETIME_FORMAT" }}').render(Context({"t": moment}))
    assert html == "08:30 20/05/2026"


def test_date_fields_accept_the_way_offices_type_dates() -> None:
    from django import forms

    field = forms.DateField()
    with translation.override("vi"):
        assert field.clean("15/05/2026") == date(2026, 5, 15)
