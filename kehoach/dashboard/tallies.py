"""Keeping the monthly tallies (models.py) equal to the records they count.

Every save or delete of an Activity, ActivityTopic or ActivityAudience marks the unit-months
it touches: the activity's unit and month, and for an activity whose unit or date changes
the old ones too. The marks of one transaction are collected in one object registered with
`transaction.on_commit`, so logging an activity with its topics and audiences recomputes
its unit-month once, after the commit. A read inside the same transaction (the dashboard
calls `flush()` first) recomputes them at once, so a transaction always sees its own
writes. A recompute replaces the tally rows of those unit-months by aggregates of the
base tables in six statements (INSERT … SELECT … GROUP BY), whatever the number of rows.

Paths that skip signals (QuerySet.update, bulk_create, raw inserts of a ward transfer, an
import) must call `rebuild()` (or `recompute()` with the unit-months they touched)
afterwards. A failing recompute is logged and leaves the records saved: the tallies are
derived data that `manage.py rebuild_tallies` restores.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import DatabaseError, connections, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

log = logging.getLogger(__name__)

# Fields of an activity that move its tallies; a save limited to others (locking, the
# evidence time stamp) recomputes nothing.
COUNTED_FIELDS = frozenset(
    {"unit", "date", "plan", "channel", "deleted_at", "participants", "listeners", "views"}
)
# Unit-month ranges per statement: keeps SQLite under its expression depth and variables.
RANGES_PER_STATEMENT = 150
ATTR = "_kehoach_tallies"

Key = tuple[int, date]  # (unit id, first day of the month)


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last whole months inside [start, end], or None when there is none."""
    first = start if start.day == 1 else next_month(start)
    last = month_of(end) if end == month_end(end) else month_of(month_of(end) - timedelta(1))
    return (first, last) if first <= last else None


def edges(start: date, end: date, months: tuple[date, date] | None) -> list[tuple[date, date]]:
    """The days of [start, end] outside the whole months: what the base tables must count."""
    if months is None:
        return [(start, end)]
    result = []
    if start < months[0]:
        result.append((start, months[0] - timedelta(days=1)))
    if end > month_end(months[1]):
        result.append((next_month(months[1]), end))
    return result


# ---------------------------------------------------------------- recomputing


def _tables() -> dict[str, str]:
    from kehoach.activities.models import Activity, ActivityAudience, ActivityTopic
    from kehoach.dashboard.models import AudienceTally, ChannelTally, TopicTally

    return {
        "activity": Activity._meta.db_table,
        "topic_link": ActivityTopic._meta.db_table,
        "audience_link": ActivityAudience._meta.db_table,
        "channel": ChannelTally._meta.db_table,
        "topic": TopicTally._meta.db_table,
        "audience": AudienceTally._meta.db_table,
    }


def _month_sql(vendor: str) -> str:
    if vendor == "postgresql":
        return "CAST(DATE_TRUNC('month', a.\"date\") AS date)"
    if vendor == "sqlite":
        # strftime is native; Django's TruncMonth calls a Python function for every row.
        return "strftime('%%Y-%%m-01', a.\"date\")"
    raise NotImplementedError(f"monthly tallies on {vendor}")


