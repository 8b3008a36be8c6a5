from datetime import datetime, time

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehoach.audit import registry
from kehoach.audit.models import Action, Source


def _model_choices():
    choices = [("", _("All object types"))]
    for model in registry.audited_models():
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        choices.append((str(ct.pk), str(model._meta.verbose_name).capitalize()))
    return choices


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (username)"), required=False)
    model = forms.ChoiceField(label=_("Object type"), required=False, choices=())
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *Source.choices]
    )
    date_from = forms.DateField(
        label=_("From date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = _model_choices()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def apply(self, entries):
        data = self.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_label__iexact=data["actor"].strip())
        if data["model"]:
            entries = entries.filter(content_type_id=int(data["model"]))
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["source"]:
            entries = entries.filter(source=data["source"])
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            entries = entries.filter(at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data["date_to"]:
            entries = entries.filter(at__lte=datetime.combine(data["date_to"], time.max, tz))
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"].strip())
        if data["request_id"]:
            entries = entries.filter(request_id=data["request_id"].strip())
        return entries
