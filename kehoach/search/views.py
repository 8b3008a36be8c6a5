"""The results page: /tim-kiem/?q=…&loai=…&trang=…"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kehoach.search.engine import CAP
from kehoach.search.kinds import KINDS
from kehoach.search.results import PAGE_SIZE, search
from kehoach.search.terms import MAX_QUERY_CHARS


def _page(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _link(text: str, kind: str | None = None, page: int | None = None) -> str:
    params = {"q": text}
    if kind:
        params["loai"] = kind
    if page and page > 1:
        params["trang"] = str(page)
    return "?" + urlencode(params)


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    asked_kind = request.GET.get("loai") or None
    kind = asked_kind if asked_kind in KINDS else None
    page = _page(request.GET.get("trang")) if kind else 1
    found = search(request.user, text, kind, offset=(page - 1) * PAGE_SIZE)
    query = found.query.text
    counts = {g.kind: g.total for g in found.groups}
    more = {g.kind for g in found.groups if g.more}
    filters = [
        {
            "code": "",
            "label": None,
            "count": found.total,
            "more": bool(more),
            "url": _link(query),
            "on": not kind,
        }
    ] + [
        {
            "code": code,
            "label": spec.label,
            "count": counts.get(code, 0),
            "more": code in more,
            "url": _link(query, code),
            "on": code == kind,
        }
        for code, spec in KINDS.items()
    ]
    groups = [
        {
            "group": g,
            "more_url": _link(query, g.kind) if not kind and g.total > len(g.hits) else "",
        }
        for g in found.shown
    ]
    pages = math.ceil(counts.get(kind, 0) / PAGE_SIZE) if kind else 0
    return render(
        request,
        "search/results.html",
        {
            "q": query,
            "typed": bool(text.strip()),
            "searchable": bool(found.query),
            "truncated": len(text) > MAX_QUERY_CHARS,
            "max_chars": MAX_QUERY_CHARS,
            "cap": CAP,
            "unknown_kind": bool(asked_kind) and kind is None,
            "kind": kind,
            "results": found,
            "filters": filters,
            "groups": groups,
            "page": page,
            "pages": pages,
            "previous_url": _link(query, kind, page - 1) if kind and page > 1 else "",
            "next_url": _link(query, kind, page + 1) if kind and page < pages else "",
        },
    )
