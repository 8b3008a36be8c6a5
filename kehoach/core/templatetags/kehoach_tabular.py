"""`{% export_url 'csv' %}`: the current list page's address with its filters and `xuat=`."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context, fmt: str) -> str:
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    query["xuat"] = fmt
    return f"{request.path}?{query.urlencode()}"
