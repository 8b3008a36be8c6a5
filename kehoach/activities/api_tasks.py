"""/api/v1/tasks: a unit's tasks and the changes people make to them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from kehoach.accounts import policy
from kehoach.accounts.querysets import memberships_of
from kehoach.activities import task_services as services
from kehoach.activities.forms_tasks import filter_state
from kehoach.activities.models import Task, TaskState, TaskStatus
from kehoach.core.scoping import get_for_user_or_404
from kehoach.org.models import Unit

router = Router(tags=["implementation"])


class TaskOut(Schema):
    id: int
    plan_id: int
    duty_id: int | None
    unit_id: int
    unit_name: str
    title: str
    period_label: str
    period_start: date | None
    period_end: date | None
    due_date: date | None
    status: str
    state: str
    done_at: datetime | None
    done_by: str | None
    extension_reason: str
    cancel_reason: str


class TaskFilters(Schema):
    mine: bool = False
    unit: int | None = None
    plan: int | None = None
    state: TaskState | None = None
    status: TaskStatus | None = None
    due_before: date | None = None
    due_after: date | None = None
    limit: int = 500
    offset: int = 0


class TaskPatch(Schema):
    status: Literal["done", "open"] | None = None
    due_date: date | None = None
    reason: str | None = None
    unit_id: int | None = None
    cancel_reason: str | None = None


def _out(task: Task, today: date) -> dict:
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "duty_id": task.duty_id,
        "unit_id": task.unit_id,
        "unit_name": task.unit.name,
        "title": task.title,
        "period_label": task.period_label,
        "period_start": task.period_start,
        "period_end": task.period_end,
        "due_date": task.due_date,
        "status": task.status,
        "state": task.state(today),
        "done_at": task.done_at,
        "done_by": task.done_by.username if task.done_by else None,
        "extension_reason": task.extension_reason,
        "cancel_reason": task.cancel_reason,
    }


def _scoped(user):
    return Task.objects.for_user(user).select_related("unit", "done_by")


@router.get("", response=list[TaskOut], summary="Tasks in your scope; ?mine=true for your units")
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]):
    user = request.auth
    today = timezone.localdate()
    tasks = _scoped(user)
    if filters.mine:
        tasks = tasks.filter(unit_id__in={m.unit_id for m in memberships_of(user)})
    if filters.unit is not None:
        unit = get_for_user_or_404(Unit, user, pk=filters.unit)
        tasks = tasks.filter(unit__path__startswith=unit.path)
    if filters.plan is not None:
        tasks = tasks.filter(plan_id=filters.plan)
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.state:
        tasks = filter_state(tasks, filters.state, today)
    if filters.due_before:
        tasks = tasks.filter(due_date__lte=filters.due_before)
    if filters.due_after:
        tasks = tasks.filter(due_date__gte=filters.due_after)
    offset = max(filters.offset, 0)
    limit = min(max(filters.limit, 0), 1000)
    tasks = tasks.order_by("due_date", "pk")[offset : offset + limit]
    return [_out(t, today) for t in tasks]


@router.get("/{task_id}", response=TaskOut, summary="One task")
def get_task(request: HttpRequest, task_id: int):
    task = get_for_user_or_404(Task, request.auth, pk=task_id)
    return _out(_scoped(request.auth).get(pk=task.pk), timezone.localdate())


@router.patch(
    "/{task_id}", response=TaskOut, summary="Mark done or reopen, reassign, extend, cancel"
)
def update_task(request: HttpRequest, task_id: int, payload: TaskPatch):
    actor = request.auth
    task = get_for_user_or_404(Task, actor, pk=task_id)
    fields = payload.dict(exclude_unset=True)
    # Every part lands together or none does.
    with transaction.atomic():
        if fields.get("unit_id") is not None:
            # The role is checked first: a unit's own people learn they may not reassign.
            policy.require(actor, "tasks.manage", task)
            unit = get_for_user_or_404(Unit, actor, pk=fields["unit_id"])
            task = services.reassign(actor=actor, task=task, unit=unit)
        if fields.get("due_date") is not None:
            task = services.set_due_date(
                actor=actor, task=task, due_date=fields["due_date"], reason=fields.get("reason", "")
            )
        status = fields.get("status")
        if status == TaskStatus.DONE and task.status != TaskStatus.DONE:
            task = services.mark_done(actor=actor, task=task)
        elif status == TaskStatus.OPEN and task.status == TaskStatus.DONE:
            task = services.reopen(actor=actor, task=task)
        elif status == TaskStatus.OPEN and task.status == TaskStatus.CANCELLED:
            raise ValidationError(_("This task has been cancelled."))
        if fields.get("cancel_reason") is not None:
            task = services.cancel(actor=actor, task=task, reason=fields["cancel_reason"])
    return _out(_scoped(actor).get(pk=task.pk), timezone.localdate())
