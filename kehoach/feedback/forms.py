"""Forms for concerns: recording by a unit, the public form, each handling step, filters."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kehoach.accounts import policy
from kehoach.activities.forms_activities import MultipleFileField, MultipleFileInput
from kehoach.feedback import services
from kehoach.feedback.models import Category, ConcernStatus, Source, Urgency
from kehoach.org.models import Unit, UnitKind
from kehoach.plans.models import Topic

ACCEPT = "image/*,.pdf,.docx,.xlsx,.pptx,.odt"
STAFF_SOURCES = [(v, label) for v, label in Source.choices if v != Source.PUBLIC_FORM]


def _files_field(label) -> MultipleFileField:
    return MultipleFileField(
        label=label,
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Photos or documents, checked by their content."),
    )


class _Intake(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    place = forms.CharField(
        label=_("Place (residential group)"), max_length=services.SHORT_MAX, required=False
    )
    summary = forms.CharField(
        label=_("What is the concern?"),
        max_length=services.SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    wants_answer = forms.BooleanField(label=_("The resident wants an answer"), required=False)
    resident_name = forms.CharField(
        label=_("Resident's name"), max_length=services.SHORT_MAX, required=False
    )
    resident_contact = forms.CharField(
        label=_("Phone or address for the answer"),
        max_length=services.SHORT_MAX,
        required=False,
        help_text=_("Kept only while the concern is handled, then erased."),
    )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Attach at most %(count)s files.") % {"count": self.max_files}
            )
        return files


class ConcernForm(_Intake):
    """A unit records what people raised at a meeting or a visit."""

    max_files = services.MAX_FILES * 3

    unit = forms.ModelChoiceField(label=_("Recorded by"), queryset=Unit.objects.none())
    source = forms.ChoiceField(label=_("Heard at"), choices=STAFF_SOURCES)
    topic = forms.ModelChoiceField(
        label=_("Plan topic"), queryset=Topic.objects.none(), required=False
    )
    people_count = forms.IntegerField(
        label=_("People who raised it"), min_value=1, max_value=services.PEOPLE_MAX, initial=1
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    files = _files_field(_("Attachments"))

    field_order = [
        "unit",
        "source",
        "category",
        "topic",
        "place",
        "summary",
        "people_count",
        "urgency",
        "wants_answer",
        "resident_name",
        "resident_contact",
        "files",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = [
            u
            for u in Unit.objects.pickable_for(user).exclude(kind=UnitKind.EXTERNAL)
            if policy.can(user, "concerns.record", u)
        ]
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        ward_paths = {u.path.split("/")[1] for u in units}
        condition = Q(pk__in=[])
        for root in ward_paths:
            condition |= Q(plan__unit__path__startswith=f"/{root}/")
        self.fields["topic"].queryset = Topic.objects.filter(condition).order_by("plan_id", "order")


class PublicConcernForm(_Intake):
    """The resident's form: no sign-in; `website` is a trap only robots fill in."""

    max_files = services.MAX_FILES

    files = _files_field(_("Photos or documents (optional)"))
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].label = _("What would you like to raise?")
        self.fields["wants_answer"].label = _("I would like an answer")
        self.fields["resident_name"].label = _("Your name (optional)")
        self.fields["resident_contact"].label = _("Your phone or address (optional)")

    @property
    def is_trap(self) -> bool:
        return bool((self.data.get("website") or "").strip())


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the resident"),
        max_length=services.ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The resident reads this through their link. Write no staff names."),
    )
    seen = forms.DateTimeField(required=False, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    prefix = "scope"
    note = forms.CharField(
        label=_("Where should the resident turn?"),
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _UnitChoice(forms.Form):
    unit = forms.ModelChoiceField(label=_("To unit"), queryset=Unit.objects.none())

    def __init__(self, *args, concern, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A unit handling a concern may pass it to any unit of its ward, even one it
        # cannot see otherwise.
        self.fields["unit"].queryset = (
            Unit.objects.filter(path__startswith=concern.ward.path, is_active=True)
            .exclude(kind=UnitKind.EXTERNAL)
            .exclude(pk=concern.unit_id)
            .order_by("path")
        )


class TransferForm(_UnitChoice):
    prefix = "transfer"
    note = forms.CharField(
        label=_("Why it is transferred"),
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RerouteForm(_UnitChoice):
    prefix = "reroute"
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=services.NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DuplicateForm(forms.Form):
    prefix = "duplicate"
    original = forms.CharField(label=_("Code of the original concern"), max_length=16)


class UrgencyForm(forms.Form):
    prefix = "urgency"
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)


STATE_CHOICES = [
    ("", _("All")),
    ("open", _("Open")),
    ("overdue", _("Overdue")),
    *ConcernStatus.choices,
]


class ConcernFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), choices=STATE_CHOICES, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=[("", _("All")), *Urgency.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Handling unit"), queryset=Unit.objects.none(), required=False
    )
    code = forms.CharField(label=_("Code"), max_length=16, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.for_user(user).exclude(kind=UnitKind.EXTERNAL).order_by("path")
        )

    def apply(self, concerns, now):
        data = self.cleaned_data
        state = data.get("state")
        if state == "open":
            concerns = concerns.filter(status__in=services.OPEN)
        elif state == "overdue":
            concerns = concerns.filter(services.overdue_filter(now))
        elif state:
            concerns = concerns.filter(status=state)
        if data.get("category"):
            concerns = concerns.filter(category=data["category"])
        if data.get("urgency"):
            concerns = concerns.filter(urgency=data["urgency"])
        if data.get("unit") is not None:
            concerns = concerns.filter(unit__path__startswith=data["unit"].path)
        if data.get("code"):
            concerns = concerns.filter(code=services.normalise_code(data["code"]))
        return concerns
