"""Focused tests of the importer's parts: citations, dates, numbers, clean-up, header,
sections, assignments, recurrences, recipients, signatures, readers."""

import io
import unicodedata
from datetime import date

import pytest

from kehoach.documents.citations import find_citations, parse_number
from kehoach.plans.importer.assignments import parse_duty
from kehoach.plans.importer.dates import find_dates, parse_date
from kehoach.plans.importer.header import parse_header
from kehoach.plans.importer.normalize import fold, fold_same, normalize, tcvn3_to_unicode
from kehoach.plans.importer.parser import import_document, parse_plan
from kehoach.plans.importer.readers import html_to_text, read_document, read_text
from kehoach.plans.importer.result import PlanReadError


def numbers(text):
    return [c.number for c in find_citations(text)]


# --- citations -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chỉ thị số 58-CT/TW của Ban Bí thư", ["58-CT/TW"]),
        ("Chỉ thị số 27/CT-TTg của Thủ tướng", ["27/CT-TTg"]),
        ("Thông tư số 06/2022/TT-BTTTT", ["06/2022/TT-BTTTT"]),
        ("Luật Bầu cử số 85/2015/QH13", ["85/2015/QH13"]),
        ("Kế hoạch số 25/KH-MTTQ-BTT của Ban Thường trực", ["25/KH-MTTQ-BTT"]),
        ("Chỉ thị số 46 - CT/TW ngày 16/6/2025", ["46-CT/TW"]),
        ("Kết luận số 188- KL/TW", ["188-KL/TW"]),
        ("Nghị quyết số 10-NQ/TƯ của Ban Chấp hành", ["10-NQ/TU"]),
        ("Nghị quyết số 30c/NQ-CP", ["30c/NQ-CP"]),
        ("Công văn số 2170/BCA-C08 ngày 01/7/2025", ["2170/BCA-C08"]),
        ("tăng trưởng 13%/năm trong giai đoạn 2026 - 2030, kinh tế - xã hội", []),
        ("tổ chức CT-XH phường và 20/11/2025", []),
    ],
)
def test_citation_numbers_in_every_form(text, expected):
    assert numbers(text) == expected


def test_a_shared_type_word_gives_each_number_its_date_and_the_common_issuer():
    found = find_citations(
        "Chương trình hành động số 20-CTr/TU ngày 24/4/2026, số 21-CTr/TU ngày 02/5/2026 "
        "của Ban Thường vụ Thành ủy về phát triển kinh tế, xã hội; tiếp theo"
    )
    assert [(c.number, c.type, c.date, c.issuer) for c in found] == [
        ("20-CTr/TU", "CTr", date(2026, 4, 24), "Ban Thường vụ Thành ủy"),
        ("21-CTr/TU", "CTr", date(2026, 5, 2), "Ban Thường vụ Thành ủy"),
    ]
    assert found[0].title == "về phát triển kinh tế, xã hội"


def test_citation_issuer_and_subject_stop_at_the_end_of_the_clause():
    (citation,) = find_citations(
        "Thực hiện Chỉ thị số 58-CT/TW, ngày 10/01/2026 của Ban Bí thư về tăng cường công tác "
        "tuyên truyền, giáo dục cho công nhân, Ban Thường vụ Đảng ủy xây dựng Kế hoạch"
    )
    assert citation.issuer == "Ban Bí thư"
    assert citation.title == "về tăng cường công tác tuyên truyền, giáo dục cho công nhân"


def test_citation_with_worded_blank_or_dashed_dates():
    found = find_citations(
        "Chỉ thị số 45-CT/TW ngày 15 tháng 8 năm 2024 của Bộ Chính trị; "
        "Thông tư số 06/2022/TT-BTTTT ngày … tháng 5 năm 2022; "
        "Quyết định số 12/QĐ-UBND ngày 01-10-1997 của UBND tỉnh"
    )
    assert [c.date for c in found] == [date(2024, 8, 15), None, date(1997, 10, 1)]
    assert found[0].issuer == "Bộ Chính trị"
    assert found[2].type == "QĐ"


