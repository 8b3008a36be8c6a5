"""Forms for activities: the quick entry on a phone, the edit form, evidence, filters."""

from __future__ import annotations

from datetime import date as date_type

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehoach.accounts import policy
from kehoach.activities.activity_services import COUNT_FIELDS, entry_defaults
from kehoach.activities.models import (
    OUTPUT_FIELDS,
    REACH_FIELDS,
    Activity,
    Audience,
    Channel,
    Task,
    TaskStatus,
)
from kehoach.core.widgets import Flat, QuickSelect
from kehoach.org.models import Unit
from kehoach.plans.models import Plan, Topic

# ---------------------------------------------------------------- choices for a person


def _indent(path: str) -> str:
    return "\u2003" * max(Unit.depth_of(path), 0)


def loggable_units(user) -> list[Unit]:
    """Units the person may log activities for, in tree order."""
    units = Unit.objects.pickable_for(user).exclude(kind="external").order_by("path", "order")
    return [u for u in units if policy.can(user, "activities.log", u)]


def plans_for_unit(user, unit: Unit | None) -> QuerySet[Plan]:
    """Plans visible to the person that give the unit duties, or that the unit holds."""
    if unit is None:
        return Plan.objects.none()
    visible = Plan.objects.for_user(user)
    duty_of = Q(pk__in=Plan.objects.filter(assignments__targets__unit=unit).values("pk"))
    return visible.filter(duty_of | Q(unit=unit)).order_by("-date", "-created_at")


def open_tasks(unit: Unit | None) -> QuerySet[Task]:
    if unit is None:
        return Task.objects.none()
    return Task.objects.filter(unit=unit, status=TaskStatus.OPEN).order_by("due_date", "pk")


def _number_input() -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1})


def _count_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=1_000_000_000, required=False, widget=_number_input()
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


# ---------------------------------------------------------------- the entry form


class ActivityForm(forms.Form):
    """Quick entry (`editing=False`) and edit (`editing=True`: no unit, no new evidence)."""

    date = forms.DateField(
        label=_("Activity date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("— not under a plan —"),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics covered"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channel = forms.ChoiceField(
        label=_("Form of communication"), choices=Channel.choices, widget=forms.RadioSelect
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audience groups"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = _count_field(_("Participants"))
    listeners = _count_field(_("Listeners"))
    views = _count_field(_("Views"))
    news_items = _count_field(_("News items"))
    articles = _count_field(_("Articles"))
    infographics = _count_field(_("Infographics"))
    video_clips = _count_field(_("Video clips"))
    broadcasts = _count_field(_("Loudspeaker broadcasts"))
    broadcast_minutes = _count_field(_("Broadcast minutes"))
    posters = _count_field(_("Posters and panels"))
    meetings = _count_field(_("Meetings held"))
    description = forms.CharField(
        label=_("Short description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = MultipleFileField(
        label=_("Photos and documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx,.pptx,.odt"}),
    )
    link = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    task = forms.ModelChoiceField(
        label=_("Task it advances"),
        queryset=Task.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    reach_fields = REACH_FIELDS
    output_fields = OUTPUT_FIELDS

    def __init__(self, *args, user, activity: Activity | None = None, **kwargs):
        self.user = user
        self.activity = activity
        self.editing = activity is not None
        super().__init__(*args, **kwargs)
        if self.editing:
            for name in ("unit", "files", "link"):
                del self.fields[name]
            unit = activity.unit
        else:
            self.units = loggable_units(user)
            self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in self.units])
            self.fields["unit"].choices = [(u.pk, u.name) for u in self.units]
            unit = self._chosen(
                "unit", {u.pk: u for u in self.units}, self.units[0] if self.units else None
            )
        self.chosen_unit = unit
        part = {"hx-get": reverse("activities:form_part"), "hx-target": "#dependent"}
        if self.editing:
            part["hx-get"] += f"?hoat_dong={activity.pk}"
            self.fields["plan"].widget.attrs.update(part, **{"hx-include": "#id_plan"})
        else:
            self.fields["unit"].widget.attrs.update(part, **{"hx-include": "#id_unit"})
            self.fields["plan"].widget.attrs.update(part, **{"hx-include": "#id_unit, #id_plan"})
        plans = list(plans_for_unit(user, unit))
        if self.editing and activity.plan_id and activity.plan_id not in {p.pk for p in plans}:
            plans.append(activity.plan)
        self.fields["plan"].queryset = Plan.objects.filter(pk__in=[p.pk for p in plans])
        self.fields["plan"].choices = [("", self.fields["plan"].empty_label)] + [
            (p.pk, str(p)) for p in plans
        ]
        if not self.is_bound and not self.editing and "plan" not in self.initial and plans:
            # Nothing remembered yet: the newest plan giving the unit duties saves a tap.
            self.initial["plan"] = plans[0].pk
        plan = self._chosen("plan", {p.pk: p for p in plans}, None)
        self.chosen_plan = plan
        self.fields["topics"].queryset = (
            Topic.objects.filter(plan=plan).order_by("order", "pk")
            if plan
            else Topic.objects.none()
        )
        tasks = open_tasks(unit)
        if self.editing and activity.task_id:
            tasks = Task.objects.filter(Q(pk__in=tasks.values("pk")) | Q(pk=activity.task_id))
        self.fields["task"].queryset = tasks.select_related(None).order_by("due_date", "pk")

    def _chosen(self, name: str, options: dict, fallback):
        """The object the form is about to show or has received for a dependent field."""
        raw = self.data.get(name) if self.is_bound else None
        if raw is None:
            raw = self.initial.get(name, self.fields[name].initial)
        if hasattr(raw, "pk"):
            raw = raw.pk
        try:
            return options.get(int(raw), fallback) if raw not in (None, "") else fallback
        except (TypeError, ValueError):
            return fallback

    @property
    def reach(self):
        return [self[name] for name in REACH_FIELDS]

    @property
    def outputs(self):
        return [self[name] for name in OUTPUT_FIELDS]

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def entry(self) -> dict:
        """The cleaned data as the services take it."""
        data = self.cleaned_data
        entry = {
            "date": data["date"],
            "channel": data["channel"],
            "plan": data.get("plan"),
            "topics": list(data.get("topics") or []),
            "audiences": list(data.get("audiences") or []),
            "description": data.get("description") or "",
            "task": data.get("task"),
        }
        for name in COUNT_FIELDS:
            entry[name] = data.get(name) or 0
        return entry


def initial_for_entry(user, *, task: Task | None = None) -> dict:
    """The quick form pre-filled with today and the person's last choices."""
    remembered = entry_defaults(user)
    initial: dict = {"date": timezone.localdate()}
    if remembered.get("unit_id"):
        initial["unit"] = remembered["unit_id"]
    if remembered.get("plan_id"):
        initial["plan"] = remembered["plan_id"]
        initial["topics"] = remembered.get("topic_ids") or []
    if remembered.get("channel"):
        initial["channel"] = remembered["channel"]
    if remembered.get("audiences"):
        initial["audiences"] = remembered["audiences"]
    if task is not None:
        initial.update(unit=task.unit_id, plan=task.plan_id, task=task.pk, topics=[])
    return initial


def initial_for_edit(activity: Activity) -> dict:
    initial = {name: getattr(activity, name) for name in COUNT_FIELDS}
    initial.update(
        date=activity.date,
        channel=activity.channel,
        plan=activity.plan_id,
        topics=[link.topic_id for link in activity.topic_links.all()],
        audiences=[row.audience for row in activity.audiences.all()],
        description=activity.description,
        task=activity.task_id,
        seen_updated_at=activity.updated_at,
    )
    return initial


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx,.pptx,.odt"}),
    )
    link = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("link") or "").strip()):
            raise forms.ValidationError(_("Send either a file or a link."))
        return data


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for unlocking"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# ---------------------------------------------------------------- filters


