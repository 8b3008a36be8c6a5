"""The first real plan (Đảng ủy phường Lê Chân, 2026) parses to exactly what it says."""

from pathlib import Path

import pytest

from kehoach.plans.importer.parser import import_document, parse_plan

FIXTURE = (
    Path(__file__).resolve().parents[2] / "core" / "demo_data" / "ke-hoach-tuyen-truyen-ct58.txt"
)


@pytest.fixture(scope="module")
def plan():
    if not FIXTURE.exists():
        pytest.fail(f"fixture plan missing: {FIXTURE}")
    return parse_plan(FIXTURE.read_text(encoding="utf-8"))


def test_the_plan_is_a_party_plan_without_header(plan):
    assert plan.kind == "KH"
    assert plan.family == "party"
    assert plan.number is None
    assert plan.date is None
    assert plan.issuer == ""
    assert plan.title == (
        "tuyên truyền thực hiện Chỉ thị số 58-CT/TW của Ban Bí thư và "
        "các Chương trình hành động của Ban Thường vụ Thành ủy"
    )


def test_the_basis_is_the_opening_sentence(plan):
    assert len(plan.basis) == 1
    assert plan.basis[0].startswith("Thực hiện Công văn số 806-CV/BTGDVTU")
    assert plan.basis[0].endswith("cụ thể như sau:")


def test_four_sections_are_placed_by_role(plan):
    assert [section.role for section in plan.sections] == [
        "purposes_requirements",
        "content",
        "forms",
        "organisation",
    ]
    assert plan.sections[0].heading == "MỤC ĐÍCH, YÊU CẦU"
    assert not [notice for notice in plan.warnings if notice.code == "unplaced_section"]


def test_four_purposes_and_three_requirements(plan):
    assert len(plan.purposes) == 4
    assert len(plan.requirements) == 3
    assert plan.purposes[0].startswith("Tuyên truyền sâu rộng nội dung Chỉ thị")
    # the page break inside the second requirement is reflowed into one paragraph
    assert "phương thức truyền thống và hiện đại" in plan.requirements[1]


def test_three_topics_with_their_points_and_citations(plan):
    assert [len(topic.points) for topic in plan.topics] == [6, 5, 5]
    assert plan.topics[0].title.startswith("Tuyên truyền Chỉ thị số 58-CT/TW")
    assert plan.topics[0].citations == ["58-CT/TW"]
    assert plan.topics[1].citations == ["20-CTr/TU", "18-KL/TW"]
    assert plan.topics[2].citations == ["21-CTr/TU", "41-NQ/TW"]
    assert "Luật An toàn vệ sinh lao động" in plan.topics[0].points[3]
    assert "thu ngân sách nhà nước; kim ngạch xuất khẩu" in plan.topics[1].points[1]


def test_three_channels_with_names_details_and_kinds(plan):
    assert len(plan.channels) == 3
    first, second, third = plan.channels
    assert first.name == "Tuyên truyền trên các phương tiện thông tin đại chúng và nền tảng số"
    assert first.details.startswith("cổng thông tin điện tử của phường")
    assert {"portal", "social", "loudspeaker", "newsletter"} <= set(first.kinds)
    assert {"oral", "meeting"} <= set(second.kinds)
    assert third.kinds == ["culture_event"]


def test_four_assignments_with_their_duties(plan):
    assert [a.unit for a in plan.assignments] == [
        "Ủy ban nhân dân phường",
        "Ban Xây dựng đảng Đảng ủy",
        "Ủy ban Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội phường",
        "Các cấp ủy, tổ chức đảng trực thuộc Đảng ủy",
    ]
    assert [len(a.duties) for a in plan.assignments] == [5, 5, 5, 6]
    assert all(a.role == "lead" for a in plan.assignments)
    # reflowed across the page break
    assert "phong trào thi đua yêu nước, các cuộc vận động" in plan.assignments[0].duties[3].text


def test_the_last_duty_of_the_party_cells_is_a_periodic_report(plan):
    duty = plan.assignments[3].duties[-1]
    assert duty.text.startswith("Định kỳ báo cáo")
    assert duty.recurrence == "periodic"
    assert duty.deadline_text == "Định kỳ"
    assert plan.assignments[3].duties[0].recurrence is None


def test_nine_recipients_with_the_note_separated(plan):
    assert len(plan.recipients) == 9
    assert plan.recipients[0].name == "Ban Tuyên giáo và Dân vận TU"
    assert plan.recipients[0].note == "để báo cáo"
    assert plan.recipients[2].name == "HĐND, UBND phường"
    assert plan.recipients[-1].name == "Lưu VPĐU"
    assert all(not r.name.endswith((",", ";", ".")) for r in plan.recipients)


def test_citations_are_exactly_the_six_documents(plan):
    assert {c.number for c in plan.citations} == {
        "806-CV/BTGDVTU",
        "58-CT/TW",
        "20-CTr/TU",
        "21-CTr/TU",
        "18-KL/TW",
        "41-NQ/TW",
    }
    by_number = {c.number: c for c in plan.citations}
    assert by_number["58-CT/TW"].issuer == "Ban Bí thư"
    assert by_number["58-CT/TW"].date.isoformat() == "2026-01-10"
    assert by_number["21-CTr/TU"].date.isoformat() == "2026-05-02"
    assert by_number["21-CTr/TU"].issuer == "Ban Thường vụ Thành ủy"
    assert by_number["41-NQ/TW"].issuer == "Bộ Chính trị"
    assert by_number["41-NQ/TW"].title.startswith("về xây dựng và phát huy vai trò")


def test_closing_and_signature(plan):
    assert plan.closing.startswith("Trên đây là Kế hoạch tuyên truyền")
    signature = plan.signature
    assert (signature.authority, signature.deputy, signature.title, signature.name) == (
        "T/M BAN THƯỜNG VỤ",
        "",
        "PHÓ BÍ THƯ",
        "Nguyễn Thị Minh Ngọc",
    )
    assert plan.annexes == [] and plan.footnotes == []


def test_spans_point_at_their_parts(plan):
    parts = {}
    for span in plan.spans:
        assert 0 <= span.start < span.end <= len(plan.text)
        parts.setdefault(span.part, []).append(plan.text[span.start : span.end])
    assert parts["title"][0].startswith("KẾ HOẠCH")
    assert len(parts["topic"]) == 3 and len(parts["assignment"]) == 4
    assert parts["assignment"][1].startswith("2. Ban Xây dựng đảng Đảng ủy")
    assert parts["recipients"][0].startswith("Nơi nhận:")
    assert parts["signature"][0].endswith("Nguyễn Thị Minh Ngọc")


def test_the_same_plan_as_an_uploaded_file(plan):
    data = FIXTURE.read_bytes()
    uploaded = import_document(data, "ke-hoach.txt", max_bytes=1_000_000)
    assert uploaded.to_json() == plan.to_json()
    with_bom = import_document(b"\xef\xbb\xbf" + data, "ke-hoach.txt", max_bytes=1_000_000)
    assert with_bom.to_json() == plan.to_json()
    utf16 = import_document(FIXTURE.read_text(encoding="utf-8").encode("utf-16"), "k.txt")
    assert utf16.to_json() == plan.to_json()