def test_citations_are_listed_once_and_the_own_number_is_excluded():
    text = "Kế hoạch số 12-KH/ĐU; Chỉ thị số 58-CT/TW; Chỉ thị 58-CT/TW của Ban Bí thư"
    found = find_citations(text, exclude=("12-KH/ĐU",))
    assert [c.number for c in found] == ["58-CT/TW"]
    assert found[0].issuer == "Ban Bí thư"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số 12-KH/ĐU", "12-KH/ĐU"),
        ("Số: 159/KH-UBND", "159/KH-UBND"),
        ("Số: /KH-UBND", "/KH-UBND"),
        ("Số:    /KH-MTTQ-BTT", "/KH-MTTQ-BTT"),
        ("Số:\n0125/KH-UBND", "0125/KH-UBND"),
        ("Số 205 - KH/TƯ", "205-KH/TU"),
        ("Số: 08/KH-SYT", "08/KH-SYT"),
        ("không có số", None),
    ],
)
def test_parse_number_of_the_document_itself(text, expected):
    assert parse_number(text) == expected


# --- dates -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/01/2026", date(2026, 1, 10)),
        ("23/7/2025", date(2025, 7, 23)),
        ("01-10-1997", date(1997, 10, 1)),
        ("ngày 15 tháng 8 năm 2024", date(2024, 8, 15)),
        ("ngày 15\ntháng 8\nnăm 2024", date(2024, 8, 15)),
        ("ngày … tháng 11 năm 2025", None),
        ("ngày    tháng   năm 2025", None),
        ("31/02/2024", None),
        ("không có ngày", None),
    ],
)
def test_dates_in_every_form(text, expected):
    assert parse_date(text) == expected


def test_a_date_range_gives_both_ends():
    found = find_dates("từ ngày 01/9/2025 đến ngày 30/9/2025")
    assert [when for _, _, when in found] == [date(2025, 9, 1), date(2025, 9, 30)]


# --- normalisation ---------------------------------------------------------------------------
def test_fold_matches_old_and_new_tone_placement_and_decomposed_text():
    assert fold("Uỷ ban") == fold("Ủy ban") == fold("U\u0309y ban".replace("U\u0309", "Ủ"))
    assert fold_same("Đảng ủy") == "dang uy"
    assert len(fold_same("Nguyễn Thị Minh Ngọc")) == len("Nguyễn Thị Minh Ngọc")


def test_normalize_composes_decomposed_unicode():
    decomposed = "Kê\u0301 hoa\u0323ch"
    assert normalize(decomposed).lines == ["Kế hoạch"]


def test_markdown_asterisks_table_pipes_and_rules_are_stripped():
    text = "**I. MỤC ĐÍCH**\n\n| Nơi nhận: | T/M BAN THƯỜNG VỤ |\n|---|---|\n* Điểm _một_\n-----\n"
    assert normalize(text).lines == [
        "I. MỤC ĐÍCH",
        "",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "",
        "- Điểm một",
    ]


def test_footnote_marks_are_removed_and_footnotes_collected():
    result = normalize("Chiến thắng Điện Biên Phủ[1] lừng lẫy.\n\n[1] Ngày 07/5/1954.")
    assert result.lines == ["Chiến thắng Điện Biên Phủ lừng lẫy."]
    assert result.footnotes == ["Ngày 07/5/1954."]


def test_page_numbers_alone_on_a_line_are_dropped_and_the_sentence_rejoined():
    text = "- Tuyên truyền sâu rộng đến cán bộ, đảng viên\n\n2\n\nvà Nhân dân trên địa bàn."
    assert normalize(text).lines == [
        "- Tuyên truyền sâu rộng đến cán bộ, đảng viên và Nhân dân trên địa bàn."
    ]


def test_reflow_joins_lower_case_continuations_also_across_one_blank_line():
    text = "KẾ HOẠCH\ntuyên truyền thực hiện Chỉ thị và\ncác Chương trình\n\nThực hiện Công văn."
    assert normalize(text).lines == [
        "KẾ HOẠCH",
        "tuyên truyền thực hiện Chỉ thị và các Chương trình",
        "",
        "Thực hiện Công văn.",
    ]
    across = normalize("- kết hợp phương thức truyền thống\n\nvà hiện đại.\n\n- Gắn với nhiệm vụ.")
    assert across.lines == [
        "- kết hợp phương thức truyền thống và hiện đại.",
        "",
        "- Gắn với nhiệm vụ.",
    ]


