"""Task screens: a unit's "Việc của tôi", the coordinator's list, one task, add, generate."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kehoach.accounts import policy
from kehoach.accounts.querysets import memberships_of
from kehoach.activities import task_services as services
from kehoach.activities.forms_tasks import (
    AddTaskForm,
    CancelForm,
    DueDateForm,
    ReassignForm,
    TaskFilterForm,
)
from kehoach.activities.models import Task, TaskState, TaskStatus
from kehoach.activities.tables import tasks_table
from kehoach.core import tabular
from kehoach.core.scoping import get_for_user_or_404
from kehoach.plans.models import Plan

PAGE_SIZE = 50
RECENT_DAYS = 30


def _annotate(tasks: list[Task], user, today) -> list[Task]:
    """State, overdue flag and the person's rights on each task, without extra queries."""
    for task in tasks:
        task.current_state = task.state(today)
        task.state_label = TaskState(task.current_state).label
        task.is_overdue = task.current_state == TaskState.OVERDUE
        task.can_mark_done = policy.can(user, "tasks.mark_done", task)
    return tasks


def _by_due(tasks):
    return tasks.order_by(F("due_date").asc(nulls_last=True), "pk")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Tasks of the units where the person holds a role directly: due soonest first."""
    today = timezone.localdate()
    unit_ids = {m.unit_id for m in memberships_of(request.user)}
    tasks = (
        Task.objects.for_user(request.user)
        .filter(unit_id__in=unit_ids)
        .select_related("unit", "plan", "done_by")
    )
    recent_since = timezone.now() - timedelta(days=RECENT_DAYS)
    open_tasks = list(_by_due(tasks.filter(status=TaskStatus.OPEN)))
    done_tasks = list(
        tasks.filter(status=TaskStatus.DONE, done_at__gte=recent_since).order_by("-done_at")
    )
    if fmt := tabular.requested_format(request):
        shown = [
            (_("Tasks"), _("open, and done in the last %(days)d days") % {"days": RECENT_DAYS})
        ]
        table = tasks_table(open_tasks + done_tasks, tabular.notes(shown), title=_("My tasks"))
        return tabular.response(table, "viec-cua-toi", fmt)
    return render(
        request,
        "activities/tasks_mine.html",
        {
            "open_tasks": _annotate(open_tasks, request.user, today),
            "done_tasks": _annotate(done_tasks, request.user, today),
            "can_manage": policy.can(request.user, "tasks.manage"),
        },
    )


@login_required
def all_tasks(request: HttpRequest) -> HttpResponse:
    """Every task in the person's scope, filtered; the coordinator's overview."""
    today = timezone.localdate()
    form = TaskFilterForm(request.GET or None, user=request.user)
    tasks = Task.objects.for_user(request.user).select_related("unit", "plan", "done_by")
    if form.is_valid():
        tasks = form.apply(tasks, today)
    if fmt := tabular.requested_format(request):
        notes = tabular.notes(tabular.form_filters(form))
        return tabular.response(tasks_table(_by_due(tasks), notes), "nhiem-vu", fmt)
    page = Paginator(_by_due(tasks), PAGE_SIZE).get_page(request.GET.get("trang"))
    page.object_list = _annotate(list(page.object_list), request.user, today)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "activities/tasks_all.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": policy.can(request.user, "tasks.manage"),
        },
    )


def _detail_context(request: HttpRequest, task: Task, **forms) -> dict:
    today = timezone.localdate()
    _annotate([task], request.user, today)
    can_manage = policy.can(request.user, "tasks.manage", task)
    is_open = task.status == TaskStatus.OPEN
    return {
        "task": task,
        "can_manage": can_manage and is_open,
        "can_mark_done": task.can_mark_done and is_open,
        "can_reopen": task.can_mark_done and task.status == TaskStatus.DONE,
        "due_form": forms.get("due_form") or DueDateForm(initial={"due_date": task.due_date}),
        "reassign_form": forms.get("reassign_form")
        or ReassignForm(user=request.user, initial={"unit": task.unit_id}),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "can_see_history": policy.can(request.user, "audit.view_history", task),
    }


def _task(request: HttpRequest, pk: int) -> Task:
    return get_for_user_or_404(
        Task, request.user, related=("unit", "plan", "duty", "done_by"), pk=pk
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    return render(request, "activities/tasks_detail.html", _detail_context(request, task))


def _back(request: HttpRequest, task: Task) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("tasks:detail", pk=task.pk)


def _refused(request: HttpRequest, task: Task, exc: ValidationError, **forms) -> HttpResponse:
    context = _detail_context(request, task, **forms)
    context["action_errors"] = exc.messages
    return render(request, "activities/tasks_detail.html", context, status=422)


@login_required
@require_POST
def mark_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        services.mark_done(actor=request.user, task=task)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The task is marked done."))
    return _back(request, task)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        services.reopen(actor=request.user, task=task)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The task is open again."))
    return _back(request, task)


def _manage(request: HttpRequest, pk: int) -> Task:
    task = _task(request, pk)
    if not policy.can(request.user, "tasks.manage", task):
        raise PermissionDenied
    return task


@login_required
@require_POST
def set_due(request: HttpRequest, pk: int) -> HttpResponse:
    task = _manage(request, pk)
    form = DueDateForm(request.POST)
    if not form.is_valid():
        return _refused(request, task, ValidationError(_("Check the date.")), due_form=form)
    try:
        services.extend(
            actor=request.user,
            task=task,
            due_date=form.cleaned_data["due_date"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        return _refused(request, task, exc, due_form=form)
    messages.success(request, _("The due date has been changed."))
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = _manage(request, pk)
    form = ReassignForm(request.POST, user=request.user)
    if not form.is_valid():
        return _refused(request, task, ValidationError(_("Choose a unit.")), reassign_form=form)
    try:
        services.reassign(actor=request.user, task=task, unit=form.cleaned_data["unit"])
    except ValidationError as exc:
        return _refused(request, task, exc, reassign_form=form)
    messages.success(request, _("The task has been given to another unit."))
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    task = _manage(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        error = ValidationError(_("Give a reason for cancelling the task."))
        return _refused(request, task, error, cancel_form=form)
    try:
        services.cancel(actor=request.user, task=task, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _refused(request, task, exc, cancel_form=form)
    messages.success(request, _("The task has been cancelled."))
    return redirect("tasks:detail", pk=task.pk)


@login_required
def add(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "tasks.manage"):
        raise PermissionDenied
    initial = {}
    if request.GET.get("plan", "").isdigit():
        initial["plan"] = int(request.GET["plan"])
    form = AddTaskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.add_task(
                actor=request.user,
                plan=form.cleaned_data["plan"],
                unit=form.cleaned_data["unit"],
                title=form.cleaned_data["title"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The task has been added."))
            return redirect("tasks:detail", pk=task.pk)
    return render(request, "activities/tasks_add.html", {"form": form})


@login_required
def plan_block(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan page's task box, loaded by htmx: the count, a link, and "Giao việc"."""
    plan = get_for_user_or_404(Plan, request.user, pk=plan_id)
    count = Task.objects.for_user(request.user).filter(plan=plan).count()
    return render(
        request,
        "activities/tasks_plan_block.html",
        {
            "plan": plan,
            "count": count,
            "can_generate": policy.can(request.user, "tasks.manage", plan),
        },
    )


@login_required
@require_POST
def generate(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_for_user_or_404(Plan, request.user, pk=plan_id)
    try:
        count = services.generate_tasks(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:detail", pk=plan.pk)
    if count:
        text = ngettext("%(count)s task created.", "%(count)s tasks created.", count)
        messages.success(request, text % {"count": count})
    else:
        messages.info(request, _("No new tasks: every duty already has its tasks."))
    return redirect(reverse("tasks:all") + f"?plan={plan.pk}")
