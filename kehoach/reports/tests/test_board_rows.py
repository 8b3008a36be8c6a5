"""The board's unit rows are written in Python (reports/board.py): they must read exactly as
the template's filters would write them."""

from datetime import date

from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from kehoach.reports.board import (
    BoardPeriod,
    BoardUnit,
    _rate,
    percent,
    period_rows,
    unit_rows,
    with_rates,
)


def test_a_rate_reads_as_floatformat_writes_it_for_every_board_size() -> None:
    with translation.override("vi"):
        for whole in range(1, 130):
            for part in range(whole + 1):
                rate = percent(part, whole)
                assert _rate(rate, ",") == floatformat(rate, "-1"), (part, whole)
    assert _rate(None, ",") == "—"
    assert _rate(33.3, ",") == "33,3" and _rate(50.0, ",") == "50"


def test_a_unit_row_writes_its_figures_as_the_template_would() -> None:
    counts = {"expected": 1200, "submitted": 400, "on_time": 400, "late": 0, "missing": 800}
    row = {"unit": BoardUnit(7, "Chi bộ 1"), "grid": [], "figures": with_rates(counts)}
    with translation.override("vi"):
        html = unit_rows([row])
        thousand = Template("{{ n }}").render(Context({"n": 1200}))
    assert 'data-figures="1200/400/400/0/800"' in html
    assert f'<td class="num">{thousand}</td><td class="num">400</td>' in html
    assert html.rstrip().endswith('<td class="num missing">800</td><td class="num">33,3</td></tr>')


# The board's period loop as the template wrote it until the rows moved to board.period_rows.
PERIOD_LOOP = (
    "{% load i18n l10n %}{% for period in board.periods %}{% with f=period.figures %}\n"
    '    <tr id="board-period-{{ period.pk|unlocalize }}" data-figures="{{ f.expected|unlocalize }}'
    "/{{ f.submitted|unlocalize }}/{{ f.on_time|unlocalize }}/{{ f.late|unlocalize }}"
    '/{{ f.missing|unlocalize }}">\n'
    '      <th scope="row">{{ period.label }}</th><td data-label="{% translate \'Reports due\' %}">'
    '{{ period.due_date|date:"SHORT_DATE_FORMAT" }}</td>\n'
    '      <td class="num" data-label="{% translate \'Expected\' %}">{{ f.expected }}</td>'
    '<td class="num" data-label="{% translate \'Submitted\' %}">{{ f.submitted }}</td>\n'
    '      <td class="num" data-label="{% translate \'On time\' %}">{{ f.on_time }}</td>'
    '<td class="num" data-label="{% translate \'Late\' %}">{{ f.late }}</td>\n'
    '      <td class="num{% if f.missing %} missing{% endif %}" '
    "data-label=\"{% translate 'Missing' %}\">{{ f.missing }}</td>\n"
    '      <td class="num" data-label="{% translate \'Not yet due\' %}">{{ f.not_due }}</td>\n'
    '      <td class="num" data-label="{% translate \'Submitted (%)\' %}">'
    '{{ f.submitted_rate|floatformat:"-1"|default:"—" }}</td>\n'
    '      <td class="num" data-label="{% translate \'On time (%)\' %}">'
    '{{ f.on_time_rate|floatformat:"-1"|default:"—" }}</td></tr>\n'
    "  {% endwith %}{% endfor %}"
)


def test_the_period_rows_read_as_the_template_loop_wrote_them() -> None:
    periods = [
        BoardPeriod(3, "Quý 1/2026", date(2026, 4, 10), with_rates({})),
        BoardPeriod(
            12,
            "Đợt <1> & \"đặc biệt\" của 'Ban'",
            date(2026, 12, 31),
            with_rates(
                {"expected": 1250, "submitted": 3, "on_time": 2, "late": 1, "missing": 1247}
            ),
        ),
        BoardPeriod(
            1005,
            "Năm 2026",
            date(2027, 1, 15),
            with_rates({"expected": 3, "submitted": 1, "on_time": 1, "not_due": 2}),
        ),
    ]
    for language in ("vi", "en"):
        with translation.override(language):
            expected = Template(PERIOD_LOOP).render(Context({"board": {"periods": periods}}))
            assert str(period_rows(periods)) == expected, language
    with translation.override("vi"):
        html = period_rows(periods)
    assert "Đợt &lt;1&gt; &amp; &quot;đặc biệt&quot; của &#x27;Ban&#x27;" in html
    assert 'data-figures="1250/3/2/1/1247"' in html and ">—</td>" in html
