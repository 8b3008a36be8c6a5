"""The activity list's rows as HTML, written here rather than by the template's loop: its
filters (a localized date and grouped figures per row) and a dozen tags per row made the 50
rows the largest part of a list page. The markup is what the template wrote; escaping is the
standard library's, as Django's is, without its wrapping for lazy strings."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils import dateformat
from django.utils.formats import get_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def grouped(value: int) -> str:
    """An integer as humanize's `intcomma` writes it: digits grouped from a thousand."""
    return str(value) if -1000 < value < 1000 else number_format(value, force_grouping=True)


def plain(value: int) -> str:
    """An integer as the template writes `{{ value }}`: grouped only if the settings say so."""
    return str(value) if -1000 < value < 1000 else number_format(value)


def activity_rows(activities: Iterable) -> SafeString:
    """One <tr> per activity, each prepared by the list view (url, unit_label, channel_label,
    summary, topic_titles, evidence_count)."""
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
