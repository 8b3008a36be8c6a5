"""`{% export_url 'csv' %}`: the current list page's address with its filters and `xuat=`."""

from django import template

register = template.Library()

# The page number is not a filter: an export holds every matching row.
_PAGING = ("trang", "page")


@register.simple_tag(takes_context=True)
def export_url(context: template.Context, fmt: str) -> str:
    request = context["request"]
    query = request.GET.copy()
    for name in _PAGING:
        query.pop(name, None)
    query["xuat"] = fmt
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag
def once_field() -> str:
    """The single-submission token of a creating form (kehoach.core.once)."""
    from django.utils.html import format_html

    from kehoach.core.once import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
