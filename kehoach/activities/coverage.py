"""The coverage matrix of a plan: which unit communicated which topic, through which channel.

Built from a fixed number of aggregate queries whatever the number of units and
activities: one for the units, one for the topics, one grouped by unit and topic, one
grouped by unit and channel. Only activities the viewer may see are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q, Sum

from kehoach.accounts import policy
from kehoach.activities.models import Activity, Channel
from kehoach.org.models import Unit
from kehoach.plans.models import AssignmentUnit, Plan, Topic

REACHED = F("participants") + F("listeners") + F("views")


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


def coverage(plan: Plan, user) -> Coverage:
    """The matrix of the plan for the person; refuses without plans.view_coverage."""
    policy.require(user, "plans.view_coverage", plan)
    visible = Activity.objects.for_user(user)
    topics = list(Topic.objects.filter(plan=plan).order_by("order", "pk").only("pk", "title"))

    by_channel: dict[tuple[int, str], Cell] = {}
    unit_totals: dict[int, Cell] = {}
    grouped = (
        visible.filter(plan=plan)
        .values("unit_id", "channel")
        .annotate(n=Count("pk"), reached=Sum(REACHED))
        .order_by()
    )
    for item in grouped:
        cell = Cell(item["n"], item["reached"] or 0)
        by_channel[(item["unit_id"], item["channel"])] = cell
        unit_totals.setdefault(item["unit_id"], Cell()).add(cell.activities, cell.reached)

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