def apply_filters(
    activities: QuerySet[Activity],
    *,
    unit: Unit | None = None,
    plan: Plan | None = None,
    topic: Topic | None = None,
    channel: str = "",
    audience: str = "",
    date_from: date_type | None = None,
    date_to: date_type | None = None,
) -> QuerySet[Activity]:
    """The one filter for lists, the calendar, the Excel export and the API."""
    if unit is not None:
        activities = activities.filter(unit__path__startswith=unit.path)
    if plan is not None:
        activities = activities.filter(plan=plan)
    if topic is not None:
        activities = activities.filter(topic_links__topic=topic)
    if channel:
        activities = activities.filter(channel=channel)
    if audience:
        activities = activities.filter(audiences__audience=audience)
    if date_from is not None:
        activities = activities.filter(date__gte=date_from)
    if date_to is not None:
        activities = activities.filter(date__lte=date_to)
    return activities


class ActivityFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit (with its units)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    channel = forms.ChoiceField(
        label=_("Form of communication"),
        choices=[("", _("All")), *Channel.choices],
        required=False,
    )
    audience = forms.ChoiceField(
        label=_("Audience group"),
        choices=[("", _("All")), *Audience.choices],
        required=False,
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    NAMES = ("unit", "plan", "topic", "channel", "audience", "date_from", "date_to")

    def __init__(self, data, *, user):
        super().__init__({k: v for k, v in data.items() if k in self.NAMES})
        # A city coordinator's pickers hold 6,000 units, 100 plans and 800 topics: read as
        # rows, not models, and handed to the widgets as they are (the field's own choices
        # setter copies and checks every option). The querysets check what is submitted.
        scope = Unit.objects.own_for_user(user)
        units = list(scope.order_by("path", "order").values_list("pk", "name", "path"))
        Unit.objects.remember_scope(user, [pk for pk, _name, _path in units])
        self._choose("unit", scope, [(pk, _indent(path) + name) for pk, name, path in units])
        visible = Plan.objects.for_user(user)
        plans = list(visible.order_by("-date", "-created_at").only("pk", "number", "title"))
        self._choose("plan", visible, [(p.pk, str(p)) for p in plans])
        plan_id = self.data.get("plan")
        plan_ids = [p.pk for p in plans]
        if plan_id and str(plan_id).isdigit() and int(plan_id) in plan_ids:
            plan_ids = [int(plan_id)]
        topics = Topic.objects.filter(plan_id__in=plan_ids)
        rows = topics.order_by("plan_id", "order").values_list("pk", "order", "title")
        labels = [(pk, f"{order + 1}. {title[:80]}") for pk, order, title in rows]
        self._choose("topic", topics, labels)

    def _choose(self, name: str, queryset: QuerySet, choices: list[tuple[int, str]]) -> None:
        field = self.fields[name]
        field.queryset = queryset
        field.widget.choices = Flat([("", _("All")), *choices])

    def filters(self) -> dict:
        """The valid filters; a wrong value is ignored rather than failing the whole page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.NAMES if data.get(name) not in (None, "")}

    def apply(self, activities: QuerySet[Activity]) -> QuerySet[Activity]:
        return apply_filters(activities, **self.filters())
