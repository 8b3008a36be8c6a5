"""The targets catalogue with progress as a spreadsheet (core.tabular). The coordinator's
catalogue file that imports back stays in services.export_excel."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kehoach.core.tabular import Column, Table
from kehoach.indicators import progress


def status_label(status: str) -> str:
    return {
        progress.ON_TRACK: _("On track"),
        progress.AT_RISK: _("At risk"),
        progress.OFF_TRACK: _("Off track"),
    }.get(status, _("No data yet"))


def catalogue_table(rows: list[dict], notes: list[str]) -> Table:
    """`rows` are progress.progress_rows() of the indicators the page shows."""
    return Table(
        title=_("Targets"),
        columns=[
            Column(_("Programme"), lambda r: r["programme"], width=30),
            Column(_("Indicator"), lambda r: r["name"], width=60),
            Column(_("Unit of measure"), lambda r: r["measure"], width=14),
            Column(_("Latest"), lambda r: r["latest"], "number", width=10),
            Column(_("As of"), lambda r: r["latest_as_of"], "date", width=12),
            Column(_("Progress (%)"), lambda r: r["progress_pct"], "number", width=10),
            Column(_("This year's target"), lambda r: r["target"], "number", width=12),
            Column(_("Status"), lambda r: status_label(r["status"]), width=14),
            Column(_("Example figures"), lambda r: r["is_example"], "bool", width=10),
        ],
        rows=rows,
        notes=notes,
    )