def test_reflow_keeps_numbered_items_and_bullets_apart():
    text = "1. Mục đích\n- Tuyên truyền\n2. Yêu cầu\n+ chi tiết"
    assert normalize(text).lines == ["1. Mục đích", "- Tuyên truyền", "2. Yêu cầu", "+ chi tiết"]


def test_hard_wrapped_text_is_reflowed_even_when_a_line_starts_with_a_capital():
    line = "Tuyên truyền sâu rộng nội dung Chỉ thị của Ban Bí thư đến toàn thể cán bộ"
    text = "\n".join(
        [f"- {line} và", f"Nhân dân {line}", f"{line} của Ban", "Thường vụ Thành ủy."] * 3
    )
    lines = normalize(text).lines
    assert len(lines) == 3
    assert lines[0].endswith("của Ban Thường vụ Thành ủy.")


def test_tcvn3_mojibake_is_converted_and_reported():
    result = normalize("KÕ HO¹CH\ntuyªn truyÒn bÇu cö ®¹i biÓu Quèc héi")
    assert result.lines == ["KẾ HOẠCH", "tuyên truyền bầu cử đại biểu Quốc hội"]
    assert [n.code for n in result.notices] == ["tcvn3_encoding"]
    assert tcvn3_to_unicode("§¶ng ñy x·") == "Đảng ủy xã"
    assert normalize("Đảng ủy xã Nghĩa Lâm").notices == []


# --- header ----------------------------------------------------------------------------------
def test_party_header_one_cell_per_line_column_by_column():
    header = parse_header(
        [
            "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
            "ĐẢNG ỦY PHƯỜNG LÊ CHÂN",
            "*",
            "Số 12-KH/ĐU",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Lê Chân, ngày 20 tháng 5 năm 2026",
        ]
    )
    assert (header.family, header.number, header.superior, header.issuer) == (
        "party",
        "12-KH/ĐU",
        "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
        "ĐẢNG ỦY PHƯỜNG LÊ CHÂN",
    )
    assert (header.place, header.date) == ("Lê Chân", date(2026, 5, 20))


def test_party_header_row_by_row():
    header = parse_header(
        [
            "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "ĐẢNG ỦY PHƯỜNG LÊ CHÂN",
            "Lê Chân, ngày 20 tháng 5 năm 2026",
            "Số 12-KH/ĐU",
        ]
    )
    assert header.superior == "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG"
    assert header.issuer == "ĐẢNG ỦY PHƯỜNG LÊ CHÂN"
    assert header.place == "Lê Chân"


def test_party_header_on_one_line():
    header = parse_header(
        [
            "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG ĐẢNG ỦY PHƯỜNG LÊ CHÂN * Số 12-KH/ĐU "
            "ĐẢNG CỘNG SẢN VIỆT NAM Lê Chân, ngày 20 tháng 5 năm 2026"
        ]
    )
    assert (header.superior, header.issuer, header.number) == (
        "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
        "ĐẢNG ỦY PHƯỜNG LÊ CHÂN",
        "12-KH/ĐU",
    )
    assert (header.place, header.date) == ("Lê Chân", date(2026, 5, 20))


def test_state_header_with_the_number_on_the_next_line_and_a_blank_date():
    header = parse_header(
        [
            "ỦY BAN NHÂN DÂN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "PHƯỜNG HỒNG BÀNG",
            "Độc lập - Tự do - Hạnh phúc",
            "Số:",
            "0125/KH-UBND",
            "Hồng Bàng, ngày      tháng 3 năm 2026",
        ]
    )
    assert header.family == "state"
    assert header.issuer == "ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG"
    assert header.superior == ""
    assert header.number == "0125/KH-UBND"
    assert (header.place, header.date) == ("Hồng Bàng", None)


def test_no_header_at_all():
    header = parse_header([])
    assert (header.number, header.issuer, header.date) == (None, "", None)


