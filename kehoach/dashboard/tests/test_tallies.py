"""The monthly tallies stay equal to the records, whatever changes them and however."""

from __future__ import annotations

import io
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from kehoach.activities import activity_services as services
from kehoach.activities.models import Activity, ActivityAudience, ActivityTopic, Audience, Channel
from kehoach.dashboard import tallies
from kehoach.dashboard.models import AudienceTally, ChannelTally, TopicTally
from kehoach.dashboard.tests.builders import saved_plan, spread
from kehoach.plans.models import Plan, Topic

pytestmark = pytest.mark.django_db


def stored() -> dict[str, Counter]:
    """Every tally row, as {(unit, plan, month, item): (activities, reached)}."""
    return {
        "channel": {
            (r.unit_id, r.plan_id, r.month, r.channel): (r.activities, r.reached)
            for r in ChannelTally.objects.all()
        },
        "topic": {
            (r.unit_id, r.plan_id, r.month, r.topic_id): (r.activities, r.reached)
            for r in TopicTally.objects.all()
        },
        "audience": {
            (r.unit_id, r.plan_id, r.month, r.audience): (r.activities, r.reached)
            for r in AudienceTally.objects.all()
        },
    }


def counted() -> dict[str, dict]:
    """The same, counted in Python from the records: independent of the SQL."""
    result: dict[str, dict] = {"channel": {}, "topic": {}, "audience": {}}

    def add(table: str, key: tuple, reached: int) -> None:
        n, total = result[table].get(key, (0, 0))
        result[table][key] = (n + 1, total + reached)

    alive = {a.pk: a for a in Activity.objects.filter(deleted_at__isnull=True)}
    for a in alive.values():
        add("channel", (a.unit_id, a.plan_id, a.date.replace(day=1), a.channel), a.reached)
    for link in ActivityTopic.objects.filter(activity_id__in=alive):
        a = alive[link.activity_id]
        add("topic", (a.unit_id, a.plan_id, a.date.replace(day=1), link.topic_id), a.reached)
    for link in ActivityAudience.objects.filter(activity_id__in=alive):
        a = alive[link.activity_id]
        add("audience", (a.unit_id, a.plan_id, a.date.replace(day=1), link.audience), a.reached)
    return result


def second_plan(world) -> Plan:
    plan = Plan.objects.create(unit=world.ward, title="tuyên truyền bầu cử", status="issued")
    Topic.objects.create(plan=plan, order=1, title="Bầu cử đại biểu")
    Topic.objects.create(plan=plan, order=2, title="Chuyển đổi số")
    return plan


def test_whole_months_and_edges_split_a_range():
    assert tallies.whole_months(date(2026, 1, 1), date(2026, 12, 31)) == (
        date(2026, 1, 1),
        date(2026, 12, 1),
    )
    months = tallies.whole_months(date(2026, 1, 15), date(2026, 3, 30))
    assert months == (date(2026, 2, 1), date(2026, 2, 1))
    assert tallies.edges(date(2026, 1, 15), date(2026, 3, 30), months) == [
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 3, 1), date(2026, 3, 30)),
    ]
    assert tallies.whole_months(date(2026, 2, 2), date(2026, 2, 27)) is None
    assert tallies.edges(date(2026, 2, 2), date(2026, 2, 27), None) == [
        (date(2026, 2, 2), date(2026, 2, 27))
    ]
    assert tallies.whole_months(date(2025, 12, 1), date(2026, 2, 28)) == (
        date(2025, 12, 1),
        date(2026, 2, 1),
    )
    assert tallies.edges(date(2026, 4, 1), date(2026, 6, 30), months=(date(2026, 4, 1),) * 2) == [
        (date(2026, 5, 1), date(2026, 6, 30))
    ]


