"""Keeping the index current: signals on every searchable model, and the full rebuild.

Entries are written inside the caller's transaction, so a rolled-back change leaves no
entry behind. A failing index write is logged and leaves the record saved: the index is
derived data that `manage.py rebuild_search_index` restores.
"""

from __future__ import annotations

import logging
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone, translation

from kehoach.search.kinds import KINDS, PLAN_SCOPED, SHARED, Doc, Kind, kind_for_model
from kehoach.search.models import SearchEntry
from kehoach.search.terms import ALL, index_text, kind_word, plan_word, unit_words

log = logging.getLogger(__name__)

TITLE_CHARS = 1000

# SQLite: an FTS5 index over the folded columns, reading its text from the entries table
# and kept in step by triggers. "IF NOT EXISTS" lets a rebuild restore what a table
# rebuild by a later migration would have dropped.
_COLUMNS = "folded_title, folded_body, folded_scope"
_NEW = "new.id, new.folded_title, new.folded_body, new.folded_scope"
_OLD = "'delete', old.id, old.folded_title, old.folded_body, old.folded_scope"
SQLITE_INDEX = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5({_COLUMNS}, "
    "content='search_searchentry', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchentry BEGIN "
    f"INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES ({_NEW}); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_COLUMNS}) VALUES ({_OLD}); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_update AFTER UPDATE ON search_searchentry BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_COLUMNS}) VALUES ({_OLD}); "
    f"INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES ({_NEW}); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]
# PostgreSQL: the words as a generated tsvector (title A, body B, scope words D) under a GIN
# index. The text is folded before it is stored, so the "simple" configuration is enough.
POSTGRES_INDEX = [
    "ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, folded_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, folded_body), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, folded_scope), 'D')) STORED",
    # No pending list: every search would scan it whole until a vacuum merged it.
    "CREATE INDEX IF NOT EXISTS search_entry_vector ON search_searchentry "
    "USING GIN (search_vector) WITH (fastupdate = off)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _has_word_index(conn) -> bool:
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE tablename = 'search_searchentry' "
                "AND indexname = 'search_entry_vector'"
            )
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN "
                "('search_fts', 'search_fts_insert', 'search_fts_delete', 'search_fts_update') "
                "HAVING COUNT(*) = 4"
            )
        return cursor.fetchone() is not None


def install_word_index(conn=connection) -> None:
    statements = {"sqlite": SQLITE_INDEX, "postgresql": POSTGRES_INDEX}.get(conn.vendor, [])
    if not statements or _has_word_index(conn):
        return
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove_word_index(conn=connection) -> None:
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def scope_words(kind: Kind, doc: Doc, unit_paths: dict[int, str]) -> str:
    words = [kind_word(kind.code)]
    if kind.code in SHARED:
        words.append(ALL)
    elif kind.code in PLAN_SCOPED:
        words.append(plan_word(doc.plan_id))
    elif doc.unit_id is not None:
        words += unit_words(unit_paths.get(doc.unit_id, ""))
    return " ".join(words)


def _unit_paths(ids: set[int] | None = None) -> dict[int, str]:
    from kehoach.org.models import Unit

    units = Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=ids)
    return dict(units.values_list("pk", "path"))


def entry_values(
    kind: Kind, obj: models.Model, unit_paths: dict[int, str] | None = None
) -> dict[str, Any] | None:
    """The entry's columns for a record, or None when it must not be found (deleted). Call
    it in the product's language: labels (channels, categories) are indexed as shown."""
    doc = kind.doc(obj)
    if doc is None:
        return None
    if unit_paths is None:
        unit_paths = _unit_paths({doc.unit_id}) if doc.unit_id else {}
    text = "\n".join(p.strip() for p in doc.body if p and p.strip())
    return {
        "unit_id": doc.unit_id,
        "plan_id": doc.plan_id,
        "title": doc.title[:TITLE_CHARS],
        "text": text,
        "folded_title": index_text(doc.title),
        "folded_body": index_text(text, *[e for e in doc.extra if e]),
        "folded_scope": scope_words(kind, doc, unit_paths),
    }


def index_object(obj: models.Model, kind: Kind | None = None) -> None:
    kind = kind or kind_for_model(type(obj))
    if kind is None or obj.pk is None:
        return
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            values = entry_values(kind, obj)
            entries = SearchEntry.objects.filter(kind=kind.code, object_id=obj.pk)
            if values is None:
                entries.delete()
                return
            values["updated_at"] = timezone.now()
            if not entries.update(**values):
                SearchEntry.objects.create(kind=kind.code, object_id=obj.pk, **values)
    except DatabaseError:
        log.exception("Search index not updated for %s %s", kind.code, obj.pk)


def remove(kind_code: str, object_id: int) -> None:
    try:
        with transaction.atomic():
            SearchEntry.objects.filter(kind=kind_code, object_id=object_id).delete()
    except DatabaseError:
        log.exception("Search entry not removed for %s %s", kind_code, object_id)