# --- whole small plans -----------------------------------------------------------------------
STATE_PLAN = """ỦY BAN NHÂN DÂN
PHƯỜNG LÊ CHÂN
Số: 159/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lê Chân, ngày 05 tháng 02 năm 2026

KẾ HOẠCH
TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH
NĂM 2026

Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;
Ủy ban nhân dân phường ban hành Kế hoạch như sau:

I- MỤC ĐÍCH, YÊU CẦU
1- Mục đích: Nâng cao nhận thức về cải cách hành chính.
2- Yêu cầu
- Tuyên truyền đúng định hướng, kịp thời;
- Gắn với nhiệm vụ chính trị của địa phương.
II- NỘI DUNG
1. Các chủ trương về cải cách hành chính:
- Luật số 85/2015/QH13;
- Chỉ thị số 27/CT-TTg ngày 01-10-1997 của Thủ tướng Chính phủ.
2. Kết quả cải cách hành chính của phường.
II- HÌNH THỨC
- Đăng tải tin, bài trên Trang thông tin điện tử phường.
- Phát trên hệ thống loa truyền thanh các tổ dân phố.
IV- KINH PHÍ
Kinh phí từ ngân sách phường.
V- CHẾ ĐỘ THÔNG TIN
Báo cáo đúng hạn.
VI- TỔ CHỨC THỰC HIỆN
1. Văn phòng HĐND và UBND phường: chủ trì tham mưu; báo cáo trước ngày 15 hằng tháng.
2. Các đơn vị phối hợp
- Công an phường: tuyên truyền về thủ tục cư trú.
- Trạm Y tế phường: báo cáo kết quả trước ngày 15 tháng 11.
3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam phường phối hợp tuyên truyền đến hội viên.
Đồng chí Trưởng Công an phường chỉ đạo lực lượng tham gia, hoàn thành trước ngày 30/6/2026.
Trên đây là Kế hoạch tuyên truyền cải cách hành chính năm 2026./.

Nơi nhận:
- UBND Thành phố (để báo cáo);
- Thường trực Đảng ủy phường;
- Lưu: VT, VP.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
(Đã ký)
Trần Văn Bình

PHỤ LỤC
DANH MỤC KHẨU HIỆU
1. Cải cách hành chính vì Nhân dân phục vụ.
"""


@pytest.fixture(scope="module")
def state_plan():
    return parse_plan(STATE_PLAN)


def test_state_plan_header_title_and_family(state_plan):
    assert (state_plan.kind, state_plan.family, state_plan.number) == ("KH", "state", "159/KH-UBND")
    assert state_plan.issuer == "ỦY BAN NHÂN DÂN PHƯỜNG LÊ CHÂN"
    assert state_plan.date == date(2026, 2, 5)
    assert state_plan.title == "TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH NĂM 2026"
    assert len(state_plan.basis) == 2


def test_sections_are_placed_by_role_whatever_the_numbering(state_plan):
    assert [s.role for s in state_plan.sections] == [
        "purposes_requirements",
        "content",
        "forms",
        "funding",
        "other",
        "organisation",
    ]
    unplaced = [n for n in state_plan.warnings if n.code == "unplaced_section"]
    assert [n.params["heading"] for n in unplaced] == ["CHẾ ĐỘ THÔNG TIN"]
    assert state_plan.other_sections["CHẾ ĐỘ THÔNG TIN"] == ["Báo cáo đúng hạn."]


def test_inline_purpose_and_requirement_bullets(state_plan):
    assert state_plan.purposes == ["Nâng cao nhận thức về cải cách hành chính."]
    assert len(state_plan.requirements) == 2


def test_topics_and_channels_of_a_state_plan(state_plan):
    assert [len(t.points) for t in state_plan.topics] == [2, 0]
    assert state_plan.topics[0].citations == ["85/2015/QH13", "27/CT-TTg"]
    assert [c.kinds for c in state_plan.channels] == [["portal"], ["loudspeaker"]]


def test_assignment_forms_inline_subheading_request_and_person(state_plan):
    got = [(a.unit, a.role, len(a.duties)) for a in state_plan.assignments]
    assert got == [
        ("Văn phòng HĐND và UBND phường", "lead", 1),
        ("Công an phường", "support", 1),
        ("Trạm Y tế phường", "support", 1),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam phường", "support", 1),
        ("Đồng chí Trưởng Công an phường", "lead", 1),
    ]
    office, _, health, _, person = state_plan.assignments
    assert (office.duties[0].recurrence, office.duties[0].due_day) == ("monthly", 15)
    assert (health.duties[0].recurrence, health.duties[0].due_month) == ("yearly", 11)
    assert person.duties[0].deadline == date(2026, 6, 30)


