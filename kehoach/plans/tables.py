"""The plan list as a spreadsheet (core.tabular)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kehoach.core.tabular import Column, Table
from kehoach.plans.models import Plan


def plans_table(plans: Iterable[Plan], notes: list[str]) -> Table:
    """Rows as on the list page; `plans` is scoped and has unit and parent loaded."""
    return Table(
        title=_("Plans"),
        columns=[
            Column(_("Number and symbol"), lambda p: p.number, width=18),
            Column(_("Date"), lambda p: p.date, "date", width=12),
            Column(_("Subject"), lambda p: p.title, width=60),
            Column(_("Unit"), lambda p: p.unit.name, width=36),
            Column(_("Status"), lambda p: p.get_status_display(), width=14),
            Column(_("Parent plan"), lambda p: str(p.parent) if p.parent_id else "", width=40),
        ],
        rows=plans,
        notes=notes,
    )
