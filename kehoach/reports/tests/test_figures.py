from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from kehoach.accounts.models import Membership, Role
from kehoach.activities import activity_services
from kehoach.activities.models import OUTPUT_FIELDS, Audience, Channel, Task, TaskStatus
from kehoach.core.testing import make_unit, make_user
from kehoach.plans.models import Plan, Topic
from kehoach.reports.figures import activity_link, figures_for_units, unit_figures
from kehoach.reports.tests.builders import log, reporting_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 26)


@pytest.fixture
def rw(world):
    return reporting_world(world)


def _topic(figures, topic):
    return next(row for row in figures["by_topic"] if row["topic_id"] == topic.pk)


def _channel(figures, code):
    return next(row for row in figures["by_channel"] if row["channel"] == code)


def _audience(figures, code):
    return next(row for row in figures["by_audience"] if row["audience"] == code)


def test_figures_of_a_unit_without_activities_are_zeros_with_every_row_present(world, rw):
    figures = unit_figures(world.cell1, rw.period)
    assert figures["activities"] == 0
    assert figures["reached"] == 0
    assert set(figures["outputs"]) == set(OUTPUT_FIELDS)
    assert [row["topic_id"] for row in figures["by_topic"]] == [rw.topic.pk]
    assert [row["channel"] for row in figures["by_channel"]] == list(Channel.values)
    assert [row["audience"] for row in figures["by_audience"]] == list(Audience.values)


def test_figures_sum_the_units_activities_of_the_period_by_topic_channel_and_audience(world, rw):
    log(
        world.cell1,
        world.secretary,
        date(2026, 5, 3),
        plan=rw.plan,
        topics=[rw.topic],
        audiences=[Audience.PARTY_MEMBERS, Audience.PEOPLE],
        participants=30,
        listeners=5,
        meetings=1,
    )
    log(
        world.cell1,
        world.secretary,
        date(2026, 5, 31),
        plan=rw.plan,
        channel=Channel.LOUDSPEAKER,
        listeners=200,
        broadcasts=3,
        broadcast_minutes=45,
    )
    figures = unit_figures(world.cell1, rw.period)
    assert figures["activities"] == 2
    assert figures["reach"] == {"participants": 30, "listeners": 205, "views": 0}
    assert figures["reached"] == 235
    assert figures["outputs"]["meetings"] == 1
    assert figures["outputs"]["broadcasts"] == 3
    assert figures["outputs"]["broadcast_minutes"] == 45
    assert _topic(figures, rw.topic) == {
        "topic_id": rw.topic.pk,
        "order": rw.topic.order,
        "title": rw.topic.title,
        "activities": 1,
        "reached": 35,
    }
    assert _channel(figures, Channel.MEETING) == {
        "channel": "meeting",
        "activities": 1,
        "reached": 35,
    }
    assert _channel(figures, Channel.LOUDSPEAKER)["reached"] == 200
    assert _audience(figures, Audience.PEOPLE) == {
        "audience": "people",
        "activities": 1,
        "reached": 35,
    }
    assert _audience(figures, Audience.YOUTH)["activities"] == 0


def test_deleted_out_of_period_other_plan_and_other_unit_activities_are_left_out(world, rw):
    kept = log(world.cell1, world.secretary, date(2026, 5, 15), plan=rw.plan, participants=1)
    deleted = log(world.cell1, world.secretary, date(2026, 5, 15), plan=rw.plan, participants=10)
    activity_services.delete_activity(actor=world.secretary, activity=deleted)
    log(world.cell1, world.secretary, date(2026, 4, 30), plan=rw.plan, participants=100)
    log(world.cell1, world.secretary, date(2026, 6, 1), plan=rw.plan, participants=1000)
    log(world.cell1, world.secretary, date(2026, 5, 15), participants=10_000)  # no plan
    log(world.cell2, world.secretary2, date(2026, 5, 15), plan=rw.plan, participants=100_000)
    figures = unit_figures(world.cell1, rw.period)
    assert figures["activities"] == 1
    assert figures["reach"]["participants"] == kept.participants == 1