def _statements(vendor: str, where: str) -> list[str]:
    """DELETE then INSERT … SELECT for each tally table, limited by `where` (a condition on
    the tally row, with the same text as the condition on the activity `a`)."""
    t = _tables()
    month = _month_sql(vendor)
    reach = 'SUM(a."participants" + a."listeners" + a."views")'
    alive = 'a."deleted_at" IS NULL'
    columns = '"unit_id", "plan_id", "month", {}, "activities", "reached"'
    on_activity = where.replace("{unit}", 'a."unit_id"').replace("{day}", 'a."date"')
    on_tally = where.replace("{unit}", '"unit_id"').replace("{day}", '"month"')
    sources = {
        "channel": ('"channel"', 'a."channel"', ""),
        "topic": (
            '"topic_id"',
            'l."topic_id"',
            f'JOIN "{t["topic_link"]}" l ON l."activity_id" = a."id"',
        ),
        "audience": (
            '"audience"',
            'l."audience"',
            f'JOIN "{t["audience_link"]}" l ON l."activity_id" = a."id"',
        ),
    }
    result = []
    for name, (column, value, join) in sources.items():
        result.append(f'DELETE FROM "{t[name]}" WHERE {on_tally}')
        result.append(
            f'INSERT INTO "{t[name]}" ({columns.format(column)}) '
            f'SELECT a."unit_id", a."plan_id", {month}, {value}, COUNT(*), {reach} '
            f'FROM "{t["activity"]}" a {join} WHERE {alive} AND ({on_activity}) '
            "GROUP BY 1, 2, 3, 4"
        )
    return result


def _ranges(keys: Iterable[Key]) -> list[tuple[int, date, date]]:
    """Unit-months as (unit, first day, day after) ranges, consecutive months merged."""
    by_unit: dict[int, set[date]] = defaultdict(set)
    for unit_id, month in keys:
        by_unit[unit_id].add(month)
    result = []
    for unit_id in sorted(by_unit):
        months = sorted(by_unit[unit_id])
        start = previous = months[0]
        for month in months[1:]:
            if month != next_month(previous):
                result.append((unit_id, start, next_month(previous)))
                start = month
            previous = month
        result.append((unit_id, start, next_month(previous)))
    return result


def _lock(cursor, vendor: str) -> None:
    # PostgreSQL: recomputes and rebuilds run one at a time, so a recompute never deletes
    # rows another one is inserting; SQLite serialises writers already.
    if vendor == "postgresql":
        cursor.execute(f'LOCK TABLE "{_tables()["channel"]}" IN SHARE ROW EXCLUSIVE MODE')


def recompute(keys: Iterable[Key], using: str = "default") -> None:
    """Replace the tallies of these (unit id, month) pairs by counts of the records."""
    ranges = _ranges(keys)
    if not ranges:
        return
    connection = connections[using]
    vendor = connection.vendor
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock(cursor, vendor)
        for offset in range(0, len(ranges), RANGES_PER_STATEMENT):
            chunk = ranges[offset : offset + RANGES_PER_STATEMENT]
            where = " OR ".join(["({unit} = %s AND {day} >= %s AND {day} < %s)"] * len(chunk))
            params = [value for triple in chunk for value in triple]
            for sql in _statements(vendor, where):
                cursor.execute(sql, params)


def rebuild(using: str = "default") -> dict[str, int]:
    """Every tally from scratch, in one transaction: readers see the old tallies until it
    commits. For bulk loads that skip signals. Returns the row count of each table."""
    from kehoach.dashboard.models import AudienceTally, ChannelTally, TopicTally

    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock(cursor, connection.vendor)
        for sql in _statements(connection.vendor, "1 = 1"):
            # An empty parameter list still turns "%%" into "%" on both drivers.
            cursor.execute(sql, [])
    return {
        "channel": ChannelTally.objects.using(using).count(),
        "topic": TopicTally.objects.using(using).count(),
        "audience": AudienceTally.objects.using(using).count(),
    }


# ---------------------------------------------------------------- the transaction's marks


