"""The ward's opinion digests as a CSV table (core.tabular); the Excel keeps its own
coloured workbook in digest_views.workbook."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kehoach.core.tabular import Column, Table


def digests_table(data: dict, notes: list[str]) -> Table:
    """One row a unit, as digests.ward_digests() lists them: the written digests (hot spots
    first), then the units that owe a report but have written none."""
    topics = data["topics"]
    rows = [
        {
            "unit": row["unit"],
            "hot": row["digest"].has_hot_spot,
            "tones": [str(mark["label"]) if mark["tone"] else "" for mark in row["tones"]],
            "texts": (row["digest"].subjects, row["digest"].problems, row["digest"].proposals),
        }
        for row in data["rows"]
    ]
    missing = (_("No digest yet"), "", "")
    rows += [
        {"unit": unit, "hot": False, "tones": [""] * len(topics), "texts": missing}
        for unit in data["missing"]
    ]
    columns = [
        Column(_("Unit"), lambda r: r["unit"].name, width=36),
        Column(_("Hot spot"), lambda r: r["hot"], "bool", width=10),
    ]
    columns += [
        Column(
            _("Topic %(number)s: %(title)s") % {"number": i, "title": topic.title[:80]},
            lambda r, i=i: r["tones"][i - 1],
            width=16,
        )
        for i, topic in enumerate(topics, start=1)
    ]
    columns += [
        Column(_("Main subjects people discuss"), lambda r: r["texts"][0], width=50),
        Column(_("Problems arising"), lambda r: r["texts"][1], width=50),
        Column(_("Proposals"), lambda r: r["texts"][2], width=50),
    ]
    return Table(title=_("Opinion"), columns=columns, rows=rows, notes=notes)
