"""The completeness board's grid cells as HTML.

Written here rather than in the template: a ward's board has 60 units × 4 periods, and the
template's tags per cell (a URL, translations, four branches) were half of the page's time.
The markup is the same the template wrote.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

SYMBOLS = {"accepted": "✓", "submitted": "●", "returned": "↺"}


def grid_cells(grid: list[dict | None]) -> SafeString:
    """One <td> per period: the unit's report there (a mark of reports.views._mark) or none."""
    late = escape(_("late"))
    # The report's pk is the only part of its URL that changes.
    base = reverse("reports:unit_report", args=[0])[:-2]
    cells = []
    for mark in grid:
        if mark is None:
            cells.append('<td class="cell mark-cell" title=""><span class="muted">·</span></td>')
            continue
        label = escape(mark["label"])
        symbol = SYMBOLS.get(mark["code"]) or ("✗" if mark["timeliness"] == "missing" else "○")
        if mark["timeliness"] == "late":
            symbol += "!"
        aria = f"{label}, {late}" if mark["late"] else label
        cells.append(
            f'<td class="cell mark-cell {escape(mark["code"])} {escape(mark["timeliness"])}" '
            f'title="{label}"><a href="{base}{int(mark["report"].pk)}/" aria-label="{aria}">'
            f"{symbol}</a></td>"
        )
    return mark_safe("".join(cells))
