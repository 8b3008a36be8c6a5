"""Forms of the reporting screens: a period, the units owing a report, the narrative, a return."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kehoach.org.models import Unit, UnitKind
from kehoach.reports.models import PeriodKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The narrative of a unit report, in the order of a results report.
NARRATIVE_FIELDS = ("leadership", "results", "limitations", "tasks_ahead", "proposals", "opinion")


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    label = forms.CharField(
        label=_("Name of the period"),
        max_length=128,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. May 2026, first half of 2026")}),
    )
    start = forms.DateField(label=_("From"), widget=_DATE)
    end = forms.DateField(label=_("To"), widget=_DATE)
    due_date = forms.DateField(label=_("Reports due"), widget=_DATE)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return data


def expected_unit_choices(plan, user) -> QuerySet:
    """Units that may owe a report for a plan: in the person's scope and under the plan's unit."""
    return (
        Unit.objects.pickable_for(user)
        .exclude(kind=UnitKind.EXTERNAL)
        .filter(path__startswith=plan.unit.path)
        .order_by("path")
    )


class UnitCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class ExpectedUnitsForm(forms.Form):
    units = UnitCheckboxes(label=_("Units that owe a report"), queryset=Unit.objects.none())

    def __init__(self, *args, plan, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = expected_unit_choices(plan, user)
        self.fields["units"].required = False


def _area(label, rows: int = 5) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


class NarrativeForm(forms.Form):
    leadership = _area(_("Leadership, direction and dissemination"))
    results = _area(_("Results"), 6)
    limitations = _area(_("Limitations and their causes"))
    tasks_ahead = _area(_("Tasks ahead"))
    proposals = _area(_("Proposals"), 3)
    opinion = _area(_("Public opinion and concerns"), 4)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in NARRATIVE_FIELDS}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must be corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the unit must correct before returning it.")},
    )

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Say what the unit must correct before returning it."))
        return comment