def test_closing_end_mark_recipients_signature_and_annex(state_plan):
    assert state_plan.closing == "Trên đây là Kế hoạch tuyên truyền cải cách hành chính năm 2026"
    assert any(span.part == "end_mark" for span in state_plan.spans)
    assert [(r.name, r.note) for r in state_plan.recipients] == [
        ("UBND Thành phố", "để báo cáo"),
        ("Thường trực Đảng ủy phường", ""),
        ("Lưu: VT, VP", ""),
    ]
    signature = state_plan.signature
    assert (signature.authority, signature.deputy, signature.title, signature.name) == (
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Văn Bình",
    )
    assert len(state_plan.annexes) == 1
    assert state_plan.annexes[0].startswith("PHỤ LỤC\nDANH MỤC KHẨU HIỆU")


def test_a_first_section_numbered_ii_and_markdown_headings():
    plan = parse_plan(
        "KẾ HOẠCH\ntuyên truyền\n\n## II. MỤC ĐÍCH, YÊU CẦU\n- Nâng cao nhận thức.\n"
        "## II. NỘI DUNG\n1. Chủ đề một\n- điểm\n### IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Ban Xây dựng đảng:\n- Chủ trì.\n"
    )
    assert [s.role for s in plan.sections] == ["purposes_requirements", "content", "organisation"]
    assert plan.purposes == ["Nâng cao nhận thức."]
    assert plan.assignments[0].unit == "Ban Xây dựng đảng"


def test_unnumbered_capital_headings_and_decimal_items():
    plan = parse_plan(
        "KẾ HOẠCH\ntruyền thông\n\nMỤC ĐÍCH, YÊU CẦU\n1.1. Mục đích\n- Một.\n1.2. Yêu cầu\n- Hai.\n"
        "PHÂN CÔNG NHIỆM VỤ\n2.1. Phòng Nghiệp vụ Y\n- Chủ trì, theo dõi hằng quý.\n"
        "2.2. Trung tâm Y tế\n- Phối hợp thực hiện.\n"
    )
    assert (plan.purposes, plan.requirements) == (["Một."], ["Hai."])
    assert [(a.unit, a.role) for a in plan.assignments] == [
        ("Phòng Nghiệp vụ Y", "lead"),
        ("Trung tâm Y tế", "support"),
    ]
    assert plan.assignments[0].duties[0].recurrence == "quarterly"


def test_signature_before_recipients_and_board_deputy():
    plan = parse_plan(
        "KẾ HOẠCH\ntuyên truyền\n\nI. TỔ CHỨC THỰC HIỆN\n1. Phòng Tuyên truyền\n- Chủ trì.\n"
        "Trên đây là Kế hoạch./.\n"
        "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nNguyễn Đức Thành\n"
        "Nơi nhận:\n- Ban Tuyên giáo Trung ương (để báo cáo),\n- Lưu VP Ban.\n"
    )
    assert (plan.signature.deputy, plan.signature.title, plan.signature.name) == (
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Nguyễn Đức Thành",
    )
    assert [r.name for r in plan.recipients] == ["Ban Tuyên giáo Trung ương", "Lưu VP Ban"]


@pytest.mark.parametrize(
    ("line", "authority", "deputy"),
    [
        ("T/L BAN THƯỜNG VỤ", "", "T/L BAN THƯỜNG VỤ"),
        ("TUQ. CHỦ TỊCH", "", "TUQ. CHỦ TỊCH"),
        ("TM. BAN THƯỜNG TRỰC", "TM. BAN THƯỜNG TRỰC", ""),
    ],
)
def test_signature_prefixes(line, authority, deputy):
    plan = parse_plan(f"KẾ HOẠCH\nx\n\nNơi nhận:\n- Lưu VT.\n{line}\nCHÁNH VĂN PHÒNG\nLê Văn An\n")
    assert (plan.signature.authority, plan.signature.deputy) == (authority, deputy)
    assert plan.signature.title == "CHÁNH VĂN PHÒNG"
    assert plan.signature.name == "Lê Văn An"


