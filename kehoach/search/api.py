"""GET /api/v1/search?q=&kind=&limit=&offset=: the results page's search over the API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from kehoach.search.kinds import KINDS
from kehoach.search.results import search

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = ""
    kind: str = ""
    limit: int | None = None
    offset: int = 0


class HitOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    meta: str
    snippet: str
    # The same with the matched words in <mark>, everything else HTML-escaped.
    snippet_html: str
    title_html: str


class GroupOut(Schema):
    kind: str
    label: str
    total: int
    # More than `total` were found; only the newest `total` are ranked and paged.
    more: bool
    results: list[HitOut]


class SearchOut(Schema):
    query: str
    kind: str | None
    offset: int
    limit: int
    total: int
    counts: dict[str, int]
    # Kinds with more matches than their count.
    more: list[str]
    groups: list[GroupOut]


@router.get("", response=SearchOut, summary="Search everything you may see")
def search_everything(request: HttpRequest, params: Query[SearchParams]):
    if params.kind and params.kind not in KINDS:
        raise ValidationError(
            _("Unknown kind. Use one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}
        )
    found = search(
        request.auth, params.q, params.kind or None, limit=params.limit, offset=params.offset
    )
    if not found.query:
        raise ValidationError(_("Type letters or numbers to search for."))
    return {
        "query": found.query.text,
        "kind": found.kind,
        "offset": found.offset,
        "limit": found.limit,
        "total": found.total,
        "counts": {g.kind: g.total for g in found.groups},
        "more": [g.kind for g in found.groups if g.more],
        "groups": [
            {
                "kind": g.kind,
                "label": g.label,
                "total": g.total,
                "more": g.more,
                "results": [
                    {
                        "kind": h.kind,
                        "id": h.id,
                        "title": h.title,
                        "url": h.url,
                        "meta": h.meta,
                        "snippet": h.snippet,
                        "snippet_html": str(h.snippet_html),
                        "title_html": str(h.title_html),
                    }
                    for h in g.hits
                ],
            }
            for g in found.shown
        ],
    }
