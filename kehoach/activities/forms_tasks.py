"""Forms of the task screens, and the one state filter the list page and the API share."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kehoach.activities.models import TaskState, TaskStatus
from kehoach.org.models import Unit, UnitKind
from kehoach.plans.models import Plan

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def filter_state(tasks: QuerySet, state: str, today: date) -> QuerySet:
    """Tasks in a TaskState on `today`, in the database (mirrors Task.state())."""
    if state == TaskState.CANCELLED:
        return tasks.filter(status=TaskStatus.CANCELLED)
    if state == TaskState.DONE_ON_TIME:
        return tasks.filter(status=TaskStatus.DONE).filter(
            Q(due_date__isnull=True) | Q(done_at__isnull=True) | Q(done_at__date__lte=F("due_date"))
        )
    if state == TaskState.DONE_LATE:
        return tasks.filter(
            status=TaskStatus.DONE, due_date__isnull=False, done_at__date__gt=F("due_date")
        )
    if state == TaskState.OVERDUE:
        return tasks.filter(status=TaskStatus.OPEN, due_date__lt=today)
    if state == TaskState.PENDING:
        return tasks.filter(status=TaskStatus.OPEN).filter(
            Q(due_date__isnull=True) | Q(due_date__gte=today)
        )
    return tasks


def target_units(user) -> QuerySet:
    """Units a task can be given to: in scope, active, inside the tree."""
    return Unit.objects.pickable_for(user).exclude(kind=UnitKind.EXTERNAL).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return "\u00a0\u00a0" * max(obj.depth, 0) + obj.name


class TaskFilterForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Unit (and its units)"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("All units"),
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"), required=False, queryset=Plan.objects.none(), empty_label=_("All plans")
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *TaskState.choices]
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=_DATE)
    due_to = forms.DateField(label=_("Due until"), required=False, widget=_DATE)
    q = forms.CharField(label=_("Text"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = target_units(user)
        self.fields["plan"].queryset = Plan.objects.for_user(user).order_by("-date", "-pk")

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def apply(self, tasks: QuerySet, today: date) -> QuerySet:
        data = self.cleaned_data
        if data["unit"]:
            tasks = tasks.filter(unit__path__startswith=data["unit"].path)
        if data["plan"]:
            tasks = tasks.filter(plan=data["plan"])
        if data["state"]:
            tasks = filter_state(tasks, data["state"], today)
        if data["due_from"]:
            tasks = tasks.filter(due_date__gte=data["due_from"])
        if data["due_to"]:
            tasks = tasks.filter(due_date__lte=data["due_to"])
        text = data["q"].strip()
        if text:
            tasks = tasks.filter(
                Q(title__icontains=text)
                | Q(unit__name__icontains=text)
                | Q(period_label__icontains=text)
            )
        return tasks


class DueDateForm(forms.Form):
    due_date = forms.DateField(label=_("New due date"), widget=_DATE)
    reason = forms.CharField(
        label=_("Reason (required when a date is changed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReassignForm(forms.Form):
    unit = UnitChoiceField(label=_("Give the task to"), queryset=Unit.objects.none())

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = target_units(user)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AddTaskForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none())
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label=_("Due date"), required=False, widget=_DATE)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.for_user(user).order_by("-date", "-pk")
        self.fields["unit"].queryset = target_units(user)
