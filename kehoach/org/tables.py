"""The unit tree as a spreadsheet (core.tabular).

The first five columns carry the headers of the import template (org/excel.py), so an
exported tree is also a starting point for an import elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from kehoach.core.tabular import Column, Table
from kehoach.org.models import Unit


def walk(forest: list[dict], level: int = 1, parent: Unit | None = None) -> Iterator[tuple]:
    """(unit, level in the visible tree, visible parent) in the order the page shows."""
    for node in forest:
        yield node["unit"], level, parent
        yield from walk(node["children"], level + 1, node["unit"])


def units_table(forest: list[dict], notes: list[str]) -> Table:
    """`forest` is the page's nested visible units (org.views._nest)."""
    return Table(
        title=_("Units"),
        columns=[
            Column(_("Unit name"), lambda r: r[0].name, width=48),
            Column(_("Short name"), lambda r: r[0].short_name, width=18),
            Column(_("Kind"), lambda r: r[0].get_kind_display(), width=28),
            # Only a parent the person can see: the tree above their scope is not theirs.
            Column(_("Parent unit"), lambda r: r[2].name if r[2] else "", width=40),
            Column(_("Order"), lambda r: r[0].order, "int", width=8),
            Column(_("Level"), lambda r: r[1], "int", width=8),
            Column(_("Retired"), lambda r: not r[0].is_active, "bool", width=10),
            Column(_("Retired at"), lambda r: r[0].retired_at, "datetime", width=17),
        ],
        rows=list(walk(forest)),
        notes=notes,
    )
