"""Whatever it is given, the importer returns a ParsedPlan or raises PlanReadError."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehoach.plans.importer.parser import import_document, parse_plan
from kehoach.plans.importer.result import ParsedPlan, PlanReadError

FIXTURE = (
    Path(__file__).resolve().parents[2] / "core" / "demo_data" / "ke-hoach-tuyen-truyen-ct58.txt"
)
TEXT = FIXTURE.read_text(encoding="utf-8") if FIXTURE.exists() else ""
READ_CODES = {"empty", "too_large", "unreadable", "corrupt", "scanned_pdf", "locked"}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text built from the pieces plans are made of, so that the parser's paths are exercised.
PIECES = st.sampled_from(
    [
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II- NỘI DUNG",
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Mục đích",
        "2. Yêu cầu:",
        "a) ",
        "- ",
        "+ ",
        "(1) ",
        "1.1. ",
        "Số 12-KH/ĐU",
        "Số: /KH-UBND",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "KT. CHỦ TỊCH",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn An",
        "Trên đây là Kế hoạch",
        "./.",
        "PHỤ LỤC",
        "Đề nghị Ủy ban",
        ":",
        "Chỉ thị số 58-CT/TW ngày 10/01/2026 của Ban Bí thư về ",
        "ngày … tháng 11 năm 2025",
        "trước ngày 15 hằng tháng",
        "“để báo cáo”",
        "(để b/c);",
        "[1]",
        "|",
        "**",
        "\n",
        "\n\n",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Lê Chân, ngày 20 tháng 5 năm 2026",
        "KÕ ho¹ch",
        "Căn cứ ",
    ]
)
PLANNY = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)


def outcome(call, *args):
    try:
        result = call(*args)
    except PlanReadError as error:
        # "internal" would mean the parser crashed and the safety net caught it.
        assert error.code in READ_CODES, (error.code, error.message, error.params)
        return error
    assert isinstance(result, ParsedPlan)
    for span in result.spans:
        assert 0 <= span.start <= span.end <= len(result.text)
    result.to_json()
    return result


@SETTINGS
@given(st.text(max_size=400))
def test_random_text(text):
    outcome(parse_plan, text)


@SETTINGS
@given(PLANNY)
def test_random_text_made_of_plan_pieces(text):
    outcome(parse_plan, text)


@pytest.mark.skipif(not TEXT, reason="fixture plan missing")
@SETTINGS
@given(st.integers(min_value=0, max_value=len(TEXT)), st.integers(min_value=0, max_value=2000))
def test_the_fixture_cut_at_any_point(end, start):
    outcome(parse_plan, TEXT[min(start, end) : end])


@pytest.mark.skipif(not TEXT, reason="fixture plan missing")
@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_fixture_with_its_lines_shuffled(rng: random.Random):
    lines = TEXT.split("\n")
    rng.shuffle(lines)
    outcome(parse_plan, "\n".join(lines))


@SETTINGS
@given(
    st.binary(max_size=600),
    st.sampled_from(["a.txt", "a.docx", "a.pdf", "a.htm", "a.html", "a.doc", "a", "A.PDF"]),
    st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.4\n", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>"]),
)
def test_random_bytes_with_each_extension(data, name, prefix):
    outcome(import_document, prefix + data, name, 10_000)


@pytest.mark.skipif(not TEXT, reason="fixture plan missing")
@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=0, max_value=20_000), st.binary(min_size=1, max_size=20))
def test_fixture_bytes_damaged_in_place(position, junk):
    data = bytearray(TEXT.encode("utf-8"))
    position %= len(data)
    data[position : position + len(junk)] = junk
    outcome(import_document, bytes(data), "plan.txt", 1_000_000)


@pytest.fixture(scope="module")
def fixture_files():
    from .conftest import docx_bytes, pdf_bytes, unicode_font

    lines = TEXT.split("\n")
    font = unicode_font()
    return {"docx": docx_bytes(lines), "pdf": pdf_bytes(lines, font) if font else None}


@pytest.mark.skipif(not TEXT, reason="fixture plan missing")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(["docx", "pdf"]),
    st.floats(min_value=0, max_value=1),
    st.binary(max_size=16),
    st.booleans(),
)
def test_real_docx_and_pdf_cut_or_damaged(fixture_files, kind, where, junk, cut):
    data = fixture_files[kind]
    if data is None:
        pytest.skip("no Unicode font for the PDF")
    position = int(where * (len(data) - 1))
    damaged = data[:position] if cut else data[:position] + junk + data[position + len(junk) :]
    outcome(import_document, damaged, f"plan.{kind}", 10_000_000)
