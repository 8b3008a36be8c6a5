"""Records for the dashboard tests, made with the ORM (dates chosen freely)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from kehoach.activities.models import (
    Activity,
    ActivityAudience,
    ActivityTopic,
    Audience,
    Channel,
    Task,
    TaskStatus,
)
from kehoach.plans import services as plan_services
from kehoach.plans.models import Topic
from kehoach.plans.tests.builders import stage


def saved_plan(world):
    plan = plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )
    Topic.objects.create(plan=plan, order=5, title="Chủ đề <b>thứ hai</b> & khác")
    return plan


def spread(world, plan, n: int, seed: int = 1) -> list[Activity]:
    """`n` activities over cell1, cell2, the committee and (without the plan) other_cell."""
    rng = random.Random(seed)
    topics = list(Topic.objects.filter(plan=plan))
    units = [world.cell1, world.cell2, world.committee]
    made = []
    for i in range(n):
        outside = i % 7 == 6
        activity = Activity.objects.create(
            unit=world.other_cell if outside else rng.choice(units),
            plan=None if outside else plan,
            date=date(2026, 1, 1) + timedelta(days=rng.randrange(330)),
            channel=rng.choice(Channel.values),
            participants=rng.randrange(50),
            listeners=rng.randrange(50),
            views=rng.randrange(50),
        )
        if not outside:
            for topic in rng.sample(topics, rng.choice((1, 2))):
                ActivityTopic.objects.create(activity=activity, topic=topic)
        for audience in rng.sample(Audience.values, rng.choice((0, 1, 2))):
            ActivityAudience.objects.create(activity=activity, audience=audience)
        made.append(activity)
    return made


def overdue_tasks(world, plan) -> None:
    old = date(2020, 1, 1)
    for unit, status in (
        (world.cell1, TaskStatus.OPEN),
        (world.cell1, TaskStatus.OPEN),
        (world.cell2, TaskStatus.OPEN),
        (world.cell2, TaskStatus.DONE),
        (world.committee, TaskStatus.CANCELLED),
        (world.other_cell, TaskStatus.OPEN),
    ):
        Task.objects.create(
            plan=plan,
            unit=unit,
            title="Việc",
            due_date=old,
            status=status,
        )
    Task.objects.create(
        plan=plan, unit=world.cell1, title="Chưa đến hạn", due_date=date(2099, 1, 1)
    )
