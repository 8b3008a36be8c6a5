"""The fixture plan in the Party format (Hướng dẫn 36-HD/VPTW), read back with python-docx."""

from __future__ import annotations

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from kehoach.documents.profiles import PARTY
from kehoach.documents.tests.builders import SIGNER, TITLE, fixture_plan
from kehoach.documents.tests.reading import (
    all_runs,
    blocks,
    body_paragraphs,
    column,
    column_texts,
    has_bottom_rule,
    lines,
    read,
    structure,
)
from kehoach.documents.writer import render_docx


@pytest.fixture(scope="module")
def doc():
    return read(render_docx(fixture_plan(), PARTY))


@pytest.fixture(scope="module")
def header(doc):
    return doc.tables[0]


@pytest.fixture(scope="module")
def closing(doc):
    return doc.tables[-1]


def test_the_document_starts_with_the_header_table_and_ends_with_recipients_and_signature(doc):
    kinds = [type(block).__name__ for block in blocks(doc)]
    assert kinds[0] == "Table"
    assert kinds[-1] == "Table"
    assert len(doc.tables) == 2


def test_the_page_is_a4_portrait(doc):
    section = doc.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)


def test_the_margins_are_those_of_the_party_profile(doc):
    section = doc.sections[0]
    assert section.top_margin.mm == pytest.approx(PARTY.margin_top_mm, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(PARTY.margin_bottom_mm, abs=0.1)
    assert section.left_margin.mm == pytest.approx(PARTY.margin_left_mm, abs=0.1)
    assert section.right_margin.mm == pytest.approx(PARTY.margin_right_mm, abs=0.1)
    assert (PARTY.margin_top_mm, PARTY.margin_bottom_mm) == (20, 20)
    assert (PARTY.margin_left_mm, PARTY.margin_right_mm) == (30, 15)


def test_every_run_is_times_new_roman_for_latin_east_asian_and_complex_scripts(doc):
    runs = list(all_runs(doc))
    assert len(runs) > 80
    for run in runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert run.font.name == "Times New Roman", run.text
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(attr)) == "Times New Roman", (attr, run.text)


def test_the_default_font_of_the_document_is_times_new_roman(doc):
    fonts = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert fonts.get(qn("w:asciiTheme")) is None
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_the_left_header_column_holds_superior_issuer_asterisk_and_number(header):
    assert column_texts(header, 0) == [
        "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
        "ĐẢNG ỦY PHƯỜNG LÊ CHÂN",
        "*",
        "Số 12-KH/ĐU",
    ]


def test_the_superior_is_regular_and_the_issuer_bold_both_14_pt(header):
    superior, issuer, _, number = column(header, 0)
    assert not superior.runs[0].bold
    assert issuer.runs[0].bold
    assert {p.runs[0].font.size.pt for p in (superior, issuer, number)} == {14}


def test_the_right_header_column_holds_the_party_name_and_the_place_and_date(header):
    assert column_texts(header, 1) == [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Lê Chân, ngày 20 tháng 5 năm 2026",
    ]


def test_the_party_name_is_15_pt_bold_with_a_rule_under_it(header):
    cell = header.cell(0, 1)
    title = cell.paragraphs[0]
    assert title.runs[0].bold and title.runs[0].font.size.pt == 15
    rules = [p for p in cell.paragraphs if has_bottom_rule(p)]
    assert len(rules) == 1 and not rules[0].text
    indent = rules[0].paragraph_format.left_indent.mm
    assert 0 < indent < PARTY.header_right_width_mm / 2  # centred, about as long as the name


def test_the_place_and_date_are_italic_without_leading_zeros(header):
    date = column(header, 1)[-1]
    assert date.runs[0].italic
    assert "ngày 20 tháng 5 năm" in date.text
    assert "tháng 05" not in date.text


def test_the_number_and_the_date_share_the_second_row_of_the_header(header):
    assert header.cell(1, 0).text == "Số 12-KH/ĐU"
    assert header.cell(1, 1).text.startswith("Lê Chân, ngày")


