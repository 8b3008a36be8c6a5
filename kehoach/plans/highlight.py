"""The source text with each recognised part marked, for the review screen."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kehoach.plans.importer.result import Span


def highlighted(text: str, spans: list[Span]) -> SafeString:
    """Escaped text with <mark> around non-overlapping spans (the first one wins)."""
    pieces, cursor = [], 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        start, end = max(span.start, cursor), min(span.end, len(text))
        if start >= end:
            continue
        pieces.append(escape(text[cursor:start]))
        part = escape(span.part)
        pieces.append(
            f'<mark class="part part-{part}" data-part="{part}">{escape(text[start:end])}</mark>'
        )
        cursor = end
    pieces.append(escape(text[cursor:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
