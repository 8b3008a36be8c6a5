import json

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return reverse("audit:history", args=[ct.pk, obj.pk])


@register.filter
def as_json(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


_HIDDEN = {"id", "created_at"}


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    # A structured value (a JSON field's dict or list) is never a choice, and is unhashable.
    if isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return as_json(value)


@register.simple_tag
def readable_changes(entry) -> list[tuple[str, str, str]]:
    """(label, before, after) with the fields' Vietnamese names and choice labels."""
    model = entry.content_type.model_class()
    rows = []
    for name, old, new in entry.changes():
        if name in _HIDDEN:
            continue
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        label = str(field.verbose_name) if field is not None else name
        rows.append((label, _display(field, old), _display(field, new)))
    return rows
