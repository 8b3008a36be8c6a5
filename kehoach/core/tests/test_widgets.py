"""The pickers written without per-option templates write what Django's Select writes."""

import re

from django import forms
from django.template import Context, Template

from kehoach.core.widgets import Flat, QuickSelect
from kehoach.org.models import Unit

CHOICES = [
    ("", "Tất cả"),
    (1, 'Chi bộ <b>"số 1"</b> & Co'),
    (2, "\u2003Tổ dân phố số 2"),
]


def _options(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)


def test_quick_select_offers_the_same_options_as_django_select() -> None:
    for value in (None, "", 1, "2"):
        ours = QuickSelect(choices=CHOICES).render("unit", value, attrs={"id": "id_unit"})
        theirs = forms.Select(choices=CHOICES).render("unit", value, attrs={"id": "id_unit"})
        assert _options(ours) == _options(theirs)
        assert len(_options(ours)) == 3
        assert re.match(r'<select id="id_unit" name="unit">', ours)


def test_quick_select_escapes_labels_and_marks_the_chosen_one() -> None:
    html = QuickSelect(choices=CHOICES).render("unit", 1)
    assert '<option value="1" selected>Chi bộ &lt;b&gt;&quot;số 1&quot;&lt;/b&gt; &amp; Co' in html
    assert "<b>" not in html
    assert html.count(" selected") == 1


def test_ready_choices_are_taken_as_they_are() -> None:
    widget = QuickSelect()
    widget.choices = Flat(CHOICES)
    assert list(widget.choices) == CHOICES
    assert widget.render("unit", 2).count("<option") == 3


def test_unit_options_escape_names() -> None:
    units = [Unit(pk=7, name="<script>x</script>"), Unit(pk=8, name="Phường")]
    html = Template("{% load kehoach_options %}{% unit_options units chosen %}").render(
        Context({"units": units, "chosen": units[1]})
    )
    assert html == (
        '<option value="7">&lt;script&gt;x&lt;/script&gt;</option>'
        '<option value="8" selected>Phường</option>'
    )
