"""Widgets for pickers that grow with the unit tree."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A flat <select> written directly rather than through a template per option: a city
    coordinator's unit picker holds 6,000 units, and the per-option templates took about a
    second of the activity list's 1.4 s (docs/benchmarks.md). Option groups are not used."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        selected = mark_safe(" selected")
        parts = [format_html("<select{}>", flatatt(final))]
        for option_value, label in self.choices:
            code = "" if option_value is None else str(option_value)
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    code,
                    selected if code in chosen else "",
                    label,
                )
            )
        parts.append("</select>")
        return mark_safe("".join(parts))