def test_the_units_own_activities_count_not_those_of_units_under_it(world, rw):
    group = make_unit("Tổ đảng 1", parent=world.cell1)
    log(group, world.secretary, date(2026, 5, 15), plan=rw.plan, participants=7)
    assert unit_figures(world.cell1, rw.period)["activities"] == 0
    assert unit_figures(group, rw.period)["activities"] == 1


def test_sub_plan_topics_count_under_the_parent_topic_of_the_same_order(world, rw):
    sub = Plan.objects.create(unit=world.cell1, title="Kế hoạch của chi bộ", parent=rw.plan)
    Topic.objects.create(plan=sub, order=rw.topic.order + 5, title="Không khớp")
    sub_topic = Topic.objects.create(plan=sub, order=rw.topic.order, title="Chỉ thị 58 ở chi bộ")
    log(
        world.cell1,
        world.secretary,
        date(2026, 5, 10),
        plan=sub,
        topics=[sub_topic],
        participants=12,
    )
    figures = unit_figures(world.cell1, rw.period)
    assert figures["activities"] == 1
    assert [row["topic_id"] for row in figures["by_topic"]] == [rw.topic.pk]
    assert _topic(figures, rw.topic)["activities"] == 1
    assert _topic(figures, rw.topic)["reached"] == 12


def test_an_activity_of_an_unrelated_plan_is_not_counted_even_if_its_topic_order_matches(world, rw):
    other = Plan.objects.create(unit=world.ward, title="Kế hoạch khác")
    topic = Topic.objects.create(plan=other, order=rw.topic.order, title="Khác")
    log(world.cell1, world.coordinator, date(2026, 5, 10), plan=other, topics=[topic])
    figures = unit_figures(world.cell1, rw.period)
    assert figures["activities"] == 0
    assert _topic(figures, rw.topic)["activities"] == 0


def _task(world, rw, unit, **fields):
    return Task.objects.create(plan=rw.plan, unit=unit, title="Việc", **fields)


def test_task_states_count_tasks_due_in_the_period_or_undated_overlapping_it(world, rw):
    cell = world.cell1
    _task(
        world,
        rw,
        cell,
        due_date=date(2026, 5, 20),
        status=TaskStatus.DONE,
        done_at=datetime(2026, 5, 19, 9, tzinfo=TZ),
    )
    _task(
        world,
        rw,
        cell,
        due_date=date(2026, 5, 20),
        status=TaskStatus.DONE,
        done_at=datetime(2026, 5, 25, 9, tzinfo=TZ),
    )
    _task(world, rw, cell, due_date=date(2026, 5, 21))  # open, past its date: overdue
    _task(world, rw, cell, due_date=date(2026, 5, 22), status=TaskStatus.CANCELLED)
    _task(world, rw, cell)  # no date, no period: open, pending
    _task(world, rw, cell, period_start=date(2026, 5, 1), period_end=date(2026, 5, 31))
    _task(world, rw, cell, due_date=date(2026, 6, 15))  # due after the period: not counted
    _task(world, rw, cell, period_start=date(2026, 6, 1), period_end=date(2026, 6, 30))
    _task(world, rw, world.cell2, due_date=date(2026, 5, 20))  # another unit
    tasks = unit_figures(cell, rw.period, today=TODAY)["tasks"]
    assert tasks == {
        "total": 6,
        "done_on_time": 1,
        "done_late": 1,
        "pending": 2,
        "overdue": 1,
        "cancelled": 1,
    }


def test_an_open_task_still_within_its_deadline_is_pending(world, rw):
    _task(world, rw, world.cell1, due_date=date(2026, 5, 20))
    assert unit_figures(world.cell1, rw.period, today=date(2026, 5, 10))["tasks"]["pending"] == 1
    assert unit_figures(world.cell1, rw.period, today=date(2026, 5, 21))["tasks"]["overdue"] == 1


