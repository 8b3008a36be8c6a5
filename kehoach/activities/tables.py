"""Task lists and the notification centre as spreadsheets (core.tabular).

The activity list keeps its own workbook in activities/exports.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.activities.coverage import Coverage
from kehoach.activities.models import Notification, Task, TaskState
from kehoach.core.tabular import Column, Table


def _state(today) -> Callable[[Task], str]:
    def label(task: Task) -> str:
        return str(TaskState(task.state(today)).label)

    return label


def tasks_table(tasks: Iterable[Task], notes: list[str], *, title=None) -> Table:
    """`tasks` is scoped and filtered, with unit, plan and done_by loaded."""
    today = timezone.localdate()
    return Table(
        title=title or _("Tasks"),
        columns=[
            Column(_("Unit"), lambda t: t.unit.name, width=32),
            Column(_("Task"), lambda t: t.title, width=60),
            Column(_("Plan"), lambda t: str(t.plan), width=40),
            Column(_("Period"), lambda t: t.period_label, width=14),
            Column(_("Due date"), lambda t: t.due_date, "date", width=12),
            Column(_("State"), _state(today), width=16),
            Column(_("Marked done at"), lambda t: t.done_at, "datetime", width=17),
            Column(
                _("Marked done by"), lambda t: t.done_by.display_name if t.done_by else "", width=24
            ),
        ],
        rows=tasks,
        notes=notes,
    )


def notifications_table(
    notifications: Iterable[Notification], notes: list[str], *, absolute: Callable[[str], str]
) -> Table:
    """The person's own notifications; `absolute` turns a link into a full address."""
    return Table(
        title=_("Notifications"),
        columns=[
            Column(_("Time"), lambda n: n.created_at, "datetime", width=17),
            Column(_("Content"), lambda n: n.text, width=80),
            Column(_("Link"), lambda n: absolute(n.link) if n.link else "", width=40),
            Column(_("Read at"), lambda n: n.read_at, "datetime", width=17),
        ],
        rows=notifications,
        notes=notes,
    )


def coverage_table(result: Coverage, notes: list[str]) -> Table:
    """The coverage matrix in long form for CSV: one row a unit × topic and a unit × form of
    communication, zeros included, so it pivots back into either matrix."""
    rows = [
        (row.unit, dimension, column, cell)
        for dimension, table in (
            (_("Topic"), result.topics),
            (_("Form of communication"), result.channels),
        )
        for row in table.rows
        for column, cell in zip(table.columns, row.cells, strict=True)
    ]
    return Table(
        title=_("Coverage matrix"),
        columns=[
            Column(_("Unit"), lambda r: r[0].name, width=36),
            Column(_("Dimension"), lambda r: r[1], width=20),
            Column(_("No."), lambda r: r[2].number or None, "int", width=6),
            Column(_("Topic or form"), lambda r: r[2].label, width=50),
            Column(_("Activities"), lambda r: r[3].activities, "int", width=10),
            Column(_("People reached"), lambda r: r[3].reached, "int", width=12),
        ],
        rows=rows,
        notes=notes,
    )
