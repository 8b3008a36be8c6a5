"""The target path, progress and status: both directions, before and after target years,
no data, and the 100% / 90% thresholds; and progress_rows in a constant number of queries."""

from datetime import date
from decimal import Decimal as D

import pytest

from kehoach.indicators import progress
from kehoach.indicators.models import Direction, Indicator, Measurement, Target

POINTS = progress.path_points(D(100), 2025, [(2026, D(200)), (2028, D(400))])


def test_the_path_starts_at_the_baseline_at_the_end_of_the_baseline_year():
    assert progress.value_on(POINTS, date(2025, 12, 31)) == D(100)


def test_the_path_is_the_baseline_before_the_baseline_year_ends():
    assert progress.value_on(POINTS, date(2024, 6, 1)) == D(100)


def test_the_path_reaches_each_target_at_the_end_of_its_year():
    assert progress.value_on(POINTS, date(2026, 12, 31)) == D(200)
    assert progress.value_on(POINTS, date(2028, 12, 31)) == D(400)


def test_the_path_is_linear_within_a_year_by_date():
    middle = progress.value_on(POINTS, date(2026, 7, 2))  # day 183 of 365
    assert middle == D(100) + D(100) * D(183) / D(365)


def test_a_year_without_a_target_is_bridged_by_the_line_between_its_neighbours():
    assert progress.value_on(POINTS, date(2027, 12, 31)) == pytest.approx(D(300), abs=D("0.3"))


def test_the_path_stays_at_the_last_target_after_the_last_target_year():
    assert progress.value_on(POINTS, date(2031, 3, 1)) == D(400)


def test_targets_of_the_baseline_year_or_earlier_are_ignored():
    points = progress.path_points(D(10), 2025, [(2025, D(99)), (2026, D(20))])
    assert [p.value for p in points] == [D(10), D(20)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(200), progress.ON_TRACK),  # 100% of the way
        (D(250), progress.ON_TRACK),  # ahead
        (D(190), progress.AT_RISK),  # 90%
        (D("189.9"), progress.OFF_TRACK),  # just under 90%
        (D(100), progress.OFF_TRACK),  # no progress
        (D(50), progress.OFF_TRACK),  # went backwards
    ],
)
def test_higher_is_better_thresholds(value, expected):
    assert progress.status_for(Direction.HIGHER, D(100), D(200), value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(20), progress.ON_TRACK),  # from 40 to the path's 20: all the way
        (D(10), progress.ON_TRACK),
        (D(22), progress.AT_RISK),  # 90% of the fall
        (D("22.1"), progress.OFF_TRACK),
        (D(45), progress.OFF_TRACK),  # rose instead
    ],
)
def test_lower_is_better_thresholds(value, expected):
    assert progress.status_for(Direction.LOWER, D(40), D(20), value) == expected


def test_no_value_is_no_data():
    assert progress.status_for(Direction.HIGHER, D(1), D(2), None) == progress.NO_DATA


def test_a_flat_path_compares_the_value_with_the_level():
    assert progress.status_for(Direction.HIGHER, D(13), D(13), D(13)) == progress.ON_TRACK
    assert progress.status_for(Direction.HIGHER, D(13), D(13), D(12)) == progress.AT_RISK
    assert progress.status_for(Direction.HIGHER, D(13), D(13), D(11)) == progress.OFF_TRACK
    assert progress.status_for(Direction.LOWER, D(10), D(10), D(11)) == progress.AT_RISK
    assert progress.status_for(Direction.LOWER, D(10), D(10), D(9)) == progress.ON_TRACK


def test_a_flat_path_at_zero_is_on_track_only_when_the_value_is_as_good():
    assert progress.status_for(Direction.LOWER, D(0), D(0), D(0)) == progress.ON_TRACK
    assert progress.status_for(Direction.LOWER, D(0), D(0), D(1)) == progress.OFF_TRACK


def test_progress_percent_is_the_share_of_the_paths_progress_so_far():
    assert progress.progress_pct(Direction.HIGHER, D(100), D(200), D(150)) == D(50)
    assert progress.progress_pct(Direction.LOWER, D(40), D(20), D(30)) == D(50)


def make_indicator(world, **extra) -> Indicator:
    fields = {
        "ward": world.ward,
        "programme": "CTr 20",
        "name": "Thu ngân sách",
        "measure": "tỷ đồng",
        "baseline": D(100),
        "baseline_year": 2025,
        "responsible": world.committee,
    } | extra
    return Indicator.objects.create(**fields)


def test_a_row_judges_the_latest_figure_against_the_path_on_its_date(world):
    indicator = make_indicator(world)
    Target.objects.create(indicator=indicator, year=2026, value=D(200))
    Measurement.objects.create(indicator=indicator, as_of=date(2026, 1, 31), value=D(1), source="s")
    Measurement.objects.create(
        indicator=indicator, as_of=date(2026, 12, 31), value=D(195), source="s"
    )
    row = progress.progress_rows(Indicator.objects.all(), date(2026, 12, 31))[0]
    assert row["latest"] == D(195)
    assert row["latest_as_of"] == date(2026, 12, 31)
    assert row["path_value"] == D(200)
    assert row["target"] == D(200)
    assert row["progress_pct"] == D("95.0")
    assert row["status"] == progress.AT_RISK
    assert row["is_example"] is False


def test_a_row_ignores_figures_dated_after_today(world):
    indicator = make_indicator(world, is_example=True)
    Target.objects.create(indicator=indicator, year=2026, value=D(200))
    Measurement.objects.create(
        indicator=indicator, as_of=date(2026, 9, 1), value=D(300), source="s"
    )
    row = progress.progress_rows([indicator], date(2026, 6, 1))[0]
    assert row["status"] == progress.NO_DATA
    assert row["latest"] is None
    assert row["progress_pct"] is None
    assert row["is_example"] is True


def test_a_row_has_no_target_in_a_year_without_one(world):
    indicator = make_indicator(world)
    Target.objects.create(indicator=indicator, year=2027, value=D(200))
    row = progress.progress_rows([indicator], date(2026, 6, 1))[0]
    assert row["target"] is None
    assert set(row) == {
        "indicator_id",
        "name",
        "measure",
        "programme",
        "latest",
        "latest_as_of",
        "target",
        "path_value",
        "progress_pct",
        "status",
        "is_example",
    }


@pytest.mark.parametrize("count", [1, 12])
def test_progress_rows_takes_three_queries_whatever_the_number(
    world, count, django_assert_num_queries
):
    for n in range(count):
        indicator = make_indicator(world, name=f"Chỉ tiêu {n}")
        Target.objects.create(indicator=indicator, year=2026, value=D(200))
        Measurement.objects.create(
            indicator=indicator, as_of=date(2026, 3, 1), value=D(120), source="s"
        )
    with django_assert_num_queries(3):
        rows = progress.progress_rows(Indicator.objects.all(), date(2026, 6, 1))
    assert len(rows) == count
