from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kehoach.accounts import policy
from kehoach.org.forms import UnitMultipleChoiceField
from kehoach.org.models import Unit, UnitKind
from kehoach.plans import models as m
from kehoach.plans.matching import match_heading
from kehoach.plans.services import EDITABLE, UnitChoice

ACCEPTED = ".txt,.docx,.pdf,.htm,.html"


def units_for(user, action: str):
    """Active units in scope where the person may do the action, tree-ordered."""
    units = Unit.objects.pickable_for(user).exclude(kind=UnitKind.EXTERNAL).order_by("path")
    return [u for u in units if policy.can(user, action, u)]


class UploadForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit holding the plan"), queryset=Unit.objects.none())
    file = forms.FileField(
        label=_("Plan document (.docx, .pdf, .txt, .html)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )
    text = forms.CharField(
        label=_("…or paste the plan's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = units_for(user, "plans.import")
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in allowed]).order_by(
            "path"
        )
        if len(allowed) >= 1 and not self.is_bound:
            self.initial.setdefault("unit", allowed[0].pk)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if not upload and not text:
            raise forms.ValidationError(_("Choose a file or paste the plan's text."))
        if upload and upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the largest accepted is %(max)s MB."),
                params={
                    "size": f"{upload.size / 1048576:.1f}".replace(".", ","),
                    "max": settings.MAX_UPLOAD_BYTES // 1048576,
                },
            )
        data["text"] = text
        return data


MODE_CHOICES = [
    ("units", _("Units in the system")),
    ("create", _("Create a new unit")),
    ("outside", _("Outside body (not in the system)")),
]


class ReviewForm(forms.Form):
    """One group of fields per assignment heading: which units it names."""

    def __init__(self, *args, staged: m.PlanImport, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.staged = staged
        self.rows = []
        units = list(
            Unit.objects.pickable_for(user).exclude(kind=UnitKind.EXTERNAL).order_by("path")
        )
        queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        for index, assignment in enumerate(staged.parsed.get("assignments", [])):
            match = match_heading(assignment["unit"], units, staged.unit)
            mode, units_field, kind = f"mode_{index}", f"units_{index}", f"kind_{index}"
            self.fields[mode] = forms.ChoiceField(
                label=_("Who is this"),
                choices=MODE_CHOICES,
                widget=forms.RadioSelect,
                # Without a confident match the heading is most often a body outside the
                # ward (Công an tỉnh…); weaker matches are shown as suggestions.
                initial="units" if match.units else "outside",
            )
            self.fields[units_field] = UnitMultipleChoiceField(
                label=_("Assigned units"),
                queryset=queryset,
                required=False,
                initial=[u.pk for u in match.units],
                widget=forms.SelectMultiple(attrs={"size": 6}),
            )
            self.fields[kind] = forms.ChoiceField(
                label=_("Kind of the new unit"),
                choices=UnitKind.choices,
                initial=UnitKind.DEPARTMENT,
                required=False,
            )
            self.rows.append(
                {
                    "index": index,
                    "assignment": assignment,
                    "match": match,
                    "mode": self[mode],
                    "units": self[units_field],
                    "kind": self[kind],
                }
            )
        self.fields["assignment_count"] = forms.IntegerField(
            widget=forms.HiddenInput, initial=len(self.rows)
        )

    def clean(self):
        data = super().clean()
        if data.get("assignment_count") != len(self.rows):
            raise forms.ValidationError(_("The review form is out of date. Open the import again."))
        for row in self.rows:
            i = row["index"]
            if data.get(f"mode_{i}") == "units" and not data.get(f"units_{i}"):
                self.add_error(f"units_{i}", _("Choose at least one unit, or another option."))
        return data

    def choices(self) -> list[UnitChoice]:
        data = self.cleaned_data
        return [
            UnitChoice(
                mode=data[f"mode_{r['index']}"],
                unit_ids=[u.pk for u in data.get(f"units_{r['index']}") or []],
                new_kind=data.get(f"kind_{r['index']}") or UnitKind.DEPARTMENT,
            )
            for r in self.rows
        ]


class PlanEditForm(forms.ModelForm):
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = m.Plan
        fields = list(EDITABLE)
        widgets = {
            "title": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 3}),
        }


class IssueForm(forms.Form):
    number = forms.CharField(label=_("Number and symbol"), max_length=64)
    date = forms.DateField(label=_("Date of issue"))


class SubPlanForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit building its own plan"), queryset=Unit.objects.none()
    )

    def __init__(self, *args, user, plan: m.Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        assigned = set(Unit.objects.filter(assignments__assignment__plan=plan).distinct())
        # One own plan per unit and parent; the holder does not plan under its own plan.
        taken = set(plan.sub_plans.values_list("unit_id", flat=True)) | {plan.unit_id}
        allowed = [
            u
            for u in units_for(user, "plans.create_sub_plan")
            if u in assigned and u.pk not in taken
        ]
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in allowed])


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 3}))
    points = forms.CharField(
        label=_("Points, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )


class DutyForm(forms.ModelForm):
    class Meta:
        model = m.Duty
        fields = ["text", "recurrence", "due_day", "due_month", "deadline"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if data.get("due_day") is not None and not 1 <= data["due_day"] <= 31:
            self.add_error("due_day", _("A day of the month is between 1 and 31."))
        if data.get("due_month") is not None and not 1 <= data["due_month"] <= 12:
            self.add_error("due_month", _("A month is between 1 and 12."))
        return data


SECTION_ROLE_CHOICES = [
    ("purposes_requirements", _("Purposes and requirements")),
    ("content", _("Content")),
    ("forms", _("Forms of communication")),
    ("organisation", _("Organisation of implementation")),
    ("funding", _("Funding")),
    ("timeline", _("Timeline")),
    ("slogans", _("Slogans")),
    ("audience", _("Audience")),
    ("other", _("Other (kept as written)")),
]


class SectionRolesForm(forms.Form):
    """Which part of the plan each section is, when the importer guessed wrong."""

    def __init__(self, *args, sections: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for index, section in enumerate(sections):
            self.fields[f"role_{index}"] = forms.ChoiceField(
                label=section["heading"], choices=SECTION_ROLE_CHOICES, initial=section["role"]
            )

    def roles(self) -> dict[int, str]:
        return {i: self.cleaned_data[f"role_{i}"] for i in range(len(self.sections))}
