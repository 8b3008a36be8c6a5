"""`{% unit_options units chosen %}`: the <option>s of a unit picker, written directly.

A city coordinator's scope holds 6,000 units; a template loop over them took most of the
city dashboard's rendering (docs/benchmarks.md). The same reason as core.widgets.QuickSelect.
"""

from __future__ import annotations

from html import escape as quote

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def unit_options(units, chosen=None) -> SafeString:
    chosen_pk = getattr(chosen, "pk", None)
    return mark_safe(
        "".join(
            f'<option value="{int(unit.pk)}"{" selected" if unit.pk == chosen_pk else ""}>'
            f"{quote(unit.name)}</option>"
            for unit in units
        )
    )
