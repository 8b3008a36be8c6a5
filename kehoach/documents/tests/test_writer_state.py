"""The same plan in the state format (Nghị định 30/2020/NĐ-CP): what differs from the Party's."""

from __future__ import annotations

from datetime import date

import pytest
from docx.oxml.ns import qn

from kehoach.documents.profiles import PARTY, STATE
from kehoach.documents.tests.builders import fixture_plan, state_plan
from kehoach.documents.tests.reading import (
    all_runs,
    body_paragraphs,
    column,
    column_texts,
    has_bottom_rule,
    read,
)
from kehoach.documents.writer import format_date, render_docx


@pytest.fixture(scope="module")
def doc():
    return read(render_docx(state_plan(), STATE))


def test_the_plan_family_chooses_the_state_profile_when_none_is_given():
    assert column_texts(read(render_docx(state_plan())).tables[0], 1)[0] == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )


def test_the_right_column_holds_the_national_title_and_motto_with_a_rule_under_the_motto(doc):
    cell = doc.tables[0].cell(0, 1)
    texts = [p.text for p in cell.paragraphs if p.text]
    assert texts == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    title, motto = cell.paragraphs[:2]
    assert title.runs[0].bold and title.runs[0].font.size.pt == 13
    assert motto.runs[0].bold and motto.runs[0].font.size.pt == 14
    assert has_bottom_rule(cell.paragraphs[2])


def test_the_left_column_has_a_short_rule_instead_of_the_asterisk(doc):
    cell = doc.tables[0].cell(0, 0)
    assert "*" not in [p.text for p in cell.paragraphs]
    assert has_bottom_rule(cell.paragraphs[-1])
    assert [p.text for p in cell.paragraphs if p.text][1] == "ỦY BAN NHÂN DÂN PHƯỜNG LÊ CHÂN"


def test_the_number_has_a_colon_and_a_leading_zero_under_ten(doc):
    number = column(doc.tables[0], 0)[-1]
    assert number.text == "Số: 05/KH-UBND"
    assert number.runs[0].font.size.pt == 13


def test_the_date_has_leading_zeros_for_days_under_ten_and_for_january_and_february(doc):
    assert column_texts(doc.tables[0], 1)[-1] == "Lê Chân, ngày 03 tháng 02 năm 2026"


@pytest.mark.parametrize(
    ("day", "state", "party"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026", "ngày 5 tháng 1 năm 2026"),
        (date(2026, 3, 4), "ngày 04 tháng 3 năm 2026", "ngày 4 tháng 3 năm 2026"),
        (date(2026, 12, 25), "ngày 25 tháng 12 năm 2026", "ngày 25 tháng 12 năm 2026"),
    ],
)
def test_dates_follow_each_familys_leading_zero_rule(day, state, party):
    assert format_date("", day, STATE) == state
    assert format_date("", day, PARTY) == party


def test_a_missing_date_leaves_room_to_write_it_by_hand():
    assert format_date("Lê Chân", None, STATE).startswith("Lê Chân, ngày ")
    assert "tháng" in format_date("", None, STATE)
    assert not any(ch.isdigit() for ch in format_date("", None, STATE))


def test_recipients_end_with_semicolons_and_the_archive_reads_luu_colon_vt(doc):
    closing = doc.tables[-1]
    label, *items = column(closing, 0)
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold and label.runs[0].italic and not label.runs[0].underline
    texts = [p.text for p in items]
    assert texts[0] == "- Ủy ban nhân dân thành phố (để báo cáo);"
    assert all(text.endswith(";") for text in texts[:-1])
    assert texts[-1] == "- Lưu: VT, VHXH."
    assert {p.runs[0].font.size.pt for p in items} == {STATE.recipients_item_size}


def test_the_signature_uses_the_state_authority_forms(doc):
    assert column_texts(doc.tables[-1], 1) == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Văn Nam",
    ]


def test_the_closing_sentence_ends_with_the_end_mark(doc):
    assert body_paragraphs(doc)[-1].text.endswith("triển khai thực hiện./.")


def test_the_subject_has_a_short_rule_under_it(doc):
    paragraphs = doc.paragraphs
    subject = next(i for i, p in enumerate(paragraphs) if p.text == fixture_plan().title)
    assert has_bottom_rule(paragraphs[subject + 1])


def test_a_party_plan_printed_with_the_state_profile_gets_state_authority_forms():
    plan = fixture_plan()
    doc = read(render_docx(plan, STATE))
    assert column_texts(doc.tables[-1], 1)[0] == "TM. BAN THƯỜNG VỤ"
    assert column_texts(doc.tables[0], 0)[-1] == "Số: 12-KH/ĐU"


def test_a_state_plan_printed_with_the_party_profile_gets_party_authority_forms():
    doc = read(render_docx(state_plan(), PARTY))
    assert column_texts(doc.tables[-1], 1)[:2] == ["T/M ỦY BAN NHÂN DÂN", "K/T CHỦ TỊCH"]


def test_every_run_of_the_state_document_is_times_new_roman(doc):
    for run in all_runs(doc):
        assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman"
        assert run.font.name == "Times New Roman"
