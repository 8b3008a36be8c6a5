"""The activity list as a spreadsheet: one row an activity, totals at the bottom.

Its columns are the import's columns (`FIELDS`, shared with activities.sheets) followed by
three that only inform (evidence, who logged it, locked), so an exported month imports
back as it is: the reader finds columns by header, ignores the extra ones and stops at
the totals row.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from kehoach.activities.models import OUTPUT_FIELDS, REACH_FIELDS, Activity, Audience
from kehoach.core import tabular
from kehoach.core.spreadsheets import Field

COUNTS = REACH_FIELDS + OUTPUT_FIELDS
# Several topics or audience groups in one cell; labels themselves hold commas.
LIST_SEPARATOR = "; "
TOPIC_TITLE_MAX = 200


def _count_header(name: str):
    return Activity._meta.get_field(name).verbose_name


FIELDS: list[Field] = [
    Field("date", gettext_lazy("Activity date"), required=True, width=12, kind="date"),
    Field("unit", gettext_lazy("Unit"), required=True, width=32),
    Field("plan", gettext_lazy("Plan"), width=40),
    Field("topics", gettext_lazy("Topics covered"), width=48),
    Field("channel", gettext_lazy("Form of communication"), required=True, width=24),
    Field("audiences", gettext_lazy("Audience groups"), width=28),
    *[Field(name, _count_header(name), width=12) for name in COUNTS],
    Field("description", gettext_lazy("Short description"), width=48),
]


def _safe(text: str) -> str:
    return tabular.safe_text(text or "")


def topics_text(activity: Activity) -> str:
    return LIST_SEPARATOR.join(
        link.topic.title[:TOPIC_TITLE_MAX] for link in activity.topic_links.all()
    )


def audiences_text(activity: Activity) -> str:
    return LIST_SEPARATOR.join(str(row.get_audience_display()) for row in activity.audiences.all())


def _logged_by(activity: Activity) -> str:
    by = activity.created_by
    return getattr(by, "display_name", "") or (by.get_username() if by else "")


def columns() -> list[tabular.Column]:
    """Every column of the export, in order; the first ones are exactly FIELDS."""
    values = {
        "date": lambda a: a.date,
        "unit": lambda a: a.unit.name,
        "plan": lambda a: str(a.plan) if a.plan else "",
        "topics": topics_text,
        "channel": lambda a: str(a.get_channel_display()),
        "audiences": audiences_text,
        "description": lambda a: a.description,
        **{name: (lambda a, name=name: getattr(a, name)) for name in COUNTS},
    }
    kinds = {"date": "date", **dict.fromkeys(COUNTS, "int")}
    made = [
        tabular.Column(f.header, values[f.key], kinds.get(f.key, "text"), f.width) for f in FIELDS
    ]
    return made + [
        tabular.Column(gettext_lazy("Evidence"), lambda a: getattr(a, "evidence_count", 0), "int"),
        tabular.Column(gettext_lazy("Logged by"), _logged_by),
        tabular.Column(gettext_lazy("Locked"), lambda a: a.is_locked, "bool", 10),
    ]


def _cell(column: tabular.Column, activity: Activity):
    value = column.value(activity)
    if column.kind == "bool":
        return _("Yes") if value else ""
    return _safe(value) if column.kind == "text" else value


def export_filename() -> str:
    return f"hoat-dong-{timezone.localdate():%Y%m%d}.xlsx"


def _describe_filters(filters: dict) -> str:
    parts = []
    labels = {
        "unit": _("Unit (with its units)"),
        "plan": _("Plan"),
        "topic": _("Topic"),
        "channel": _("Form of communication"),
        "audience": _("Audience group"),
        "date_from": _("From"),
        "date_to": _("To"),
    }
    for name, value in filters.items():
        if name == "channel":
            shown = str(Activity(channel=value).get_channel_display())
        elif name == "audience":
            shown = str(Audience(value).label)
        elif hasattr(value, "strftime"):
            shown = f"{value:%d/%m/%Y}"
        else:
            shown = str(value)
        parts.append(f"{labels[name]}: {shown}")
    return "; ".join(parts)


def activities_table(activities: Iterable[Activity], filters: dict | None = None) -> tabular.Table:
    """The same rows for CSV (no totals row: a CSV stays rectangular)."""
    notes = [_("Filters") + ": " + _describe_filters(filters)] if filters else []
    return tabular.Table(_("Activities"), columns(), activities, notes)


def activities_workbook(activities: Iterable[Activity], filters: dict | None = None) -> bytes:
    """Rows for the activities given (already scoped, filtered and with details loaded)."""
    cols = columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Activities")
    ws.append([str(c.header) for c in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    totals = dict.fromkeys(COUNTS, 0)
    rows = 0
    if hasattr(activities, "iterator"):
        # In chunks, prefetches included, so a year of a city's activities fits in memory.
        activities = activities.iterator(chunk_size=2000)
    for activity in activities:
        ws.append([_cell(c, activity) for c in cols])
        ws.cell(row=ws.max_row, column=1).number_format = "DD/MM/YYYY"
        for f in COUNTS:
            totals[f] += getattr(activity, f)
        rows += 1
    # The importer stops at this row: its first cell is "Total", never a date.
    count = _("%(count)d activities") % {"count": rows}
    ws.append([_("Total"), count, "", "", "", "", *[totals[f] for f in COUNTS]])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    if filters:
        ws.append([])
        ws.append([_("Filters"), _safe(_describe_filters(filters))])
    for i, column in enumerate(cols, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = column.width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