@pytest.mark.parametrize(
    ("item", "name", "note"),
    [
        (
            "- Ban Tuyên giáo và Dân vận TU “để báo cáo”,",
            "Ban Tuyên giáo và Dân vận TU",
            "để báo cáo",
        ),
        ('- Thường trực Tỉnh ủy "để báo cáo";', "Thường trực Tỉnh ủy", "để báo cáo"),
        ("- UBND tỉnh (để b/c);", "UBND tỉnh", "để b/c"),
        ("- Lưu: VT, VP.", "Lưu: VT, VP", ""),
        (
            "- Ủy ban MTTQ và các tổ chức chính trị - xã hội phường,",
            "Ủy ban MTTQ và các tổ chức chính trị - xã hội phường",
            "",
        ),
    ],
)
def test_recipient_items_and_notes(item, name, note):
    plan = parse_plan(f"KẾ HOẠCH\nx\n\nNơi nhận:\n{item}\nBÍ THƯ\nLê Văn An\n")
    assert [(r.name, r.note) for r in plan.recipients] == [(name, note)]


def test_footnotes_after_the_signature():
    plan = parse_plan(
        "KẾ HOẠCH\nx\n\nNơi nhận:\n- Lưu VT.\nT/M ĐẢNG ỦY\nBÍ THƯ\nLê Văn An\n\n"
        "(1) Chiến dịch kéo dài 56 ngày đêm.\n"
    )
    assert plan.footnotes == ["Chiến dịch kéo dài 56 ngày đêm."]


# --- recurrences -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "recurrence", "day", "month"),
    [
        ("Báo cáo kết quả trước ngày 15 hằng tháng", "monthly", 15, None),
        ("Tổng hợp, báo cáo hàng tháng", "monthly", None, None),
        ("Báo cáo định kỳ hằng quý", "quarterly", None, None),
        ("Báo cáo theo quy định", None, None, None),
        ("Sơ kết 6 tháng đầu năm", "half_year", None, None),
        ("Báo cáo trước ngày 15 tháng 11 hằng năm", "yearly", 15, 11),
        ("Báo cáo kết quả trước ngày 15 tháng 11", "yearly", 15, 11),
        ("Tổng hợp kết quả sau mỗi đợt tuyên truyền", "per_phase", None, None),
        ("Định kỳ báo cáo kết quả", "periodic", None, None),
        ("Báo cáo định kỳ và đột xuất", "periodic", None, None),
        ("Báo cáo đột xuất khi có yêu cầu", "ad_hoc", None, None),
        ("Thường xuyên nắm bắt tình hình", None, None, None),
    ],
)
def test_recurrence_phrases(text, recurrence, day, month):
    duty = parse_duty(text)
    assert (duty.recurrence, duty.due_day, duty.due_month) == (recurrence, day, month)
    if recurrence:
        assert duty.deadline_text and duty.deadline_text in text


def test_a_one_off_deadline():
    duty = parse_duty("Báo cáo kết quả về Ban Tuyên giáo trước ngày 15/10/2022 để tổng kết./.")
    assert duty.deadline == date(2022, 10, 15)
    assert duty.deadline_text == "trước ngày 15/10/2022"
    assert not duty.text.endswith("./.")


# --- readers ---------------------------------------------------------------------------------
def test_read_text_normalises_line_ends_and_bom():
    assert read_text("\ufeffa\r\nb\rc") == "a\nb\nc"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps the tone marks apart from their letters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in decomposed if c in tones).encode("cp1258")
    return out


def test_windows_1258_text_is_decoded_and_composed():
    data = to_cp1258("Kế hoạch tuyên truyền của Đảng ủy phường")
    assert data != "Kế hoạch tuyên truyền của Đảng ủy phường".encode()
    assert read_document(data, "plan.txt", 10_000) == "Kế hoạch tuyên truyền của Đảng ủy phường"


def test_word_html_keeps_paragraphs_and_drops_styles():
    markup = (
        "<html><head><style>p {color: red}</style><script>x()</script></head><body>"
        "<p class=MsoNormal>KẾ HOẠCH</p><p>tuyên&nbsp;truyền</p><table><tr><td>Nơi nhận:</td>"
        "<td>T/M BAN THƯỜNG VỤ</td></tr></table></body></html>"
    )
    assert html_to_text(markup).split("\n") == [
        "KẾ HOẠCH",
        "",
        "tuyên truyền",
        "",
        "Nơi nhận:",
        "",
        "T/M BAN THƯỜNG VỤ",
    ]
    plan = import_document(markup.encode("utf-8"), "ke-hoach.htm", 100_000)
    assert plan.title == "tuyên truyền"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.txt", "empty"),
        (b"   \r\n\t ", "a.txt", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 20, "a.txt", "unreadable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.doc", "unreadable"),
        (b"PK\x03\x04garbage", "a.docx", "corrupt"),
        (b"%PDF-1.7\ngarbage", "a.pdf", "corrupt"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 5, "a.pdf", "corrupt"),
    ],
)
def test_unreadable_inputs_raise_plan_read_errors(data, name, code):
    with pytest.raises(PlanReadError) as error:
        read_document(data, name, 10_000)
    assert error.value.code == code


