"""The coverage matrix of a plan: which unit communicated which topic, through which channel.

Built from a fixed number of aggregate queries whatever the number of units and
activities: one for the units, one for the topics, one grouped by unit and topic, one
grouped by unit and channel. Only activities the viewer may see are counted.

The two grouped queries read the dashboard's monthly tallies (unit × plan × month ×
channel or topic), which count the same alive activities: for the busiest ward of a city,
a few thousand tally rows instead of 94,000 activities (549 → 63–96 ms; docs/benchmarks.md).
`USE_TALLIES = False` counts the activities themselves; bench/scale.py compares both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q, Sum

from kehoach.accounts import policy
from kehoach.activities.models import Activity, Channel
from kehoach.dashboard import tallies
from kehoach.dashboard.models import ChannelTally, TopicTally
from kehoach.org.models import Unit
from kehoach.plans.models import AssignmentUnit, Plan, Topic

REACHED = F("participants") + F("listeners") + F("views")
USE_TALLIES = True


@dataclass
class Cell:
    """One unit × column: activities logged and people they reached."""

    activities: int = 0
    reached: int = 0

    @property
    def empty(self) -> bool:
        return self.activities == 0

    def add(self, activities: int, reached: int) -> None:
        self.activities += activities
        self.reached += reached


@dataclass
class Column:
    key: int | str  # topic id or channel code
    label: str
    number: int = 0  # 1-based position, for short headers ("ND 1")


@dataclass
class Row:
    unit: Unit
    cells: list[Cell]
    # The unit's activities for the plan, counted once however many topics each covers.
    total: Cell = field(default_factory=Cell)

    @property
    def empty_count(self) -> int:
        return sum(1 for cell in self.cells if cell.empty)


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]
    totals: list[Cell]
    total: Cell

    def pairs(self) -> list[tuple[Row, list[tuple[Column, Cell]]]]:
        return [(row, list(zip(self.columns, row.cells, strict=True))) for row in self.rows]

    def empty_cells(self) -> list[tuple[int, int | str]]:
        return [
            (row.unit.pk, column.key)
            for row in self.rows
            for column, cell in zip(self.columns, row.cells, strict=True)
            if cell.empty
        ]


@dataclass
class Coverage:
    plan: Plan
    units: list[Unit]
    topics: Table
    channels: Table

    def units_without_topic(self, topic_id: int) -> list[Unit]:
        """Answers "which units have not yet communicated this topic?"."""
        index = next(
            (i for i, column in enumerate(self.topics.columns) if column.key == topic_id), None
        )
        if index is None:
            return []
        return [row.unit for row in self.topics.rows if row.cells[index].empty]


def _rows_units(plan: Plan, user, logged_unit_ids) -> list[Unit]:
    targets = AssignmentUnit.objects.filter(assignment__plan=plan).values("unit_id")
    return list(
        Unit.objects.for_user(user)
        .exclude(kind="external")
        .filter(Q(pk__in=targets) | Q(pk__in=list(logged_unit_ids)))
    )


def _ordered(units: list[Unit]) -> list[Unit]:
    """Tree order with siblings by their `order` then name, like the unit tree page."""
    by_id = {u.pk: u for u in units}

    def key(unit: Unit) -> tuple:
        parts = []
        for pk in unit.ancestor_ids() + [unit.pk]:
            known = by_id.get(pk)
            parts.append((known.order, known.name, pk) if known else (-1, "", pk))
        return tuple(parts)

    return sorted(units, key=key)


def _table(
    units: list[Unit], columns: list[Column], counts: dict, totals: dict[int, Cell]
) -> Table:
    rows = []
    column_totals = [Cell() for _ in columns]
    grand = Cell()
    for unit in units:
        cells = []
        for i, column in enumerate(columns):
            cell = counts.get((unit.pk, column.key)) or Cell()
            cells.append(cell)
            column_totals[i].add(cell.activities, cell.reached)
        total = totals.get(unit.pk) or Cell()
        grand.add(total.activities, total.reached)
        rows.append(Row(unit=unit, cells=cells, total=total))
    return Table(columns=columns, rows=rows, totals=column_totals, total=grand)


def _summed(tallied, column: str) -> dict:
    """Tally rows added up per unit and `column` (channel or topic)."""
    grouped = (
        tallied.values("unit_id", column)
        .annotate(n=Sum("activities"), reached=Sum("reached"))
        .order_by()
    )
    return {
        (item["unit_id"], item[column]): Cell(item["n"] or 0, item["reached"] or 0)
        for item in grouped
    }


def _counted_from_tallies(plan: Plan, user, topics: list[Topic]) -> tuple[dict, dict]:
    # Same in the current transaction as in the records: flush what it changed first.
    tallies.flush()
    by_channel = _summed(ChannelTally.objects.for_user(user).filter(plan=plan), "channel")
    # By the topic's plan, as the records are read below: the services only link an activity
    # to topics of its own plan, so this is also the tally's plan.
    by_topic = (
        _summed(TopicTally.objects.for_user(user).filter(topic__plan=plan), "topic_id")
        if topics
        else {}
    )
    return by_channel, by_topic


def _counted_from_records(plan: Plan, user, topics: list[Topic]) -> tuple[dict, dict]:
    visible = Activity.objects.for_user(user)
    by_channel = {
        (item["unit_id"], item["channel"]): Cell(item["n"], item["reached"] or 0)
        for item in visible.filter(plan=plan)
        .values("unit_id", "channel")
        .annotate(n=Count("pk"), reached=Sum(REACHED))
        .order_by()
    }
    by_topic: dict[tuple[int, int], Cell] = {}
    if topics:
        # Reached through the plan's topics rather than the activity's plan: the services
        # only link an activity to topics of its own plan, and this way the database walks
        # the plan's topic links instead of every activity of the plan a second time.
        linked = visible.filter(topic_links__topic__plan=plan)
        if connection.vendor == "sqlite":
            # SQLite otherwise walks every activity of the person's units: for a city's
            # coordinator on one ward's plan, 4.0 s → 0.23 s at a million activities; on
            # PostgreSQL the same filter is slower (0.26 → 0.34 s). docs/benchmarks.md.
            linked = linked.filter(plan=plan)
        grouped = (
            linked.values("unit_id", "topic_links__topic_id")
            .annotate(n=Count("pk"), reached=Sum(REACHED))
            .order_by()
        )
        for item in grouped:
            key = (item["unit_id"], item["topic_links__topic_id"])
            by_topic[key] = Cell(item["n"], item["reached"] or 0)
    return by_channel, by_topic


def coverage(plan: Plan, user, use_tallies: bool | None = None) -> Coverage:
    """The matrix of the plan for the person; refuses without plans.view_coverage."""
    policy.require(user, "plans.view_coverage", plan)
    topics = list(Topic.objects.filter(plan=plan).order_by("order", "pk").only("pk", "title"))
    read = (
        _counted_from_tallies
        if (USE_TALLIES if use_tallies is None else use_tallies)
        else _counted_from_records
    )
    by_channel, by_topic = read(plan, user, topics)
    unit_totals: dict[int, Cell] = {}
    for (unit_id, _channel), cell in by_channel.items():
        unit_totals.setdefault(unit_id, Cell()).add(cell.activities, cell.reached)

    units = _ordered(_rows_units(plan, user, unit_totals.keys()))
    topic_columns = [
        Column(key=t.pk, label=t.title, number=i) for i, t in enumerate(topics, start=1)
    ]
    channel_columns = [
        Column(key=code, label=str(label), number=i)
        for i, (code, label) in enumerate(Channel.choices, start=1)
    ]
    return Coverage(
        plan=plan,
        units=units,
        topics=_table(units, topic_columns, by_topic, unit_totals),
        channels=_table(units, channel_columns, by_channel, unit_totals),
    )
