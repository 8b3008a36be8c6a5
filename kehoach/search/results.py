"""A search as the page and the API show it: groups by kind, each line with its link and the
words that matched marked in a short quote.

Queries: one over the index, then one per kind found through that kind's own `for_user`,
so what a person sees is exactly what the lists show them, however many results there are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kehoach.search import engine
from kehoach.search.engine import CAP
from kehoach.search.kinds import KINDS
from kehoach.search.terms import Query, match_spans, parse_query, snippet_window

PER_KIND = 5
PAGE_SIZE = 20
_SPACES = re.compile(r"\s+")


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    title_html: SafeString
    url: str
    meta: str
    snippet: str
    snippet_html: SafeString


@dataclass
class Group:
    kind: str
    label: str
    total: int
    # More than `total` (CAP) were found: only the newest CAP are ranked and shown.
    more: bool = False
    hits: list[Hit] = field(default_factory=list)


@dataclass
class Results:
    query: Query
    kind: str | None
    offset: int
    limit: int
    # Every kind found, with its count, whichever kind is shown.
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def shown(self) -> list[Group]:
        return [g for g in self.groups if self.kind in (None, g.kind)]


def marked(text: str, wanted: frozenset[str], window: bool = False) -> tuple[str, SafeString]:
    """`text` (or a window of it around the first match) as plain text and as HTML with
    the matches in <mark>; everything else escaped."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    spans = match_spans(text, wanted)
    start, end = snippet_window(text, spans) if window else (0, len(text))
    parts: list[str] = ["…"] if start > 0 else []
    cursor = start
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        parts += [escape(text[cursor:a]), "<mark>", escape(text[a:b]), "</mark>"]
        cursor = b
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    plain = ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")
    return plain, mark_safe("".join(parts))


def shown_records(user, code: str, ids: list[int]) -> QuerySet:
    """The records of kind `code` behind the index rows `ids` that the person may see, with
    only what their lines read."""
    spec = KINDS[code]
    # Unordered: the rows come back as a dict, and the models' default orderings made each
    # of up to nine statements sort what it found (2.5 ms of a typical ward's 18).
    records = spec.visible(user).filter(pk__in=ids).order_by()
    if spec.line_select:
        records = records.select_related(*spec.line_select)
    if spec.line_only:
        records = records.only(*spec.line_only)
    return records


def search(
    user, text: str, kind: str | None = None, limit: int | None = None, offset: int = 0
) -> Results:
    """The person's results for `text`: every kind (a few of each) or one kind, paged."""
    query = parse_query(text)
    kind = kind if kind in KINDS else None
    limit = max(1, min(limit or (PAGE_SIZE if kind else PER_KIND), 100))
    offset = max(0, min(offset, CAP - limit))
    rows = engine.find(user, query, limit, offset, kind)
    totals = {r.kind: r.total for r in rows}
    shown = [r for r in rows if offset < r.position <= offset + limit and kind in (None, r.kind)]
    found: dict[str, dict[int, object]] = {}
    for code in dict.fromkeys(r.kind for r in shown):
        ids = [r.object_id for r in shown if r.kind == code]
        found[code] = {obj.pk: obj for obj in shown_records(user, code, ids)}
    wanted = query.highlight_words
    groups: dict[str, Group] = {}
    for code in KINDS:
        if code in totals:
            groups[code] = Group(
                kind=code,
                label=str(KINDS[code].label),
                total=min(totals[code], CAP),
                more=totals[code] > CAP,
            )
    for row in shown:
        obj = found[row.kind].get(row.object_id)
        group = groups[row.kind]
        if obj is None:
            # Indexed but not visible (or gone): never shown, and not counted.
            group.total -= 1
            continue
        line = KINDS[row.kind].line(obj)
        title, title_html = marked(line.title, wanted)
        snippet, snippet_html = marked(row.text, wanted, window=True)
        group.hits.append(
            Hit(
                kind=row.kind,
                id=row.object_id,
                title=title,
                title_html=title_html,
                url=line.url,
                meta=line.meta,
                snippet=snippet,
                snippet_html=snippet_html,
            )
        )
    return Results(
        query=query,
        kind=kind,
        offset=offset,
        limit=limit,
        groups=[g for g in groups.values() if g.total > 0],
    )
