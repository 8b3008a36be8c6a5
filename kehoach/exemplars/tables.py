"""The exemplar registry as a spreadsheet (core.tabular)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kehoach.core.tabular import Column, Table
from kehoach.exemplars.models import Exemplar


def exemplars_table(exemplars: Iterable[Exemplar], notes: list[str]) -> Table:
    """`exemplars` is scoped and filtered, with unit and plan loaded and `photo_count`."""
    return Table(
        title=_("Exemplary models"),
        columns=[
            Column(_("Name"), lambda e: e.name, width=36),
            Column(_("Kind of exemplar"), lambda e: e.get_kind_display(), width=16),
            Column(_("Field of work"), lambda e: e.get_field_display(), width=20),
            Column(_("Year"), lambda e: e.year, "int", width=8),
            Column(_("Unit"), lambda e: e.unit.name, width=32),
            Column(_("Stage"), lambda e: e.get_stage_display(), width=16),
            Column(_("Story"), lambda e: e.story, width=60),
            Column(_("Plan"), lambda e: str(e.plan) if e.plan_id else "", width=30),
            Column(_("Form of commendation"), lambda e: e.commendation_form, width=30),
            Column(_("Commended on"), lambda e: e.commended_on, "date", width=12),
            Column(_("Photos"), lambda e: e.photo_count, "int", width=8),
        ],
        rows=exemplars,
        notes=notes,
    )
