"""The board's unit rows are written in Python (reports/board.py): they must read exactly as
the template's filters would write them."""

from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from kehoach.reports.board import BoardUnit, _rate, percent, unit_rows, with_rates


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
