"""Widgets for pickers that grow with the unit tree."""

from __future__ import annotations

from html import escape as quote

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe


class Flat(BaseChoiceIterator):
    """Choices already in (value, label) form. Django re-checks a plain list option by option
    each time it is assigned (normalize_choices); a city's 6,000 units need not be."""

    def __init__(self, choices: list[tuple[object, object]]) -> None:
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


class QuickSelect(forms.Select):
    """A flat <select> written directly rather than through a template per option: a city
    coordinator's unit picker holds 6,000 units, and the per-option templates took about a
    second of the activity list's 1.4 s (docs/benchmarks.md). Option groups are not used."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        parts = [f"<select{flatatt(final)}>"]
        for option_value, label in self.choices:
            code = "" if option_value is None else str(option_value)
            selected = " selected" if code in chosen else ""
            # The standard library's escape, as Django's does, without its per-call wrapping.
            parts.append(f'<option value="{quote(code)}"{selected}>{quote(str(label))}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))