def test_too_large_reports_the_sizes():
    with pytest.raises(PlanReadError) as error:
        read_document(b"x" * 5000, "a.txt", 2048)
    assert error.value.code == "too_large"
    assert error.value.params == {"size": 5, "limit": 2}


def test_content_decides_not_the_name(make_docx):
    data = make_docx(["KẾ HOẠCH", "tuyên truyền"])
    assert read_document(data, "renamed.txt", 100_000).split("\n") == ["KẾ HOẠCH", "tuyên truyền"]


def test_docx_tables_read_in_document_order(make_docx):
    data = make_docx(
        ["KẾ HOẠCH", "tuyên truyền"],
        header_cells=(["ĐẢNG ỦY PHƯỜNG LÊ CHÂN", "*", "Số 12-KH/ĐU"], ["ĐẢNG CỘNG SẢN VIỆT NAM"]),
    )
    text = read_document(data, "a.docx", 100_000)
    assert text.split("\n")[:4] == ["ĐẢNG ỦY PHƯỜNG LÊ CHÂN", "*", "Số 12-KH/ĐU", ""]
    assert text.index("ĐẢNG CỘNG SẢN VIỆT NAM") < text.index("KẾ HOẠCH")


def test_a_scanned_pdf_without_text_is_refused():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    with pytest.raises(PlanReadError) as error:
        read_document(bytes(pdf.output()), "scan.pdf", 1_000_000)
    assert error.value.code == "scanned_pdf"


def test_a_password_protected_pdf_is_locked(make_pdf):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["KẾ HOẠCH", "tuyên truyền"]))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PlanReadError) as error:
        read_document(out.getvalue(), "locked.pdf", 1_000_000)
    assert error.value.code == "locked"


def test_pasted_empty_text_is_refused():
    with pytest.raises(PlanReadError) as error:
        parse_plan("  \n ")
    assert error.value.code == "empty"


def test_word_automatic_numbering_and_bullets_are_written_out():
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("tuyên truyền")
    document.add_paragraph("MỤC ĐÍCH, YÊU CẦU")
    for text in ("Mục đích", "Yêu cầu"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("Nâng cao nhận thức.", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    text = read_document(out.getvalue(), "plan.docx", 1_000_000)
    assert text.split("\n")[3:] == ["1. Mục đích", "2. Yêu cầu", "- Nâng cao nhận thức."]
    plan = import_document(out.getvalue(), "plan.docx", 1_000_000)
    assert plan.requirements == ["Nâng cao nhận thức."]


def test_a_person_can_move_a_section_the_importer_could_not_place() -> None:
    from kehoach.plans.importer.parser import parse_plan

    text = (
        "KẾ HOẠCH\ntuyên truyền an toàn giao thông\n\nI. MỤC ĐÍCH, YÊU CẦU\n"
        "- Nâng cao ý thức chấp hành.\n\nII. CÁCH LÀM\n- Tuyên truyền trên hệ thống truyền "
        "thanh cơ sở.\n- Treo băng rôn, khẩu hiệu.\n\nIII. TỔ CHỨC THỰC HIỆN\n"
        "1. Ủy ban nhân dân xã\n- Chỉ đạo thực hiện.\n"
    )
    first = parse_plan(text)
    assert first.sections[1].role == "other"
    assert [n.code for n in first.warnings] == ["unplaced_section"]
    moved = parse_plan(text, roles={1: "forms"})
    assert moved.sections[1].role == "forms"
    assert [c.name for c in moved.channels][0].startswith("Tuyên truyền trên hệ thống")
    assert moved.warnings == []
    assert parse_plan(text, roles={1: "nonsense"}).sections[1].role == "other"
