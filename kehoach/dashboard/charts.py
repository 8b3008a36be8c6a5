"""Charts drawn on the server as inline SVG: no script, no CDN, readable by a screen reader.

Each chart has a <title> (its accessible name, with role="img" or a group of links), text
labels on the bars and cells, a viewBox and width 100% so it scales to a phone. Every text
that comes from the data is escaped.
"""

from __future__ import annotations

from django.utils.formats import get_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colour-blind friendly palette (Okabe-Ito and a few more), one per series.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#7F7F7F",
    "#332288",
)
FONT = 'font-family="sans-serif" font-size="12"'


def _n(value) -> str:
    if isinstance(value, int):
        # What number_format writes for an integer, without its per-call machinery: a heat
        # map writes a thousand of them.
        return _grouped(value, get_format("THOUSAND_SEPARATOR"))
    return number_format(value, force_grouping=True)


def _grouped(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator)


def _short(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(width: int, height: int, title: str, body: str, css: str = "chart") -> SafeString:
    return mark_safe(
        f'<svg class="{css}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def bar_chart(title: str, items: list[tuple[str, float]], *, width: int = 600) -> SafeString:
    """Horizontal bars, one per (label, value), the label left and the value right of it."""
    label_w, value_w, row_h = 220, 70, 24
    height = max(row_h * len(items) + 10, 30)
    peak = max((v for _l, v in items), default=0) or 1
    span = width - label_w - value_w
    parts = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_h
        bar = round(span * value / peak, 1)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" {FONT}>'
            f"{escape(_short(label, 34))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{bar}" height="{row_h - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {_n(value)}</title></rect>'
            f'<text x="{label_w + bar + 4}" y="{y + 16}" {FONT}>{_n(value)}</text>'
        )
    return _svg(width, height, title, "".join(parts))


def stacked_chart(
    title: str, labels: list[str], series: list[tuple[str, list[float]]], *, width: int = 640
) -> SafeString:
    """Vertical stacked bars over time: one column per label, one colour per series, with a
    legend under the chart and the column total above each column."""
    left, top, plot_h = 40, 20, 200
    shown = [(name, values) for name, values in series if any(values)]
    columns = max(len(labels), 1)
    step = (width - left - 10) / columns
    totals = [sum(values[i] for _n_, values in shown) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    legend_rows = (len(shown) + 2) // 3
    height = top + plot_h + 40 + 18 * legend_rows
    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        f'stroke="#555"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" {FONT}>{_n(peak)}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" {FONT}>0</text>',
    ]
    bar_w = max(step * 0.7, 1)
    every = max(1, round(columns / 12))
    for i, label in enumerate(labels):
        x = left + i * step + (step - bar_w) / 2
        y = top + plot_h
        for s, (name, values) in enumerate(shown):
            value = values[i]
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            colour = PALETTE[s % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(label)} — {escape(name)}: {_n(value)}'
                f"</title></rect>"
            )
        if totals[i]:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'font-family="sans-serif" font-size="10">{_n(totals[i])}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                f'font-family="sans-serif" font-size="10">{escape(label)}</text>'
            )
    for s, (name, _values) in enumerate(shown):
        x = left + (s % 3) * ((width - left) / 3)
        y = top + plot_h + 30 + (s // 3) * 18
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="10" height="10" '
            f'fill="{PALETTE[s % len(PALETTE)]}"/>'
            f'<text x="{x + 14:.1f}" y="{y + 9}" {FONT}>{escape(_short(name, 28))}</text>'
        )
    return _svg(width, height, title, "".join(parts))


def heat_map(
    title: str,
    rows: list[tuple[int, str, list[int]]],
    columns: list[tuple[int, str]],
    link,
    *,
    peak: int,
) -> SafeString:
    """Units × topics: a square per cell shaded by its count, the count written in it, and a
    link (class "cell", a stable id) to the activities behind it. `link(unit_id, topic_id)`
    gives the address."""
    label_w, cell_w, cell_h, top = 200, 56, 26, 26
    width = label_w + cell_w * max(len(columns), 1) + 10
    height = top + cell_h * len(rows) + 10
    peak = peak or 1
    separator = get_format("THOUSAND_SEPARATOR")
    parts = []
    for j, (_topic_id, label) in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(
            f'<text x="{x:.0f}" y="{top - 8}" text-anchor="middle" {FONT}>{escape(label)}</text>'
        )
    for i, (unit_id, unit, counts) in enumerate(rows):
        y = top + i * cell_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" {FONT}>'
            f"{escape(_short(unit, 30))}</text>"
        )
        for j, ((topic_id, label), count) in enumerate(zip(columns, counts, strict=True)):
            x = label_w + j * cell_w
            shade = 0.08 + 0.92 * count / peak if count else 0
            fill = f"rgba(0,114,178,{shade:.2f})" if count else "#f3f3f3"
            ink = "#fff" if shade > 0.55 else "#111"
            text = _grouped(count, separator) if count else "—"
            name = f"{unit} — {label}: {_grouped(count, separator)}"
            cell = (
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{fill}"/><text x="{x + cell_w / 2:.0f}" y="{y + 17}" '
                f'text-anchor="middle" fill="{ink}" {FONT}>{text}</text>'
            )
            href = escape(link(unit_id, topic_id))
            parts.append(
                f'<a class="cell" id="heatmap-cell-{unit_id}-{topic_id}" href="{href}" '
                f'aria-label="{escape(name)}"><title>{escape(name)}</title>{cell}</a>'
            )
    return mark_safe(
        f'<svg class="chart heatmap" viewBox="0 0 {width} {height}" width="100%" '
        f'role="group" xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
