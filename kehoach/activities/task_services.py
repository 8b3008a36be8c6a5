"""Every change to a task: generation from a plan's duties, marking done, and the
coordinator's add, reassign, extend and cancel. Each is one transaction, audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.accounts import policy
from kehoach.activities import periods
from kehoach.activities.models import Task, TaskStatus
from kehoach.audit.context import acting_as
from kehoach.core.dates import out_of_range
from kehoach.org.models import Unit, UnitKind
from kehoach.plans.models import AssignmentUnit, Duty, Plan


def period_label(period: periods.Period) -> str:
    """The words for a period, e.g. "Tháng 5/2026", "Quý 2/2026", "6 tháng đầu năm 2026"."""
    values = {"number": period.number, "year": period.year}
    if period.kind == periods.MONTH:
        return _("Month %(number)s/%(year)s") % values
    if period.kind == periods.QUARTER:
        return _("Quarter %(number)s/%(year)s") % values
    if period.kind == periods.HALF:
        if period.number == 1:
            return _("First half of %(year)s") % values
        return _("Second half of %(year)s") % values
    if period.kind == periods.YEAR:
        return _("Year %(year)s") % values
    return ""


def generate_tasks(*, actor, plan: Plan, start: date | None = None, end: date | None = None) -> int:
    """Tasks for every duty × assigned unit × period; running it again adds nothing new.

    Outside bodies (no unit in the tree) and retired units get no tasks.
    """
    policy.require(actor, "tasks.manage", plan)
    if start is None:
        start, _end = periods.default_horizon(plan.date, timezone.localdate())
    end = end or date(start.year, 12, 31)
    if start > end:
        raise ValidationError(_("The start of the horizon is after its end."))
    duties = list(Duty.objects.filter(assignment__plan=plan).order_by("assignment__order", "order"))
    targets: dict[int, list[Unit]] = {}
    for target in (
        AssignmentUnit.objects.filter(assignment__plan=plan, unit__is_active=True)
        .exclude(unit__kind=UnitKind.EXTERNAL)
        .select_related("unit")
        .order_by("unit__path")
    ):
        targets.setdefault(target.assignment_id, []).append(target.unit)
    created = 0
    with transaction.atomic(), acting_as(actor):
        # The unique constraint does not hold for a NULL period_start: look up explicitly.
        existing = set(
            Task.objects.filter(plan=plan, duty__isnull=False).values_list(
                "duty_id", "unit_id", "period_start"
            )
        )
        for duty in duties:
            duty_periods = periods.periods_for(
                recurrence=duty.recurrence,
                due_day=duty.due_day,
                due_month=duty.due_month,
                deadline=duty.deadline,
                start=start,
                end=end,
            )
            for unit in targets.get(duty.assignment_id, []):
                for period in duty_periods:
                    key = (duty.pk, unit.pk, period.start)
                    if key in existing:
                        continue
                    Task.objects.create(
                        plan=plan,
                        duty=duty,
                        unit=unit,
                        title=duty.text,
                        period_start=period.start,
                        period_end=period.end,
                        period_label=period_label(period),
                        due_date=period.due,
                        created_by=actor,
                    )
                    existing.add(key)
                    created += 1
    return created


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("unit").get(pk=task.pk)


def _refuse_cancelled(task: Task) -> None:
    if task.status == TaskStatus.CANCELLED:
        raise ValidationError(_("This task has been cancelled."))


def _refuse_closed(task: Task) -> None:
    _refuse_cancelled(task)
    if task.status == TaskStatus.DONE:
        raise ValidationError(_("This task is already done; reopen it first."))


def mark_done(*, actor, task: Task) -> Task:
    policy.require(actor, "tasks.mark_done", task)
    with transaction.atomic(), acting_as(actor):
        task = _locked(task)
        _refuse_cancelled(task)
        if task.status == TaskStatus.DONE:
            raise ValidationError(_("This task is already done."))
        task.status = TaskStatus.DONE
        task.done_at = timezone.now()
        task.done_by = actor
        task.save()
    return task


def reopen(*, actor, task: Task) -> Task:
    policy.require(actor, "tasks.mark_done", task)
    with transaction.atomic(), acting_as(actor):
        task = _locked(task)
        _refuse_cancelled(task)
        if task.status != TaskStatus.DONE:
            raise ValidationError(_("Only a task that is done can be reopened."))
        task.status = TaskStatus.OPEN
        task.done_at = None
        task.done_by = None
        task.save()
    return task


def _check_target(actor, unit: Unit) -> None:
    if unit.kind == UnitKind.EXTERNAL:
        raise ValidationError(_("Tasks go to units in the tree, not to outside bodies."))
    if not Unit.objects.pickable_for(actor).filter(pk=unit.pk).exists():
        raise ValidationError(_("Choose an active unit within your scope."))
    policy.require(actor, "tasks.manage", unit)


def add_task(*, actor, plan: Plan, unit: Unit, title: str, due_date: date | None) -> Task:
    policy.require(actor, "tasks.manage", plan)
    _check_target(actor, unit)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Describe the task."))
    with transaction.atomic(), acting_as(actor):
        return Task.objects.create(
            plan=plan, unit=unit, title=title, due_date=due_date, created_by=actor
        )


def reassign(*, actor, task: Task, unit: Unit) -> Task:
    policy.require(actor, "tasks.manage", task)
    _check_target(actor, unit)
    with transaction.atomic(), acting_as(actor):
        task = _locked(task)
        _refuse_closed(task)
        if task.unit_id == unit.pk:
            raise ValidationError(_("The task is already with this unit."))
        twin = Task.objects.filter(
            duty_id=task.duty_id, unit=unit, period_start=task.period_start
        ).exclude(pk=task.pk)
        if task.duty_id is not None and twin.exists():
            raise ValidationError(_("That unit already has this task for the same period."))
        task.unit = unit
        task.save()
    return task


def set_due_date(*, actor, task: Task, due_date: date | None, reason: str = "") -> Task:
    """Set a due date; changing one already set is an extension and needs a reason."""
    policy.require(actor, "tasks.manage", task)
    if due_date is None:
        raise ValidationError(_("Choose a due date."))
    if problem := out_of_range(due_date):
        raise ValidationError(problem)
    reason = (reason or "").strip()
    with transaction.atomic(), acting_as(actor):
        task = _locked(task)
        _refuse_closed(task)
        if task.due_date == due_date:
            raise ValidationError(_("The task is already due on that date."))
        if task.due_date is not None:
            if not reason:
                raise ValidationError(_("Give a reason for changing the due date."))
            task.extension_reason = reason
        task.due_date = due_date
        task.save()
    return task


def extend(*, actor, task: Task, due_date: date | None, reason: str) -> Task:
    """Move an existing due date, with the reason recorded and audited."""
    if task.due_date is None:
        return set_due_date(actor=actor, task=task, due_date=due_date, reason=reason)
    if not (reason or "").strip():
        policy.require(actor, "tasks.manage", task)
        raise ValidationError(_("Give a reason for changing the due date."))
    return set_due_date(actor=actor, task=task, due_date=due_date, reason=reason)


def cancel(*, actor, task: Task, reason: str) -> Task:
    policy.require(actor, "tasks.manage", task)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for cancelling the task."))
    with transaction.atomic(), acting_as(actor):
        task = _locked(task)
        _refuse_closed(task)
        task.status = TaskStatus.CANCELLED
        task.cancel_reason = reason
        task.save()
    return task
