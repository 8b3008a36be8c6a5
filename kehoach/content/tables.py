"""Content lists as spreadsheets (core.tabular): all items, and those awaiting my review."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext as _

from kehoach.content.models import ContentItem
from kehoach.core.tabular import Column, Table


def _channels(item: ContentItem) -> str:
    return ", ".join(str(t.get_outlet_display()) for t in item.targets.all())


def _topics(item: ContentItem) -> str:
    return "; ".join(link.topic.title[:200] for link in item.topic_links.all())


def _unit(item: ContentItem) -> str:
    return item.unit.short_name or item.unit.name


def items_table(items: Iterable[ContentItem], notes: list[str]) -> Table:
    """`items` is scoped and filtered, with content.views.with_details() applied."""
    return Table(
        title=_("Content"),
        columns=[
            Column(_("Title"), lambda i: i.title, width=50),
            Column(_("Kind"), lambda i: i.get_kind_display(), width=16),
            Column(_("Channels"), _channels, width=30),
            Column(_("Unit"), _unit, width=28),
            Column(_("Status"), lambda i: i.get_status_display(), width=14),
            Column(_("Topics"), _topics, width=50),
            Column(_("Created at"), lambda i: i.created_at, "datetime", width=17),
            Column(_("Submitted at"), lambda i: i.submitted_at, "datetime", width=17),
            Column(_("Scheduled for"), lambda i: i.scheduled_for, "datetime", width=17),
            Column(_("Published at"), lambda i: i.published_at, "datetime", width=17),
        ],
        rows=items,
        notes=notes,
    )


def review_queue_table(items: list[ContentItem], notes: list[str], now: datetime) -> Table:
    """The items the person may review, oldest submission first."""

    def waiting_days(item: ContentItem) -> int | None:
        return (now - item.submitted_at).days if item.submitted_at else None

    return Table(
        title=_("Awaiting my review"),
        columns=[
            Column(_("Title"), lambda i: i.title, width=50),
            Column(_("Kind"), lambda i: i.get_kind_display(), width=16),
            Column(_("Unit"), _unit, width=28),
            Column(_("Channels"), _channels, width=30),
            Column(_("Submitted at"), lambda i: i.submitted_at, "datetime", width=17),
            Column(_("Waiting (days)"), waiting_days, "int", width=12),
        ],
        rows=items,
        notes=notes,
    )
