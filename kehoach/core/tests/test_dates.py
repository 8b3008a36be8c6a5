from datetime import date, timedelta

from django.utils import timezone

from kehoach.core.dates import EARLIEST, latest, out_of_range


def test_dates_of_a_plans_term_are_taken():
    today = timezone.localdate()
    for value in (EARLIEST, today, today + timedelta(days=5 * 365), latest()):
        assert out_of_range(value) is None


def test_slips_of_the_keyboard_are_refused_with_the_reason():
    from django.utils import translation

    with translation.override("vi"):
        assert "quá khứ" in out_of_range(date(1, 1, 1))
        assert "quá khứ" in out_of_range(EARLIEST - timedelta(days=1))
        assert "tương lai" in out_of_range(date(9999, 12, 31))
        assert "tương lai" in out_of_range(latest() + timedelta(days=1))
    assert out_of_range(None) is None
