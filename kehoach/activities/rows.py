"""The activity list's rows as HTML, written here rather than by the template's loop: its
filters (a localized date and grouped figures per row) and a dozen tags per row made the 50
rows the largest part of a list page. The markup is what the template wrote; escaping is the
standard library's, as Django's is, without its wrapping for lazy strings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from django.db.models import Count
from django.utils import dateformat
from django.utils.formats import get_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kehoach.activities.models import Activity, ActivityTopic, Channel
from kehoach.core.links import pk_url
from kehoach.core.text import clip


def grouped(value: int) -> str:
    """An integer as humanize's `intcomma` writes it: digits grouped from a thousand."""
    return str(value) if -1000 < value < 1000 else number_format(value, force_grouping=True)


def plain(value: int) -> str:
    """An integer as the template writes `{{ value }}`: grouped only if the settings say so."""
    return str(value) if -1000 < value < 1000 else number_format(value)


@dataclass(frozen=True, slots=True)
class ListRow:
    """What one row of the list shows, made once in Python from plain values."""

    pk: int
    date: date
    locked_at: datetime | None
    url: str
    unit_label: str
    channel_label: str
    summary: str
    topic_titles: list[str]
    reached: int
    evidence_count: int


# What list_rows reads of each activity, in the order it unpacks them.
_ROW_VALUES = (
    "pk",
    "date",
    "locked_at",
    "channel",
    "description",
    "participants",
    "listeners",
    "views",
    "unit__name",
    "unit__short_name",
)


def list_rows(ids: list[int]) -> list[ListRow]:
    """The rows of one page of activities, newest first, in two statements: the activities
    with their unit's name and evidence count, then their topics' titles. Read as values, not
    models: building fifty deferred models and Django's prefetch (a queryset made per
    activity to hold its topics) cost more than the two statements (docs/benchmarks.md)."""
    topics: dict[int, list[str]] = defaultdict(list)
    # In the plan's order, as the plan numbers its topics and the form lists them.
    links = ActivityTopic.objects.filter(activity_id__in=ids).order_by("topic__order", "pk")
    for activity_id, title in links.values_list("activity_id", "topic__title"):
        topics[activity_id].append(clip(title, 40))
    activities = (
        Activity.objects.filter(pk__in=ids)
        .order_by("-date", "-pk")
        .values_list(*_ROW_VALUES)
        .annotate(evidence_count=Count("evidence"))
    )
    url = pk_url("activities:detail")
    channels = {value: str(label) for value, label in Channel.choices}
    return [
        ListRow(
            pk=pk,
            date=day,
            locked_at=locked_at,
            url=url(pk),
            unit_label=short_name or unit_name,
            channel_label=channels.get(channel, channel),
            summary=clip(description, 90),
            topic_titles=topics.get(pk, []),
            reached=participants + listeners + views,
            evidence_count=evidence_count,
        )
        for (
            pk,
            day,
            locked_at,
            channel,
            description,
            participants,
            listeners,
            views,
            unit_name,
            short_name,
            evidence_count,
        ) in activities
    ]


def activity_rows(activities: Iterable) -> SafeString:
    """One <tr> per activity, each a ListRow or anything with its attributes."""
    # The column names once per page (each cell carries its own for the phone layout).
    l_date, l_unit, l_channel, l_topics, l_reached, l_evidence, l_locked = map(
        escape,
        (
            _("Activity date"),
            _("Unit"),
            _("Form of communication"),
            _("Topics covered"),
            _("Reached"),
            _("Evidence"),
            _("Locked"),
        ),
    )
    short_date = get_format("SHORT_DATE_FORMAT")
    lock = f' <span class="tag" title="{l_locked}">🔒</span>'
    lines = []
    for a in activities:
        url = escape(a.url)
        summary = f'<div class="muted small">{escape(a.summary)}</div>' if a.summary else ""
        topics = "".join(f'<span class="tag">{escape(t)}</span> ' for t in a.topic_titles)
        lines.append(
            f'\n  <tr id="activity-{int(a.pk)}">'
            f'\n    <td data-label="{l_date}"><a href="{url}">'
            f"{escape(dateformat.format(a.date, short_date))}</a>"
            f"{lock if a.locked_at else ''}</td>"
            f'\n    <td data-label="{l_unit}">{escape(a.unit_label)}</td>'
            f'\n    <td data-label="{l_channel}"><a href="{url}">{escape(a.channel_label)}</a>'
            f"{summary}</td>"
            f'\n    <td data-label="{l_topics}">{topics or "—"}</td>'
            f'\n    <td data-label="{l_reached}" class="num">{grouped(a.reached)}</td>'
            f'\n    <td data-label="{l_evidence}" class="num">{plain(a.evidence_count)}</td>'
            "\n  </tr>\n  "
        )
    return mark_safe("".join(lines))
