"""The completeness board's grid cells as HTML.

Written here rather than in the template: a ward's board has 60 units × 4 periods, and the
template's tags per cell (a URL, translations, four branches) were half of the page's time.
The markup is the same the template wrote.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kehoach.core.links import pk_url

EMPTY = '<td class="cell mark-cell" title=""><span class="muted">·</span></td>'
SYMBOLS = {"accepted": "✓", "submitted": "●", "returned": "↺"}


def grid_cells() -> Callable[[list[dict | None]], SafeString]:
    """A writer of one row's cells, one <td> per period: the unit's report there (a mark of
    reports.views._mark) or none. Made once per board, so the link and the words are too."""
    late = escape(_("late"))
    url = pk_url("reports:unit_report")

    def write(grid: list[dict | None]) -> SafeString:
        cells = []
        for mark in grid:
            if mark is None:
                cells.append(EMPTY)
                continue
            label = escape(mark["label"])
            symbol = SYMBOLS.get(mark["code"]) or ("✗" if mark["timeliness"] == "missing" else "○")
            if mark["timeliness"] == "late":
                symbol += "!"
            aria = f"{label}, {late}" if mark["late"] else label
            cells.append(
                f'<td class="cell mark-cell {escape(mark["code"])} {escape(mark["timeliness"])}" '
                f'title="{label}"><a href="{url(mark["report"].pk)}" aria-label="{aria}">'
                f"{symbol}</a></td>"
            )
        return mark_safe("".join(cells))

    return write