def rebuild(codes: list[str] | None = None, batch: int = 1000) -> dict[str, int]:
    """Every entry of the given kinds (all by default) written afresh; returns the counts."""
    counts: dict[str, int] = {}
    selected = [KINDS[c] for c in (codes or list(KINDS))]
    sqlite = connection.vendor == "sqlite"
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        if sqlite:
            # Triggers off while rows go in bulk: a delete trigger fed rows the word index
            # never had (after triggers were lost) would corrupt it. It is rebuilt whole
            # from the entries below; SQLite lets no other writer in meanwhile.
            with connection.cursor() as cursor:
                for statement in SQLITE_DROP[:3] + SQLITE_INDEX[:1]:
                    cursor.execute(statement)
        else:
            install_word_index()
            # Entry by entry through a GIN index without a pending list is slow (600 s for a
            # million entries); one build at the end takes a fraction of that.
            with connection.cursor() as cursor:
                cursor.execute(POSTGRES_DROP[0])
        unit_paths = _unit_paths()
        for kind in selected:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_searchentry WHERE kind = %s", [kind.code])
            records = kind.indexable().iterator(chunk_size=batch)
            counts[kind.code] = 0
            while chunk := list(islice(records, batch)):
                entries = []
                for obj in chunk:
                    values = entry_values(kind, obj, unit_paths)
                    if values is not None:
                        entries.append(SearchEntry(kind=kind.code, object_id=obj.pk, **values))
                SearchEntry.objects.bulk_create(entries)
                counts[kind.code] += len(entries)
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
                for statement in SQLITE_INDEX[1:]:
                    cursor.execute(statement)
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        else:
            with connection.cursor() as cursor:
                # Django's foreign keys are checked at commit; PostgreSQL builds no index on
                # a table with checks still pending, so they run now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(POSTGRES_INDEX[1])
    if connection.vendor == "postgresql":
        # Fresh statistics: the planner chooses between the GIN index and the id order by
        # how common each word is.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")
    return counts


# ------------------------------------------------------------------------------------ signals


def _saved(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        index_object(instance)


def _deleted(sender, instance, **kwargs: Any) -> None:
    kind = kind_for_model(sender)
    if kind is not None:
        remove(kind.code, instance.pk)


def _reindex(kind_code: str, records) -> None:
    for obj in records:
        index_object(obj, KINDS[kind_code])


def _from_plan_deletion(origin: Any) -> bool:
    from kehoach.plans.models import Plan

    if isinstance(origin, models.QuerySet):
        return origin.model is Plan
    return isinstance(origin, Plan)


def _citation_changed(sender, instance, raw: bool = False, origin: Any = None, **kwargs) -> None:
    """Plans and topics are found by the numbers of the documents they cite."""
    from kehoach.plans.models import Plan, Topic

    if raw or _from_plan_deletion(origin):
        return
    _reindex("plan", Plan.objects.filter(pk=instance.plan_id))
    if instance.topic_id:
        _reindex("topic", Topic.objects.filter(pk=instance.topic_id).select_related("plan"))


def _document_saved(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    from kehoach.plans.models import Citation, Plan, Topic

    if raw:
        return
    citing = Citation.objects.filter(document=instance)
    if citing.exists():
        _reindex("plan", Plan.objects.filter(pk__in=citing.values("plan_id")))
        topics = Topic.objects.filter(pk__in=citing.values("topic_id")).select_related("plan")
        _reindex("topic", topics)


def _period_saved(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    """Report titles name their period."""
    from kehoach.reports.models import SummaryReport, UnitReport

    if raw or kwargs.get("created"):
        return
    reports = UnitReport.objects.filter(period=instance).select_related("unit", "period")
    _reindex("unit_report", reports)
    summaries = SummaryReport.objects.filter(period=instance).select_related("period__plan")
    _reindex("summary_report", summaries)


def _unit_saving(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        return
    instance._search_before = (
        sender.objects.filter(pk=instance.pk).values_list("parent_id", "path").first()
    )


def _unit_saved(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    """A unit report's title names its unit; a unit moved takes its records' scope along."""
    from kehoach.reports.models import UnitReport

    if raw or kwargs.get("created"):
        return
    _reindex(
        "unit_report", UnitReport.objects.filter(unit=instance).select_related("unit", "period")
    )
    before = getattr(instance, "_search_before", None)
    if before is not None and before[0] != instance.parent_id and before[1]:
        rescope_subtree(instance, before[1])


def rescope_subtree(unit, old_path: str) -> None:
    """The scope words of every record of a moved unit and of the units below it."""
    from django.db.models import Q, Value
    from django.db.models.functions import Concat, Replace

    # Unit.save rewrites the paths after its post_save: work out the new ones here.
    new_path = (unit.parent.path if unit.parent_id else "/") + f"{unit.pk}/"
    special = (*SHARED, *PLAN_SCOPED)
    subtree = (
        type(unit)
        .objects.filter(Q(path__startswith=old_path) | Q(path__startswith=new_path))
        .values_list("pk", "path")
    )
    for pk, path in subtree:
        rest = path[len(old_path) :] if path.startswith(old_path) else path[len(new_path) :]
        words = " " + " ".join(unit_words(new_path + rest))
        SearchEntry.objects.filter(unit_id=pk).exclude(kind__in=special).update(
            folded_scope=Concat(Value("zzk"), Replace("kind", Value("_"), Value("")), Value(words))
        )


def connect() -> None:
    from kehoach.documents.models import SourceDocument
    from kehoach.org.models import Unit
    from kehoach.plans.models import Citation
    from kehoach.reports.models import ReportingPeriod

    for kind in KINDS.values():
        uid = f"kehoach_search_{kind.code}"
        post_save.connect(_saved, sender=kind.model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_deleted, sender=kind.model, dispatch_uid=f"{uid}_deleted")
    post_save.connect(_citation_changed, sender=Citation, dispatch_uid="kehoach_search_cite_s")
    post_delete.connect(_citation_changed, sender=Citation, dispatch_uid="kehoach_search_cite_d")
    post_save.connect(_document_saved, sender=SourceDocument, dispatch_uid="kehoach_search_doc")
    post_save.connect(_period_saved, sender=ReportingPeriod, dispatch_uid="kehoach_search_period")
    pre_save.connect(_unit_saving, sender=Unit, dispatch_uid="kehoach_search_unit_pre")
    post_save.connect(_unit_saved, sender=Unit, dispatch_uid="kehoach_search_unit")