def test_a_random_series_of_changes_through_the_services_keeps_the_tallies_exact(
    world, django_capture_on_commit_callbacks
):
    plan, other = saved_plan(world), second_plan(world)
    topics = {p.pk: list(Topic.objects.filter(plan=p)) for p in (plan, other)}
    rng = random.Random(58)
    units = [world.cell1, world.cell2, world.committee]
    start = date(2025, 1, 1)
    made: list[Activity] = []

    def pick_plan():
        return rng.choice([plan, other, None])

    def some_topics(p):
        return rng.sample(topics[p.pk], rng.choice((0, 1, 2))) if p else []

    for step in range(120):
        action = rng.choice(["log"] * 3 + ["edit"] * 4 + ["delete", "restore", "links"])
        if action == "log" or not made:
            p = pick_plan()
            with django_capture_on_commit_callbacks(execute=True):
                made.append(
                    services.log_activity(
                        actor=world.coordinator,
                        unit=rng.choice(units),
                        date=start + timedelta(days=rng.randrange(540)),
                        channel=rng.choice(Channel.values),
                        plan=p,
                        topics=some_topics(p),
                        audiences=rng.sample(Audience.values, rng.choice((0, 1, 2))),
                        participants=rng.randrange(100),
                        listeners=rng.randrange(100),
                        views=rng.randrange(100),
                    )
                )
            continue
        activity = Activity.objects.get(pk=rng.choice(made).pk)
        with django_capture_on_commit_callbacks(execute=True):
            if action == "delete":
                services.delete_activity(actor=world.coordinator, activity=activity)
            elif action == "restore":
                services.restore_activity(actor=world.coordinator, activity=activity)
            elif activity.deleted_at is not None:
                continue
            elif action == "links":
                p = activity.plan
                services.update_activity(
                    actor=world.coordinator,
                    activity=activity,
                    changes={
                        "topics": some_topics(p),
                        "audiences": rng.sample(Audience.values, rng.choice((0, 1, 3))),
                    },
                )
            else:
                changes = rng.choice(
                    [
                        {"date": start + timedelta(days=rng.randrange(540))},
                        {"channel": rng.choice(Channel.values)},
                        {"plan": pick_plan()},
                        {"participants": rng.randrange(500), "views": rng.randrange(9)},
                        {
                            "date": start + timedelta(days=rng.randrange(540)),
                            "plan": pick_plan(),
                            "listeners": rng.randrange(50),
                        },
                    ]
                )
                services.update_activity(
                    actor=world.coordinator, activity=activity, changes=changes
                )
        if step % 30 == 29:
            assert stored() == counted(), f"after step {step}"
    assert sum(n for n, _ in stored()["topic"].values()) > 8
    assert stored() == counted()
    tallies.rebuild()
    assert stored() == counted()
    assert_coverage_reads_the_same(world, [plan, other])


def _matrix(result) -> dict:
    return {
        name: [
            (row.unit.pk, row.total.activities, row.total.reached)
            + tuple((c.activities, c.reached) for c in row.cells)
            for row in table.rows
        ]
        + [tuple((c.activities, c.reached) for c in table.totals)]
        for name, table in (("topics", result.topics), ("channels", result.channels))
    }


def assert_coverage_reads_the_same(world, plans) -> None:
    """The coverage matrix read from the tallies equals the one counted from the records,
    for everyone who may see it."""
    from django.core.exceptions import PermissionDenied

    from kehoach.activities.coverage import coverage

    compared, counted_cells = 0, 0
    for person in (world.coordinator, world.secretary, world.secretary2, world.admin):
        for p in plans:
            try:
                from_tallies = _matrix(coverage(p, person, use_tallies=True))
            except PermissionDenied:
                continue
            assert from_tallies == _matrix(coverage(p, person, use_tallies=False)), person
            counted_cells += sum(1 for row in from_tallies["channels"][:-1] if row[1])
            compared += 1
    assert compared >= 3 and counted_cells >= 4