class _Pending:
    """The unit-months and activities one transaction touched; called on commit."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.keys: set[Key] = set()
        # Links name their activity only; its unit and month are read once, when flushing.
        self.activity_ids: set[int] = set()
        self.committed = False

    def __bool__(self) -> bool:
        return bool(self.keys or self.activity_ids)

    def __call__(self) -> None:
        # Later marks belong to a later transaction and to a collector of their own.
        self.committed = True
        self.flush()

    def flush(self) -> None:
        from kehoach.activities.models import Activity

        keys, ids = self.keys, sorted(self.activity_ids)
        self.keys, self.activity_ids = set(), set()
        try:
            for offset in range(0, len(ids), 500):
                rows = Activity._base_manager.using(self.using).filter(
                    pk__in=ids[offset : offset + 500]
                )
                keys.update((u, month_of(d)) for u, d in rows.values_list("unit_id", "date"))
            recompute(keys, using=self.using)
        except DatabaseError:
            log.exception("Monthly tallies not recomputed; run manage.py rebuild_tallies")


def _mark(using: str, keys: Iterable[Key] = (), activity_ids: Iterable[int] = ()) -> None:
    connection = connections[using]
    if not connection.in_atomic_block:
        pending = _Pending(using)
        pending.keys.update(keys)
        pending.activity_ids.update(activity_ids)
        pending.flush()
        return
    pending = getattr(connection, ATTR, None)
    # A rolled-back savepoint drops its on-commit callbacks: register a new collector then.
    if (
        pending is None
        or pending.committed
        or not any(entry[1] is pending for entry in connection.run_on_commit)
    ):
        pending = _Pending(using)
        setattr(connection, ATTR, pending)
        transaction.on_commit(pending, using=using, robust=True)
    pending.keys.update(keys)
    pending.activity_ids.update(activity_ids)


def flush(using: str = "default") -> None:
    """Recompute now what this transaction touched, so a read sees its own writes."""
    pending = getattr(connections[using], ATTR, None)
    if pending:
        pending.flush()


# ---------------------------------------------------------------- signals


def _counted(update_fields) -> bool:
    return update_fields is None or not COUNTED_FIELDS.isdisjoint(update_fields)


def _activity_pre_save(sender, instance, update_fields=None, **kwargs: Any) -> None:
    instance._tally_before = None
    if instance._state.adding or instance.pk is None or not _counted(update_fields):
        return
    before = (
        sender._base_manager.using(kwargs.get("using") or "default")
        .filter(pk=instance.pk)
        .values_list("unit_id", "date")
        .first()
    )
    instance._tally_before = (before[0], month_of(before[1])) if before else None


def _activity_saved(sender, instance, update_fields=None, **kwargs: Any) -> None:
    if not _counted(update_fields):
        return
    keys = {(instance.unit_id, month_of(instance.date))}
    before = getattr(instance, "_tally_before", None)
    if before is not None:
        keys.add(before)
    _mark(kwargs.get("using") or "default", keys=keys)


def _activity_deleted(sender, instance, **kwargs: Any) -> None:
    _mark(kwargs.get("using") or "default", keys={(instance.unit_id, month_of(instance.date))})


def _link_changed(sender, instance, **kwargs: Any) -> None:
    _mark(kwargs.get("using") or "default", activity_ids={instance.activity_id})


def _plan_deleted(sender, instance, **kwargs: Any) -> None:
    """Its activities fall back to "no plan" by an UPDATE that sends no signal."""
    from kehoach.dashboard.models import ChannelTally

    using = kwargs.get("using") or "default"
    keys = ChannelTally.objects.using(using).filter(plan=instance).values_list("unit_id", "month")
    _mark(using, keys=set(keys))


def connect() -> None:
    from kehoach.activities.models import Activity, ActivityAudience, ActivityTopic
    from kehoach.plans.models import Plan

    uid = "kehoach_tallies"
    pre_save.connect(_activity_pre_save, sender=Activity, dispatch_uid=f"{uid}_pre_save")
    post_save.connect(_activity_saved, sender=Activity, dispatch_uid=f"{uid}_saved")
    pre_delete.connect(_activity_deleted, sender=Activity, dispatch_uid=f"{uid}_deleted")
    for model in (ActivityTopic, ActivityAudience):
        name = model._meta.model_name
        post_save.connect(_link_changed, sender=model, dispatch_uid=f"{uid}_{name}_saved")
        post_delete.connect(_link_changed, sender=model, dispatch_uid=f"{uid}_{name}_deleted")
    pre_delete.connect(_plan_deleted, sender=Plan, dispatch_uid=f"{uid}_plan_deleted")
