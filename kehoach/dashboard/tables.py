"""The dashboard as one CSV table (core.tabular).

Its panels have different shapes, so the CSV is in long form: one row a figure, named by
its panel, the item it is about and what it measures. Excel keeps one sheet a panel
(views.workbook).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from kehoach.core.tabular import Column, Table
from kehoach.dashboard.figures import Filters


def _figures(data: dict) -> Iterator[tuple]:
    acts = data["activities"]
    series = acts["over_time"]
    panel = _("Over time")
    for i, bucket in enumerate(series["buckets"]):
        item = f"{bucket['start']:%d/%m/%Y} – {bucket['end']:%d/%m/%Y}"
        for s in series["series"]:
            yield panel, item, s["label"], s["values"][i]
        yield panel, item, _("Total"), bucket["total"]
    for row in acts["by_channel"]:
        yield _("By channel"), row["label"], _("Activities"), row["activities"]
    for row in acts["by_topic"]:
        item = f"{row['number']}. {row['label']}"
        yield _("By topic"), item, _("Activities"), row["activities"]
        yield _("By topic"), item, _("People reached"), row["reached"]
    for row in acts["by_audience"]:
        yield _("By audience"), row["label"], _("Activities"), row["activities"]
        yield _("By audience"), row["label"], _("People reached"), row["reached"]
    heat = data["heat_map"]
    if heat:
        for row in heat["rows"]:
            for topic, count in zip(heat["topics"], row["cells"], strict=True):
                measure = _("Topic %(number)s") % {"number": topic["number"]}
                yield _("Coverage"), row["unit"], measure, count
    completeness = data["completeness"]
    if completeness:
        for p in completeness["periods"]:
            for key, measure in (
                ("expected", _("Expected")),
                ("on_time", _("On time")),
                ("late", _("Late")),
                ("missing", _("Missing")),
                ("not_due", _("Not yet due")),
            ):
                yield _("Reports"), p["label"], measure, p[key]
    for row in data["tasks_overdue"]["units"]:
        yield _("Overdue tasks"), row["unit"], _("Overdue tasks"), row["overdue"]
    c = data["concerns"]
    for key, measure in (
        ("received", _("Received")),
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        ("open_hot_spots", _("Open hot spots")),
    ):
        yield _("Concerns"), "", measure, c[key]
    for row in data["exemplars"]["stages"]:
        yield _("Exemplary models"), row["label"], _("Exemplary models"), row["count"]
    for row in data["content"]["outlets"]:
        yield _("Content"), row["label"], _("Published"), row["count"]
    for row in data["targets"] or []:
        yield _("Targets"), row.get("name"), _("Latest"), row.get("latest")
        yield _("Targets"), row.get("name"), _("Target"), row.get("target")


def dashboard_table(data: dict, notes: list[str]) -> Table:
    return Table(
        title=_("Dashboard"),
        columns=[
            Column(_("Panel"), lambda r: r[0], width=20),
            Column(_("Item"), lambda r: r[1], width=50),
            Column(_("Measure"), lambda r: r[2], width=24),
            Column(_("Value"), lambda r: r[3], "number", width=12),
        ],
        rows=list(_figures(data)),
        notes=notes,
    )


def filter_pairs(f: Filters) -> list[tuple]:
    """The dashboard's filters as (label, value) for the notes line."""
    pairs: list[tuple] = [(_("From"), f.start), (_("To"), f.end)]
    if f.plan is not None:
        pairs.append((_("Plan"), f.plan))
    if f.period is not None:
        pairs.append((_("Reporting period"), str(f.period)))
    if f.unit is not None:
        pairs.append((_("Unit (with its units)"), f.unit))
    return pairs
