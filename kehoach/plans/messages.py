"""Turns the importer's English message templates into Vietnamese sentences."""

from django.utils.translation import gettext

from kehoach.plans.importer.result import Notice, PlanReadError


def render(item: Notice | PlanReadError) -> str:
    text = gettext(item.message)
    return text % item.params if item.params else text
