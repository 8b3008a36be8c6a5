"""The Excel file of a filtered activity list: one row an activity, totals at the bottom."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from kehoach.activities.models import OUTPUT_FIELDS, REACH_FIELDS, Activity, Audience

COUNTS = REACH_FIELDS + OUTPUT_FIELDS
# Spreadsheet programs would run a cell starting with these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    text = text or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


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


def activities_workbook(activities: Iterable[Activity], filters: dict | None = None) -> bytes:
    """Rows for the activities given (already scoped, filtered and with details loaded)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Activities")
    meta = Activity._meta
    headers = [
        _("Activity date"),
        _("Unit"),
        _("Plan"),
        _("Topics covered"),
        _("Form of communication"),
        _("Audience groups"),
        *[str(meta.get_field(f).verbose_name) for f in COUNTS],
        _("Short description"),
        _("Evidence"),
        _("Logged by"),
        _("Locked"),
    ]
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    totals = dict.fromkeys(COUNTS, 0)
    rows = 0
    if hasattr(activities, "iterator"):
        # In chunks, prefetches included, so a year of a city's activities fits in memory.
        activities = activities.iterator(chunk_size=2000)
    for activity in activities:
        topics = "; ".join(link.topic.title[:200] for link in activity.topic_links.all())
        audiences = ", ".join(str(row.get_audience_display()) for row in activity.audiences.all())
        by = activity.created_by
        ws.append(
            [
                activity.date,
                _safe(activity.unit.name),
                _safe(str(activity.plan) if activity.plan else ""),
                _safe(topics),
                str(activity.get_channel_display()),
                audiences,
                *[getattr(activity, f) for f in COUNTS],
                _safe(activity.description),
                getattr(activity, "evidence_count", 0),
                _safe(getattr(by, "display_name", "") or (by.get_username() if by else "")),
                _("Yes") if activity.is_locked else "",
            ]
        )
        ws.cell(row=ws.max_row, column=1).number_format = "DD/MM/YYYY"
        for f in COUNTS:
            totals[f] += getattr(activity, f)
        rows += 1
    count = _("%(count)d activities") % {"count": rows}
    ws.append([_("Total"), count, "", "", "", "", *[totals[f] for f in COUNTS]])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    if filters:
        ws.append([])
        ws.append([_("Filters"), _describe_filters(filters)])
    for column, width in zip("ABCDEF", (12, 32, 40, 48, 24, 28), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
