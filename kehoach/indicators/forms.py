"""Forms for targets: an indicator with its yearly targets, a figure, an Excel file."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehoach.indicators.models import Direction, Indicator
from kehoach.org.models import Unit


def _number(label, required=True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=18,
        decimal_places=4,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class IndicatorForm(forms.Form):
    programme = forms.CharField(label=_("Programme"), max_length=128)
    name = forms.CharField(label=_("Indicator"), max_length=255)
    measure = forms.CharField(label=_("Unit of measure"), max_length=64)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    baseline = _number(_("Baseline"))
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1990, max_value=2100)
    responsible = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), empty_label=None
    )
    is_example = forms.BooleanField(label=_("Example values"), required=False)

    def __init__(self, *args, ward: Unit, indicator: Indicator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Unit.objects.filter(
            path__startswith=ward.path, is_active=True
        ).order_by("path")
        first = timezone.localdate().year
        years = set(range(first, first + 5))
        if indicator is not None:
            years |= {t.year for t in indicator.targets.all()}
        self.years = sorted(years)
        for year in self.years:
            self.fields[f"target_{year}"] = _number(
                _("Target %(year)d") % {"year": year}, required=False
            )

    def targets(self) -> dict:
        return {
            year: self.cleaned_data[f"target_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"target_{year}") is not None
        }

    def indicator_fields(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in (
                "programme",
                "name",
                "measure",
                "direction",
                "baseline",
                "baseline_year",
                "responsible",
                "is_example",
            )
        }


def initial_for(indicator: Indicator) -> dict:
    initial = {
        f: getattr(indicator, f)
        for f in ("programme", "name", "measure", "direction", "baseline", "baseline_year")
    }
    initial["responsible"] = indicator.responsible_id
    initial["is_example"] = indicator.is_example
    for target in indicator.targets.all():
        initial[f"target_{target.year}"] = target.value
    return initial


class MeasurementForm(forms.Form):
    period_label = forms.CharField(
        label=_("Period"),
        max_length=64,
        help_text=_("For example: 6 tháng đầu năm 2026."),
    )
    as_of = forms.DateField(
        label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    value = _number(_("Value"))
    source = forms.CharField(
        label=_("Source"),
        max_length=255,
        help_text=_("Where the figure comes from, e.g. the committee's six-month report."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
