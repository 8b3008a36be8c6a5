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
