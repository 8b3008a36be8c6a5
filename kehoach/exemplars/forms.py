"""Forms for exemplars: nominate and edit, the review steps, the registry's filters."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehoach.accounts import policy
from kehoach.activities.forms_activities import MultipleFileField, MultipleFileInput
from kehoach.exemplars.models import Exemplar, ExemplarKind, Field, Stage
from kehoach.org.models import Unit
from kehoach.plans.models import Plan


def nominating_units(user) -> list[Unit]:
    """Units the person may nominate for, in tree order."""
    units = Unit.objects.pickable_for(user).exclude(kind="external").order_by("path", "order")
    return [u for u in units if policy.can(user, "exemplars.nominate", u)]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExemplarForm(forms.Form):
    """Nominate (a unit to choose, photos) and edit (`exemplar` given: the unit is fixed)."""

    unit = forms.ModelChoiceField(
        label=_("Nominating unit"), queryset=Unit.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=_("Kind of exemplar"), choices=ExemplarKind.choices, widget=forms.RadioSelect
    )
    field = forms.ChoiceField(label=_("Field of work"), choices=Field.choices)
    name = forms.CharField(
        label=_("Name of the person, collective or model"),
        max_length=255,
        help_text=_("For example: Mô hình “Dân vận khéo” in collecting household waste."),
    )
    story = forms.CharField(
        label=_("Story"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What they did, how, and what came of it."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Figures, results, documents that show it (numbers, dates, places)."),
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=1945, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("— not under a plan —"),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, exemplar: Exemplar | None = None, **kwargs):
        self.user = user
        self.exemplar = exemplar
        super().__init__(*args, **kwargs)
        if exemplar is not None:
            del self.fields["unit"]
            self.units = [exemplar.unit]
        else:
            self.units = nominating_units(user)
            self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in self.units])
            self.fields["unit"].choices = [(u.pk, u.name) for u in self.units]
        plans = list(Plan.objects.for_user(user).order_by("-date", "-created_at"))
        if (
            exemplar is not None
            and exemplar.plan_id
            and exemplar.plan_id not in {p.pk for p in plans}
        ):
            plans.append(exemplar.plan)
        self.fields["plan"].queryset = Plan.objects.filter(pk__in=[p.pk for p in plans])
        self.fields["plan"].choices = [("", self.fields["plan"].empty_label)] + [
            (p.pk, str(p)) for p in plans
        ]
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year

    def content(self) -> dict:
        """The cleaned data as the services take it (without unit and photos)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "field": data["field"],
            "name": data["name"],
            "story": data["story"],
            "evidence": data.get("evidence") or "",
            "year": data["year"],
            "plan": data.get("plan"),
        }


def initial_for_edit(exemplar: Exemplar) -> dict:
    return {
        "kind": exemplar.kind,
        "field": exemplar.field,
        "name": exemplar.name,
        "story": exemplar.story,
        "evidence": exemplar.evidence,
        "year": exemplar.year,
        "plan": exemplar.plan_id,
        "seen_updated_at": exemplar.updated_at,
    }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What the unit should add or correct"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommendForm(forms.Form):
    form = forms.CharField(
        label=_("Form of commendation"),
        max_length=255,
        help_text=_("For example: Giấy khen của Đảng ủy phường."),
    )
    on = forms.DateField(label=_("Date of commendation"), widget=_date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())


class PromoteForm(forms.Form):
    link = forms.CharField(
        label=_("Content that spreads it"),
        max_length=500,
        help_text=_("A link (https://…) or the title and place of the article, clip or bulletin."),
    )


# ---------------------------------------------------------------- registry filters


def apply_filters(
    exemplars: QuerySet[Exemplar],
    *,
    kind: str = "",
    field: str = "",
    unit: Unit | None = None,
    year: int | None = None,
    stage: str = "",
) -> QuerySet[Exemplar]:
    """The one filter for the registry page and the API; a unit includes the units under it."""
    if kind:
        exemplars = exemplars.filter(kind=kind)
    if field:
        exemplars = exemplars.filter(field=field)
    if unit is not None:
        exemplars = exemplars.filter(unit__path__startswith=unit.path)
    if year is not None:
        exemplars = exemplars.filter(year=year)
    if stage:
        exemplars = exemplars.filter(stage=stage)
    return exemplars


class RegistryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of exemplar"), choices=[("", _("All")), *ExemplarKind.choices], required=False
    )
    field = forms.ChoiceField(
        label=_("Field of work"), choices=[("", _("All")), *Field.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (with its units)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All")), *Stage.choices], required=False
    )

    NAMES = ("kind", "field", "unit", "year", "stage")

    def __init__(self, data, *, user, years: list[int]):
        super().__init__({k: v for k, v in data.items() if k in self.NAMES})
        units = list(Unit.objects.own_for_user(user).order_by("path", "order"))
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        self.fields["unit"].choices = [("", _("All"))] + [
            (u.pk, "\u2003" * max(u.depth, 0) + u.name) for u in units
        ]
        self.fields["year"].choices = [("", _("All"))] + [(y, str(y)) for y in years]

    def filters(self) -> dict:
        """The valid filters; a wrong value is ignored rather than failing the whole page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.NAMES if data.get(name) not in (None, "")}

    def apply(self, exemplars: QuerySet[Exemplar]) -> QuerySet[Exemplar]:
        return apply_filters(exemplars, **self.filters())