def test_logging_with_topics_and_audiences_recomputes_once_after_the_commit(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    plan = saved_plan(world)
    calls = []
    real = tallies.recompute
    monkeypatch.setattr(
        tallies, "recompute", lambda keys, **kw: calls.append(set(keys)) or real(keys, **kw)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.log_activity(
            actor=world.secretary,
            unit=world.cell1,
            date=date(2026, 3, 9),
            channel="meeting",
            plan=plan,
            topics=list(Topic.objects.filter(plan=plan))[:2],
            audiences=["party_members", "people"],
            participants=40,
        )
    assert calls == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert calls == [{(world.cell1.pk, date(2026, 3, 1))}]
    assert stored() == counted()


def test_moving_an_activity_to_another_month_recomputes_both_months(
    world, django_capture_on_commit_callbacks
):
    plan = saved_plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.log_activity(
            actor=world.secretary,
            unit=world.cell1,
            date=date(2026, 1, 20),
            channel="social",
            plan=plan,
            audiences=["youth"],
            views=300,
        )
    assert ChannelTally.objects.get(month=date(2026, 1, 1)).reached == 300
    with django_capture_on_commit_callbacks(execute=True):
        services.update_activity(
            actor=world.secretary, activity=activity, changes={"date": date(2026, 3, 2)}
        )
    assert not ChannelTally.objects.filter(month=date(2026, 1, 1)).exists()
    assert not AudienceTally.objects.filter(month=date(2026, 1, 1)).exists()
    assert AudienceTally.objects.get(month=date(2026, 3, 1)).activities == 1


def test_a_soft_deleted_activity_leaves_the_tallies_and_a_restored_one_returns(
    world, django_capture_on_commit_callbacks
):
    plan = saved_plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.log_activity(
            actor=world.secretary,
            unit=world.cell1,
            date=date(2026, 2, 3),
            channel="oral",
            plan=plan,
            topics=list(Topic.objects.filter(plan=plan))[:1],
            participants=12,
        )
    assert TopicTally.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_activity(actor=world.secretary, activity=activity)
    assert not ChannelTally.objects.exists() and not TopicTally.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.restore_activity(actor=world.secretary, activity=activity)
    assert stored() == counted() and TopicTally.objects.get().reached == 12


def test_locking_and_evidence_time_stamps_recompute_nothing(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    plan = saved_plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.log_activity(
            actor=world.secretary,
            unit=world.cell1,
            date=date(2026, 2, 3),
            channel="oral",
            plan=plan,
        )
    calls = []
    monkeypatch.setattr(tallies, "recompute", lambda keys, **kw: calls.append(keys))
    with django_capture_on_commit_callbacks(execute=True):
        services.add_evidence(actor=world.secretary, activity=activity, url="https://example.vn/a")
        services.lock_activities(
            actor=world.coordinator, unit=world.cell1, start=date(2026, 2, 1), end=date(2026, 2, 28)
        )
    assert calls == []


def test_a_hard_delete_and_a_deleted_plan_are_counted_again(
    world, django_capture_on_commit_callbacks
):
    plan = saved_plan(world)
    other = second_plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        kept = services.log_activity(
            actor=world.coordinator,
            unit=world.cell2,
            date=date(2026, 5, 5),
            channel="portal",
            plan=other,
            topics=list(Topic.objects.filter(plan=other)),
            views=7,
        )
        gone = services.log_activity(
            actor=world.coordinator,
            unit=world.cell2,
            date=date(2026, 5, 6),
            channel="portal",
            plan=plan,
            audiences=["workers"],
            views=9,
        )
    with django_capture_on_commit_callbacks(execute=True):
        Activity.objects.get(pk=gone.pk).delete()
    assert stored() == counted()
    with django_capture_on_commit_callbacks(execute=True):
        Plan.objects.get(pk=other.pk).delete()
    kept.refresh_from_db()
    assert kept.plan_id is None
    assert stored() == counted()
    assert ChannelTally.objects.get().plan_id is None and not TopicTally.objects.exists()


def test_a_read_in_the_same_transaction_sees_its_own_writes(world):
    plan = saved_plan(world)
    spread(world, plan, 25)  # plain ORM saves inside the test's transaction: nothing committed
    assert not ChannelTally.objects.exists()
    tallies.flush()
    assert stored() == counted()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_the_tallies_as_they_were(world):
    plan = saved_plan(world)
    entry = {
        "actor": world.secretary,
        "unit": world.cell1,
        "channel": "meeting",
        "plan": plan,
        "audiences": ["people"],
        "participants": 5,
    }
    services.log_activity(date=date(2026, 4, 1), **entry)  # committed: recomputed at once
    before = stored()
    assert before == counted() and before["channel"]
    with pytest.raises(ValidationError), transaction.atomic():
        services.log_activity(date=date(2026, 4, 2), **entry)
        raise ValidationError("no")
    assert stored() == before
    # The next transaction collects its own marks (the rolled-back collector is gone).
    services.log_activity(date=date(2026, 6, 1), **entry)
    assert stored() == counted()
    with transaction.atomic():
        services.log_activity(date=date(2026, 7, 1), **entry)
        try:
            with transaction.atomic():
                services.log_activity(date=date(2026, 8, 1), **entry)
                raise ValidationError("no")
        except ValidationError:
            pass
        services.log_activity(date=date(2026, 9, 1), **entry)
    assert stored() == counted()
    assert {k[2] for k in stored()["channel"]} == {date(2026, m, 1) for m in (4, 6, 7, 9)}


def test_bulk_loads_call_rebuild_and_the_command_does_it_too(world):
    plan = saved_plan(world)
    made = Activity.objects.bulk_create(
        Activity(unit=world.cell1, plan=plan, date=date(2026, 1, d), channel="visual", views=d)
        for d in range(1, 11)
    )
    ActivityAudience.objects.bulk_create(
        ActivityAudience(activity=a, audience="people") for a in made
    )
    assert not ChannelTally.objects.exists()  # bulk_create sends no signal
    counts = tallies.rebuild()
    assert counts == {"channel": 1, "topic": 0, "audience": 1}
    assert stored() == counted()
    Activity.objects.filter(pk=made[0].pk).update(deleted_at=timezone.now())
    call_command("rebuild_tallies", stdout=io.StringIO())
    assert ChannelTally.objects.get().activities == 9


def test_a_person_reads_only_the_tallies_of_their_units(world):
    plan = saved_plan(world)
    spread(world, plan, 40)
    tallies.flush()
    mine = ChannelTally.objects.for_user(world.secretary)
    assert set(mine.values_list("unit_id", flat=True)) == {world.cell1.pk}
    assert not ChannelTally.objects.for_user(world.outsider).filter(unit=world.cell1).exists()
    assert ChannelTally.objects.for_user(world.admin).count() == ChannelTally.objects.count()