def _many_units(world, rw, count, first=0):
    units = []
    for i in range(first, first + count):
        unit = make_unit(f"Chi bộ {i + 10}", parent=world.ward)
        make_user(f"cb{i + 10}", unit=unit, role=Role.HEAD)
        log(
            unit,
            world.coordinator,
            date(2026, 5, 10),
            plan=rw.plan,
            topics=[rw.topic],
            audiences=[Audience.PEOPLE],
            participants=i,
        )
        Task.objects.create(plan=rw.plan, unit=unit, title="Việc", due_date=date(2026, 5, 20))
        units.append(unit)
    return units


def test_figures_for_many_units_take_the_same_number_of_queries_for_2_and_20_units(
    world, rw, django_assert_num_queries
):
    few = _many_units(world, rw, 2)
    many = few + _many_units(world, rw, 18, first=2)
    with django_assert_num_queries(6):
        small = figures_for_units(few, rw.period)
    with django_assert_num_queries(6):
        large = figures_for_units(many, rw.period)
    assert len(small) == 2 and len(large) == 20
    assert large[many[19].pk]["reach"]["participants"] == 19
    assert large[many[19].pk]["tasks"]["total"] == 1
    assert all(f["by_topic"][0]["activities"] == 1 for f in large.values())


def test_figures_for_units_equal_each_units_own_figures(world, rw):
    log(world.cell1, world.secretary, date(2026, 5, 10), plan=rw.plan, participants=3)
    log(world.cell2, world.secretary2, date(2026, 5, 11), plan=rw.plan, views=9)
    both = figures_for_units([world.cell1, world.cell2], rw.period)
    assert both[world.cell1.pk] == unit_figures(world.cell1, rw.period)
    assert both[world.cell2.pk] == unit_figures(world.cell2, rw.period)
    assert figures_for_units([], rw.period) == {}


def test_the_link_behind_a_figure_filters_the_activities_list(world, rw):
    url = activity_link(world.cell1, rw.period, topic=rw.topic)
    parts = urlsplit(url)
    assert parts.path == "/hoat-dong/"
    assert parse_qs(parts.query) == {
        "unit": [str(world.cell1.pk)],
        "plan": [str(rw.plan.pk)],
        "date_from": ["2026-05-01"],
        "date_to": ["2026-05-31"],
        "topic": [str(rw.topic.pk)],
    }
    assert "channel=loudspeaker" in activity_link(world.cell1, rw.period, channel="loudspeaker")
    assert "audience=youth" in activity_link(world.cell1, rw.period, audience="youth")
    with pytest.raises(TypeError):
        activity_link(world.cell1, rw.period, colour="red")


def test_the_activities_list_behind_a_figure_shows_exactly_the_counted_activities(world, rw):
    from kehoach.core.testing import client_for

    counted = log(world.cell1, world.secretary, date(2026, 5, 10), plan=rw.plan)
    outside = log(world.cell1, world.secretary, date(2026, 6, 10), plan=rw.plan)
    response = client_for(world.secretary).get(activity_link(world.cell1, rw.period))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/hoat-dong/{counted.pk}/" in body
    assert f"/hoat-dong/{outside.pk}/" not in body


def test_figures_are_plain_json(world, rw):
    import json

    log(world.cell1, world.secretary, date(2026, 5, 10), plan=rw.plan, topics=[rw.topic])
    figures = unit_figures(world.cell1, rw.period)
    assert json.loads(json.dumps(figures)) == figures


def test_membership_roles_do_not_change_figures(world, rw):
    # Figures are facts about the unit, whoever reads them.
    Membership.objects.create(user=world.secretary2, unit=world.cell1, role=Role.OFFICER)
    log(world.cell1, world.secretary2, date(2026, 5, 10), plan=rw.plan, participants=4)
    assert unit_figures(world.cell1, rw.period)["reach"]["participants"] == 4
