from collections import Counter
from datetime import UTC, date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kehoach.activities.models import Activity, ActivityAudience, ActivityTopic
from kehoach.dashboard.figures import Filters, dashboard, quarter_range
from kehoach.dashboard.tests.builders import overdue_tasks, saved_plan, spread
from kehoach.plans.models import Topic

pytestmark = pytest.mark.django_db

YEAR = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def figures(user, **params):
    return dashboard(Filters.from_params(user, {**YEAR, **params}, today=date(2026, 6, 15)))


def _visible(world, plan, units):
    return Activity.objects.filter(unit__in=units, plan=plan, deleted_at__isnull=True)


def test_a_quarter_covers_its_three_months():
    assert quarter_range("2026-Q2") == (date(2026, 4, 1), date(2026, 6, 30))
    assert quarter_range("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_range("2026-Q5") is None


def test_activity_figures_equal_counts_from_the_records(world):
    plan = saved_plan(world)
    spread(world, plan, 60)
    Activity.objects.filter(pk=Activity.objects.filter(plan=plan).first().pk).update(
        deleted_at="2026-02-01T00:00:00Z"
    )
    data = figures(world.coordinator, plan=str(plan.pk))
    mine = _visible(world, plan, [world.cell1, world.cell2, world.committee])
    assert data["activities"]["total"] == mine.count()
    channels = Counter(mine.values_list("channel", flat=True))
    assert {r["channel"]: r["activities"] for r in data["activities"]["by_channel"]} == {
        code: channels.get(code, 0) for code in dict(data_channels(data))
    }
    over_time = data["activities"]["over_time"]
    assert over_time["step"] == "month"
    assert sum(b["total"] for b in over_time["buckets"]) == mine.count()
    march = mine.filter(date__gte=date(2026, 3, 1), date__lte=date(2026, 3, 31)).count()
    assert over_time["buckets"][2]["total"] == march
    for row in data["activities"]["by_topic"]:
        linked = mine.filter(topic_links__topic_id=row["topic_id"])
        assert row["activities"] == linked.count()
        assert row["reached"] == sum(a.participants + a.listeners + a.views for a in linked)
    for row in data["activities"]["by_audience"]:
        links = ActivityAudience.objects.filter(activity__in=mine, audience=row["audience"])
        assert row["activities"] == links.count()
        assert row["reached"] == sum(link.activity.reached for link in links)
    heat = data["heat_map"]
    for row in heat["rows"]:
        for topic, count in zip(heat["topics"], row["cells"], strict=True):
            expected = ActivityTopic.objects.filter(
                activity__in=mine, activity__unit_id=row["unit_id"], topic_id=topic["topic_id"]
            ).count()
            assert count == expected


def data_channels(data):
    return [(r["channel"], r["label"]) for r in data["activities"]["by_channel"]]


def test_a_short_range_is_counted_per_week(world):
    plan = saved_plan(world)
    spread(world, plan, 40)
    data = figures(
        world.coordinator, plan=str(plan.pk), date_from="2026-04-01", date_to="2026-04-30"
    )
    mine = _visible(world, plan, [world.cell1, world.cell2, world.committee]).filter(
        date__gte=date(2026, 4, 1), date__lte=date(2026, 4, 30)
    )
    assert data["activities"]["over_time"]["step"] == "week"
    assert data["activities"]["total"] == mine.count()
    first = data["activities"]["over_time"]["buckets"][0]
    assert first["total"] == mine.filter(date__lte=first["end"]).count()


def test_a_cell_head_sees_only_their_cell(world):
    plan = saved_plan(world)
    spread(world, plan, 50)
    overdue_tasks(world, plan)
    data = figures(world.secretary, plan=str(plan.pk))
    assert data["activities"]["total"] == _visible(world, plan, [world.cell1]).count()
    assert {r["unit_id"] for r in data["heat_map"]["rows"]} == {world.cell1.pk}
    assert data["tasks_overdue"]["total"] == 2
    assert [r["unit_id"] for r in data["tasks_overdue"]["units"]] == [world.cell1.pk]


def test_the_unit_filter_narrows_to_the_subtree(world):
    plan = saved_plan(world)
    spread(world, plan, 50)
    data = figures(world.coordinator, plan=str(plan.pk), unit=str(world.cell2.pk))
    assert data["activities"]["total"] == _visible(world, plan, [world.cell2]).count()


def test_an_outsider_sees_nothing_of_le_chan(world):
    plan = saved_plan(world)
    spread(world, plan, 30)
    overdue_tasks(world, plan)
    data = figures(world.outsider, plan="all")
    theirs = Activity.objects.filter(unit=world.other_cell)
    assert data["activities"]["total"] == theirs.count()
    assert data["tasks_overdue"]["total"] == 1
    with pytest.raises(Http404):
        figures(world.outsider, plan=str(plan.pk))
    with pytest.raises(Http404):
        figures(world.outsider, unit=str(world.cell1.pk))


def test_a_cell_head_cannot_pick_another_cell(world):
    with pytest.raises(Http404):
        figures(world.secretary, unit=str(world.cell2.pk))


def test_tasks_overdue_count_only_open_tasks_past_due(world):
    plan = saved_plan(world)
    overdue_tasks(world, plan)
    data = figures(world.coordinator, plan=str(plan.pk))
    assert data["tasks_overdue"]["total"] == 3
    assert {r["unit_id"]: r["overdue"] for r in data["tasks_overdue"]["units"]} == {
        world.cell1.pk: 2,
        world.cell2.pk: 1,
    }


def test_report_completeness_counts_each_state(world):
    from datetime import datetime

    from kehoach.reports.models import ReportingPeriod, UnitReport

    plan = saved_plan(world)
    period = ReportingPeriod.objects.create(
        plan=plan,
        kind="quarter",
        label="Quý I",
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        due_date=date(2026, 3, 20),
    )
    UnitReport.objects.create(
        period=period,
        unit=world.cell1,
        first_submitted_at=datetime(2026, 3, 10, tzinfo=UTC),
    )
    UnitReport.objects.create(
        period=period,
        unit=world.cell2,
        first_submitted_at=datetime(2026, 3, 25, tzinfo=UTC),
    )
    UnitReport.objects.create(period=period, unit=world.committee)
    data = figures(world.coordinator, plan=str(plan.pk))
    row = data["completeness"]["periods"][0]
    assert (row["expected"], row["on_time"], row["late"], row["missing"]) == (3, 1, 1, 1)
    mine = figures(world.secretary, plan=str(plan.pk))["completeness"]["periods"][0]
    assert (mine["expected"], mine["on_time"]) == (1, 1)


def test_a_period_sets_the_date_range(world):
    from kehoach.reports.models import ReportingPeriod

    plan = saved_plan(world)
    period = ReportingPeriod.objects.create(
        plan=plan,
        kind="quarter",
        label="Quý II",
        start=date(2026, 4, 1),
        end=date(2026, 6, 30),
        due_date=date(2026, 7, 5),
    )
    f = Filters.from_params(world.coordinator, {"plan": str(plan.pk), "period": str(period.pk)})
    assert (f.start, f.end) == (date(2026, 4, 1), date(2026, 6, 30))
    f = Filters.from_params(world.coordinator, {"quy": "2026-Q3"})
    assert (f.start, f.end) == (date(2026, 7, 1), date(2026, 9, 30))


def test_the_query_count_does_not_grow_with_the_data(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = saved_plan(world)
    spread(world, plan, 5, seed=3)

    def count() -> int:
        # A fresh user object, as each request has: what is memoised on it is read again.
        from kehoach.accounts.models import User

        viewer = User.objects.get(pk=world.coordinator.pk)
        with CaptureQueriesContext(connection) as ctx:
            figures(viewer, plan=str(plan.pk))
        return len(ctx.captured_queries)

    small = count()
    spread(world, plan, 80, seed=4)
    overdue_tasks(world, plan)
    Topic.objects.create(plan=plan, order=9, title="Thêm")
    assert count() == small


def test_people_without_a_dashboard_role_are_refused(world):
    from kehoach.accounts.models import Membership, Role
    from kehoach.core.testing import make_user

    officer = make_user("canbo", unit=world.cell1, role=Role.OFFICER)
    assert Membership.objects.filter(user=officer).exists()
    with pytest.raises(PermissionDenied):
        figures(officer)


@pytest.mark.parametrize(
    "date_from, date_to",
    [
        ("2026-01-01", "2026-12-31"),  # whole months: tallies alone
        ("2026-04-01", "2026-06-30"),  # a quarter, drawn per week
        ("2026-01-15", "2026-11-20"),  # partial months at both edges
        ("2025-12-10", "2026-05-31"),  # across the new year, partial first month
        ("2026-03-01", "2026-08-17"),  # partial last month
        ("2026-02-03", "2026-02-20"),  # no whole month at all
    ],
)
def test_tallies_give_the_figures_the_activities_give(world, date_from, date_to):
    from kehoach.dashboard import tallies

    plan = saved_plan(world)
    spread(world, plan, 120, seed=7)
    tallies.flush()
    start, end = date.fromisoformat(date_from), date.fromisoformat(date_to)
    cases = [
        (world.coordinator, {"plan": str(plan.pk)}, plan),
        (world.coordinator, {"plan": "all"}, None),
        (world.coordinator, {"plan": str(plan.pk), "unit": str(world.cell2.pk)}, plan),
        (world.secretary, {"plan": str(plan.pk)}, plan),
        (world.outsider, {"plan": "all"}, None),
    ]
    for user, params, chosen in cases:
        params = {**params, "date_from": date_from, "date_to": date_to}
        read = Filters.from_params(user, params, today=date(2026, 6, 15))
        fast = dashboard(read)
        recount = Filters.from_params(user, params, today=date(2026, 6, 15))
        recount.use_tallies = False
        slow = dashboard(recount)
        assert fast["activities"] == slow["activities"], (user, params)
        assert fast["heat_map"] == slow["heat_map"]
        records = Activity.objects.for_user(user).filter(date__gte=start, date__lte=end)
        if chosen is not None:
            records = records.filter(plan=chosen)
        if "unit" in params:
            records = records.filter(unit=world.cell2)
        assert fast["activities"]["total"] == records.count()
        assert [r["reached"] for r in fast["activities"]["by_audience"]] == [
            sum(a.reached for a in records.filter(audiences__audience=code).distinct())
            for code in [r["audience"] for r in fast["activities"]["by_audience"]]
        ]