def test_the_header_table_has_no_borders(header):
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_the_type_word_and_the_subject_are_centred_and_bold(doc):
    type_word, subject = body_paragraphs(doc)[:2]
    assert type_word.text == "KẾ HOẠCH"
    assert type_word.runs[0].bold and type_word.runs[0].font.size.pt == 16
    assert subject.text == TITLE
    assert subject.runs[0].bold
    for paragraph in (type_word, subject):
        assert paragraph.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_the_basis_follows_the_subject(doc):
    assert body_paragraphs(doc)[2].text.startswith("Thực hiện Công văn số 806-CV/BTGDVTU")


def test_the_section_headings_carry_roman_numerals_in_order(doc):
    headings = [text for text in lines(doc) if text[:3] in ("I. ", "II.", "III", "IV.")]
    assert headings == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG TUYÊN TRUYỀN",
        "III. HÌNH THỨC TUYÊN TRUYỀN",
        "IV. TỔ CHỨC THỰC HIỆN",
    ]


def test_reading_the_document_back_gives_the_plans_structure(doc):
    plan = fixture_plan()
    sections = structure(lines(doc))
    purposes, content, forms, organisation = sections
    assert purposes.subsections == [
        ("Mục đích", plan.purposes),
        ("Yêu cầu", plan.requirements),
    ]
    assert content.subsections == [(topic.title, topic.points) for topic in plan.topics]
    assert forms.items == [f"{c.name}: {c.details}" for c in plan.channels]
    assert organisation.subsections == [
        (a.unit, [duty.text for duty in a.duties]) for a in plan.assignments
    ]


def test_headings_are_bold_and_bullets_regular_justified_with_a_first_line_indent(doc):
    paragraphs = {p.text: p for p in body_paragraphs(doc)}
    heading = paragraphs["I. MỤC ĐÍCH, YÊU CẦU"]
    subheading = paragraphs["1. Mục đích"]
    bullet = next(p for text, p in paragraphs.items() if text.startswith("- Tuyên truyền sâu"))
    assert heading.runs[0].bold and subheading.runs[0].bold
    assert not bullet.runs[0].bold
    assert bullet.runs[0].font.size.pt == 14
    assert bullet.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert bullet.paragraph_format.first_line_indent.mm == pytest.approx(10, abs=0.1)
    assert bullet.paragraph_format.space_after.pt == 6


def test_the_closing_sentence_ends_the_body_without_an_end_mark(doc):
    closing = body_paragraphs(doc)[-1]
    assert closing.text.startswith("Trên đây là Kế hoạch")
    assert not closing.text.endswith("./.")


def test_the_recipients_label_is_underlined_and_the_colon_is_not(closing):
    label = column(closing, 0)[0]
    assert label.text == "Nơi nhận:"
    words, colon = label.runs
    assert words.underline and not colon.underline


def test_each_recipient_ends_with_a_comma_and_the_archive_with_a_full_stop(closing):
    items = column_texts(closing, 0)[1:]
    assert items[0] == "- Ban Tuyên giáo và Dân vận TU “để báo cáo”,"
    assert all(item.startswith("- ") and item.endswith(",") for item in items[:-1])
    assert items[-1] == "- Lưu VPĐU."
    assert len(items) == 9


def test_recipients_are_12_pt(closing):
    items = column(closing, 0)[1:]
    assert {p.runs[0].font.size.pt for p in items} == {12}


def test_the_signature_has_authority_title_and_name_in_bold_with_room_to_sign(closing):
    paragraphs = column(closing, 1)
    assert [p.text for p in paragraphs] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", SIGNER]
    assert all(p.runs[0].bold for p in paragraphs)
    assert all(p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in paragraphs)
    assert paragraphs[-1].paragraph_format.space_before.mm >= 20


def test_page_numbers_are_a_page_field_centred_in_the_header_from_page_two(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    header = section.header
    instructions = [e.text for e in header._element.iter(qn("w:instrText"))]
    assert [text.strip() for text in instructions] == ["PAGE"]
    assert header.paragraphs[0].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert not list(first._element.iter(qn("w:instrText")))
    assert section.header_distance.mm < PARTY.margin_top_mm
