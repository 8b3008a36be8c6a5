"""One query over the index per search: for each kind, the newest matches (at most CAP)
within the person's scope, ranked by relevance, with their number. SQLite asks FTS5,
PostgreSQL its tsvector.

Kind and scope are words of the index itself (see terms.py), so a cell secretary's search
never reads the other units' rows, and no search reads more than CAP rows of a kind
however common the words: a ward of 100,000 activities answers in tens of milliseconds.
The scope here only narrows the candidates; results.py then passes them through each
model's own `for_user`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from kehoach.search.kinds import KINDS, PLAN_SCOPED, SHARED
from kehoach.search.terms import ALL, Query, plan_word, scope_fts5, scope_tsquery

# More matches than this in a kind are counted as "more than CAP" and only the newest CAP
# are ranked: past that, the words are too common to rank a ward's whole history by.
CAP = 1000


@dataclass
class Row:
    kind: str
    position: int
    total: int
    object_id: int
    title: str
    text: str


def supported() -> bool:
    return connection.vendor in ("sqlite", "postgresql")


def scope_words(user) -> dict[str, list[str] | None]:
    """Per kind, the scope words any of which a visible entry carries (None: no limit)."""
    if user.is_staff:
        return dict.fromkeys(KINDS)
    from kehoach.accounts.querysets import memberships_of
    from kehoach.plans.models import Plan

    units = [f"zzu{m.unit_id}" for m in memberships_of(user)]
    plans = [plan_word(pk) for pk in Plan.objects.for_user(user).values_list("pk", flat=True)]
    return {
        code: [ALL] if code in SHARED else plans if code in PLAN_SCOPED else units for code in KINDS
    }


def _candidates(code: str, query: Query, words: list[str] | None) -> tuple[str, list]:
    if connection.vendor == "sqlite":
        sql = (
            "SELECT rowid AS id, bm25(search_fts, 4.0, 1.0, 0.0) AS score FROM search_fts "
            "WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s"
        )
        return sql, [f"{query.fts5()} AND {scope_fts5(code, words)}", CAP + 1]
    # Ranked after the cut: ts_rank reads the whole vector, the cut only the GIN index and
    # the ids.
    sql = (
        "SELECT c.id AS id, ts_rank(e.search_vector, to_tsquery('simple', %s)) AS score "
        "FROM (SELECT id FROM search_searchentry "
        "WHERE search_vector @@ to_tsquery('simple', %s) ORDER BY id DESC LIMIT %s) c "
        "JOIN search_searchentry e ON e.id = c.id"
    )
    full = f"({query.tsquery()}) & {scope_tsquery(code, words)}"
    return sql, [query.tsquery(), full, CAP + 1]


def statement(
    user, query: Query, limit: int, offset: int = 0, kind: str | None = None
) -> tuple[str, list] | None:
    """The one SQL statement of a search and its parameters; None when nothing is asked or
    nothing of any kind is in the person's scope."""
    if not query or not supported() or not user.is_authenticated or not user.is_active:
        return None
    scopes = scope_words(user)
    parts: list[str] = []
    union: list[str] = []
    params: list = []
    for n, code in enumerate(KINDS):
        if scopes[code] == []:
            continue  # nothing of this kind is in the person's scope
        sql, values = _candidates(code, query, scopes[code])
        parts.append(f"k{n} AS ({sql})")
        params += values
        union.append(f"SELECT '{code}' AS kind, id, score FROM k{n}")
    if not parts:
        return None
    order = "score ASC" if connection.vendor == "sqlite" else "score DESC"
    window = "r.position > %s AND r.position <= %s"
    window_params: list = [offset, offset + limit]
    if kind is not None:
        window = f"r.kind = %s AND {window}"
        window_params = [kind, *window_params]
    sql = (
        f"WITH {', '.join(parts)}, hits AS ({' UNION ALL '.join(union)}), "
        "ranked AS (SELECT id, kind, "
        f"ROW_NUMBER() OVER (PARTITION BY kind ORDER BY {order}, id DESC) AS position, "
        "COUNT(*) OVER (PARTITION BY kind) AS total FROM hits) "
        "SELECT r.kind, r.position, r.total, e.object_id, e.title, e.text "
        "FROM ranked r JOIN search_searchentry e ON e.id = r.id "
        f"WHERE r.position = 1 OR ({window}) "
        "ORDER BY r.kind, r.position"
    )
    return sql, [*params, *window_params]


def find(user, query: Query, limit: int, offset: int = 0, kind: str | None = None) -> list[Row]:
    """Rows `offset + 1 … offset + limit` by relevance of every kind (or of `kind` only),
    and the first row of every kind found, which carries its count (CAP + 1: more than
    CAP). Nothing for a person who is not signed in."""
    built = statement(user, query, limit, offset, kind)
    if built is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*built)
        return [Row(*row) for row in cursor.fetchall()]
