import json

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

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
