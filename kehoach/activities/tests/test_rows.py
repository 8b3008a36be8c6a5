"""The activity list's rows are written in Python (activities/rows.py): they must read exactly
as the template's loop wrote them, in Vietnamese and in English, whatever the row holds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from kehoach.activities.models import Channel
from kehoach.activities.rows import activity_rows, grouped, plain
from kehoach.core.text import clip

# The loop as the list template wrote it before activities/rows.py took it over.
TEMPLATE_LOOP = (
    "{% load humanize i18n %}"
    '{% translate "Activity date" as l_date %}{% translate "Unit" as l_unit %}'
    '{% translate "Form of communication" as l_channel %}'
    '{% translate "Topics covered" as l_topics %}{% translate "Reached" as l_reached %}'
    '{% translate "Evidence" as l_evidence %}{% translate "Locked" as l_locked %}'
    "{% for a in rows %}\n"
    '  <tr id="activity-{{ a.pk }}">\n'
    '    <td data-label="{{ l_date }}"><a href="{{ a.url }}">'
    '{{ a.date|date:"SHORT_DATE_FORMAT" }}</a>{% if a.locked_at %} <span class="tag" '
    'title="{{ l_locked }}">🔒</span>{% endif %}</td>\n'
    '    <td data-label="{{ l_unit }}">{{ a.unit_label }}</td>\n'
    '    <td data-label="{{ l_channel }}"><a href="{{ a.url }}">{{ a.channel_label }}</a>'
    '{% if a.summary %}<div class="muted small">{{ a.summary }}</div>{% endif %}</td>\n'
    '    <td data-label="{{ l_topics }}">{% for title in a.topic_titles %}'
    '<span class="tag">{{ title }}</span> {% empty %}—{% endfor %}</td>\n'
    '    <td data-label="{{ l_reached }}" class="num">{{ a.reached|intcomma }}</td>\n'
    '    <td data-label="{{ l_evidence }}" class="num">{{ a.evidence_count }}</td>\n'
    "  </tr>\n  {% endfor %}"
)


def row(pk: int, **changes) -> SimpleNamespace:
    values = {
        "pk": pk,
        "url": f"/hoat-dong/{pk}/",
        "date": date(2026, 3, 8),
        "locked_at": None,
        "unit_label": "Chi bộ Tổ dân phố số 1",
        "channel_label": "Hội nghị, sinh hoạt chi bộ",
        "summary": "Quán triệt Chỉ thị số 58-CT/TW",
        "topic_titles": ["Xây dựng Đảng", "Chuyển đổi số"],
        "reached": 45,
        "evidence_count": 2,
    }
    return SimpleNamespace(**{**values, **changes})


ROWS = [
    row(1),
    row(2, locked_at=datetime(2026, 4, 1, tzinfo=UTC), summary="", topic_titles=[]),
    row(3, unit_label='Tổ "A" <b>&</b>', summary="<script>alert(1)</script> & co", reached=0),
    row(4, reached=1234567, evidence_count=1200, date=date(2026, 12, 31)),
    row(5, topic_titles=["Đoàn kết <em>toàn dân</em>"], reached=999, evidence_count=0),
]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_read_as_the_template_wrote_them(language: str) -> None:
    with translation.override(language):
        expected = Template(TEMPLATE_LOOP).render(Context({"rows": ROWS}))
        assert str(activity_rows(ROWS)) == expected


def test_nothing_a_person_typed_reaches_the_page_unescaped() -> None:
    html = str(activity_rows(ROWS))
    assert "<script>" not in html and "<b>" not in html and "<em>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_figures_are_grouped_as_intcomma_groups_them() -> None:
    with translation.override("vi"):
        template = Template("{% load humanize %}{{ n|intcomma }}")
        for n in (0, 7, 999, 1000, 1001, 54321, 1234567, 10**9):
            assert grouped(n) == template.render(Context({"n": n})), n
        assert grouped(1234567) == "1.234.567"


def test_counts_are_written_as_the_template_writes_a_number() -> None:
    with translation.override("vi"):
        template = Template("{{ n }}")
        for n in (0, 7, 999, 1000, 54321):
            assert plain(n) == template.render(Context({"n": n})), n


@pytest.mark.django_db
def test_a_page_of_rows_is_read_with_its_units_topics_figures_and_evidence(world) -> None:
    from kehoach.activities import activity_services as services
    from kehoach.activities.rows import list_rows
    from kehoach.plans import services as plan_services
    from kehoach.plans.models import Topic
    from kehoach.plans.tests.builders import stage

    plan = plan_services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )
    # The newer topic comes first in the plan: the list follows the plan, not the ids.
    later = plan.topics.get()
    Topic.objects.filter(pk=later.pk).update(order=5)
    earlier = Topic.objects.create(plan=plan, order=1, title="Chuyển đổi số " + "và " * 20)
    world.cell2.short_name = "Tổ 2"
    world.cell2.save()
    older = services.log_activity(
        actor=world.secretary,
        unit=world.cell1,
        date=date(2026, 3, 8),
        channel="meeting",
        plan=plan,
        topics=[later, earlier],
        participants=30,
        listeners=5,
        views=7,
        description="Quán triệt " + "Chỉ thị số 58-CT/TW " * 10,
        links=["https://lechan.vn/a", "https://lechan.vn/b"],
    )
    newer = services.log_activity(
        actor=world.secretary2, unit=world.cell2, date=date(2026, 3, 9), channel="portal"
    )
    rows = list_rows([older.pk, newer.pk])
    assert [r.pk for r in rows] == [newer.pk, older.pk]  # newest first, as the list is
    top, bottom = rows
    assert (top.unit_label, top.topic_titles, top.evidence_count, top.summary) == (
        "Tổ 2",
        [],
        0,
        "",
    )
    assert top.channel_label == str(Channel("portal").label)
    assert bottom.unit_label == world.cell1.name
    # In the plan's order whatever order they were ticked in, each clipped as the list clips it.
    assert bottom.topic_titles == [clip(earlier.title, 40), clip(later.title, 40)]
    assert bottom.topic_titles[0].endswith("…") and len(bottom.topic_titles[0]) == 40
    assert (bottom.reached, bottom.evidence_count) == (42, 2)
    assert bottom.summary == clip(older.description, 90) and bottom.url == f"/hoat-dong/{older.pk}/"
    assert list_rows([]) == []
