"""Builders for reporting tests: a saved plan with one monthly period, and logged activities.

rw = reporting_world(world)
rw.plan          # the saved sample plan (1 topic; cell1 and cell2 have duties)
rw.topic         # its one topic
rw.period        # "Tháng 5/2026": 01/05/2026–31/05/2026, reports due 15/06/2026
rw.report1       # cell1's DRAFT UnitReport for the period
rw.report2       # cell2's DRAFT UnitReport for the period
log(world.cell1, world.secretary, date(2026, 5, 10), plan=rw.plan, participants=30)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kehoach.activities.activity_services import log_activity
from kehoach.activities.models import Activity, Channel
from kehoach.plans import services as plan_services
from kehoach.plans.models import Plan, Topic
from kehoach.plans.tests.builders import stage
from kehoach.reports.models import PeriodKind, ReportingPeriod, ReportStatus, UnitReport

MAY_START = date(2026, 5, 1)
MAY_END = date(2026, 5, 31)
MAY_DUE = date(2026, 6, 15)


@dataclass
class ReportingWorld:
    plan: Plan
    topic: Topic
    period: ReportingPeriod
    report1: UnitReport
    report2: UnitReport


def saved_plan(world) -> Plan:
    """The sample plan of kehoach.plans.tests.builders, saved by the coordinator."""
    return plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )


def make_period(
    plan: Plan,
    *,
    kind: str = PeriodKind.MONTH,
    label: str = "Tháng 5/2026",
    start: date = MAY_START,
    end: date = MAY_END,
    due_date: date = MAY_DUE,
    units=(),
) -> ReportingPeriod:
    period = ReportingPeriod.objects.create(
        plan=plan, kind=kind, label=label, start=start, end=end, due_date=due_date
    )
    for unit in units:
        UnitReport.objects.create(period=period, unit=unit, status=ReportStatus.DRAFT)
    return period


def reporting_world(world) -> ReportingWorld:
    plan = saved_plan(world)
    period = make_period(plan, units=[world.cell1, world.cell2])
    return ReportingWorld(
        plan=plan,
        topic=plan.topics.get(),
        period=period,
        report1=UnitReport.objects.get(period=period, unit=world.cell1),
        report2=UnitReport.objects.get(period=period, unit=world.cell2),
    )


def log(unit, user, day: date, **kwargs) -> Activity:
    """One activity logged by `user` for `unit` on `day`; channel defaults to a meeting."""
    kwargs.setdefault("channel", Channel.MEETING)
    return log_activity(actor=user, unit=unit, date=day, **kwargs)
