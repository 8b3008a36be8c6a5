"""Plans that differ from the fixture: other sections, blanks, end marks, annexes."""

from __future__ import annotations

from kehoach.documents.profiles import PARTY, STATE
from kehoach.documents.tests.builders import fixture_plan, state_plan
from kehoach.documents.tests.reading import body_paragraphs, column_texts, lines, read, structure
from kehoach.documents.writer import (
    authority_line,
    format_number_line,
    render_docx,
    roman,
)
from kehoach.plans.importer.result import Recipient, Section


def headings(doc) -> list[str]:
    return [section.heading for section in structure(lines(doc))]


def test_roman_numerals_go_beyond_four():
    assert [roman(n) for n in (1, 4, 5, 9, 14)] == ["I", "IV", "V", "IX", "XIV"]


def test_a_plan_without_sections_gets_the_usual_four_from_its_content():
    doc = read(render_docx(fixture_plan(sections=[])))
    assert headings(doc) == [
        "MỤC ĐÍCH, YÊU CẦU",
        "NỘI DUNG TUYÊN TRUYỀN",
        "HÌNH THỨC TUYÊN TRUYỀN",
        "TỔ CHỨC THỰC HIỆN",
    ]


def test_other_sections_are_printed_in_place_with_their_paragraphs():
    plan = fixture_plan(
        sections=[
            Section("MỤC ĐÍCH, YÊU CẦU", "purposes_requirements"),
            Section("NỘI DUNG TUYÊN TRUYỀN", "content"),
            Section("HÌNH THỨC TUYÊN TRUYỀN", "forms"),
            Section("KINH PHÍ", "funding"),
            Section("TỔ CHỨC THỰC HIỆN", "organisation"),
        ],
        other_sections={"KINH PHÍ": ["- Kinh phí thực hiện từ ngân sách phường."]},
    )
    sections = structure(lines(read(render_docx(plan))))
    assert [s.heading for s in sections][3:] == ["KINH PHÍ", "TỔ CHỨC THỰC HIỆN"]
    assert sections[3].items == ["Kinh phí thực hiện từ ngân sách phường."]


def test_other_sections_no_section_names_go_before_the_organisation():
    plan = fixture_plan(other_sections={"KHẨU HIỆU": ["- Đảng Cộng sản Việt Nam quang vinh!"]})
    assert headings(read(render_docx(plan)))[-2:] == ["KHẨU HIỆU", "TỔ CHỨC THỰC HIỆN"]


def test_a_merged_content_and_forms_section_lists_the_forms_as_its_last_item():
    plan = fixture_plan(
        sections=[
            Section("MỤC ĐÍCH, YÊU CẦU", "purposes_requirements"),
            Section("NỘI DUNG, HÌNH THỨC", "content"),
            Section("TỔ CHỨC THỰC HIỆN", "organisation"),
        ]
    )
    sections = structure(lines(read(render_docx(plan))))
    assert [s.heading for s in sections] == [
        "MỤC ĐÍCH, YÊU CẦU",
        "NỘI DUNG, HÌNH THỨC",
        "TỔ CHỨC THỰC HIỆN",
    ]
    title, items = sections[1].subsections[-1]
    assert title == "Hình thức tuyên truyền" and len(items) == 3


def test_purposes_alone_are_bullets_without_sub_headings():
    plan = fixture_plan(requirements=[], sections=[Section("MỤC TIÊU", "purposes_requirements")])
    first = structure(lines(read(render_docx(plan))))[0]
    assert first.heading == "MỤC TIÊU"
    assert first.subsections == [] and first.items == plan.purposes


def test_several_basis_lines_each_get_a_paragraph():
    basis = ["Căn cứ Điều lệ Đảng;", "Căn cứ Quy chế làm việc của Đảng ủy phường;"]
    texts = [p.text for p in body_paragraphs(read(render_docx(fixture_plan(basis=basis))))]
    assert texts[2:4] == basis


def test_the_party_end_mark_is_printed_when_asked_for_or_when_the_plan_had_one():
    def last(plan, **options):
        return body_paragraphs(read(render_docx(plan, PARTY, **options)))[-1].text

    assert not last(fixture_plan()).endswith("./.")
    assert last(fixture_plan(), end_mark=True).endswith("thực hiện./.")
    had_one = fixture_plan(closing="Trên đây là Kế hoạch tuyên truyền./.")
    assert last(had_one) == "Trên đây là Kế hoạch tuyên truyền./."
    assert not last(state_plan(), end_mark=False).endswith("./.")


def test_a_missing_archive_item_is_added_last():
    plan = fixture_plan(recipients=[Recipient("Thường trực Đảng ủy phường", "")])
    items = column_texts(read(render_docx(plan)).tables[-1], 0)[1:]
    assert items == ["- Thường trực Đảng ủy phường,", "- Lưu VPĐU."]


def test_an_archive_item_in_the_middle_is_moved_last_and_its_colon_follows_the_family():
    plan = state_plan(recipients=[Recipient("Lưu VT"), Recipient("Như trên")])
    items = column_texts(read(render_docx(plan)).tables[-1], 0)[1:]
    assert items == ["- Như trên;", "- Lưu: VT."]
    party = column_texts(read(render_docx(plan, PARTY)).tables[-1], 0)[1:]
    assert party == ["- Như trên,", "- Lưu VT."]


def test_a_blank_number_leaves_room_to_write_it_in():
    assert format_number_line("/KH-UBND", STATE) == f"Số: {STATE.number_blank}/KH-UBND"
    assert format_number_line(None, PARTY) == f"Số {PARTY.number_blank}"
    assert format_number_line("06/2022/TT-BTTTT", STATE) == "Số: 06/2022/TT-BTTTT"


def test_authority_forms_are_rewritten_only_when_they_are_a_prefix():
    assert authority_line("TM. ỦY BAN NHÂN DÂN", PARTY) == "T/M ỦY BAN NHÂN DÂN"
    assert authority_line("K/T TRƯỞNG BAN", STATE) == "KT. TRƯỞNG BAN"
    assert authority_line("TUQ. CHỦ TỊCH", PARTY) == "TUQ. CHỦ TỊCH"
    assert authority_line("TRƯỞNG BAN", STATE) == "TRƯỞNG BAN"


def test_a_signature_with_a_deputy_line_prints_four_lines():
    plan = fixture_plan()
    plan.signature.authority, plan.signature.deputy = "", "K/T TRƯỞNG BAN"
    plan.signature.title = "PHÓ TRƯỞNG BAN"
    texts = column_texts(read(render_docx(plan)).tables[-1], 1)
    assert texts == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Thị Minh Ngọc"]


def test_annexes_follow_the_signature_on_a_new_page():
    plan = fixture_plan(annexes=["PHỤ LỤC\nDanh sách báo cáo viên"])
    doc = read(render_docx(plan))
    texts = lines(doc)
    assert texts[-2:] == ["PHỤ LỤC", "Danh sách báo cáo viên"]
    assert 'w:type="page"' in doc.element.body.xml.split("PHỤ LỤC")[0][-2000:]
