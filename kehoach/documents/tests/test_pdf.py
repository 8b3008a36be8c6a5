"""PDF through LibreOffice headless, and page 1 rendered to PNG for a human look.

Without LibreOffice (or poppler's pdftoppm) these tests skip with the reason, except under
CI=true, where a missing tool is a failure.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import struct
import subprocess
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from kehoach.documents.pdf import PdfFailed, PdfUnavailable, docx_to_pdf, find_soffice
from kehoach.documents.tests.builders import SIGNER, fixture_plan, state_plan
from kehoach.documents.writer import render_docx

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "documents"


def require(found: object, what: str) -> None:
    if found:
        return
    reason = f"{what} is not installed: cannot check the PDF output"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true requires it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def party_pdf() -> bytes:
    require(find_soffice(), "LibreOffice (soffice)")
    return docx_to_pdf(render_docx(fixture_plan()))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def render_page_one(pdf: bytes, name: str) -> Path:
    require(shutil.which("pdftoppm"), "pdftoppm (poppler-utils)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(ARTIFACTS / f"{name}-page1"),
        ],
        check=True,
        timeout=60,
    )
    return ARTIFACTS / f"{name}-page1.png"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_plan_converts_to_an_a4_pdf_with_a_text_layer(party_pdf):
    reader = PdfReader(io.BytesIO(party_pdf))
    assert len(reader.pages) >= 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.3, abs=1)
    assert float(box.height) == pytest.approx(841.9, abs=1)
    text = pdf_text(party_pdf)
    assert "KẾ HOẠCH" in text
    assert SIGNER in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text


def test_page_numbers_appear_from_page_two(party_pdf):
    reader = PdfReader(io.BytesIO(party_pdf))
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text().strip().splitlines()[0]
    second = reader.pages[1].extract_text().strip().splitlines()[0]
    assert first.strip() != "1"
    assert second.strip() == "2"


def test_page_one_renders_to_a_png_for_review(party_pdf):
    path = render_page_one(party_pdf, "plan")
    target = ARTIFACTS / "plan-page1.png"
    if path != target:
        path.replace(target)
    width, height = png_size(target)
    assert height / width == pytest.approx(297 / 210, rel=0.01)
    assert target.stat().st_size > 20_000


def test_the_state_plan_converts_and_renders_too():
    require(find_soffice(), "LibreOffice (soffice)")
    pdf = docx_to_pdf(render_docx(state_plan()))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf_text(pdf)
    assert png_size(render_page_one(pdf, "state-plan"))[0] > 0


def test_two_conversions_at_once_do_not_collide():
    require(find_soffice(), "LibreOffice (soffice)")
    documents = [render_docx(fixture_plan()), render_docx(state_plan())]
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(docx_to_pdf, documents))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pdf_text(pdfs[0])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf_text(pdfs[1])


def test_a_missing_libreoffice_raises_pdf_unavailable():
    with pytest.raises(PdfUnavailable) as error:
        docx_to_pdf(b"PK", soffice="kehoach-no-such-soffice")
    assert error.value.code == "soffice_missing"
    assert "LibreOffice" in str(error.value)


def fake_soffice(tmp_path: Path, script: str) -> str:
    path = tmp_path / "fake-soffice"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_a_failing_conversion_raises_pdf_failed_with_libreoffices_message(tmp_path):
    soffice = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    with pytest.raises(PdfFailed) as error:
        docx_to_pdf(b"not a docx", soffice=soffice)
    assert error.value.code == "conversion_failed"
    assert "could not be loaded" in str(error.value)


def test_a_conversion_that_produces_nothing_raises_pdf_failed(tmp_path):
    with pytest.raises(PdfFailed) as error:
        docx_to_pdf(b"PK", soffice=fake_soffice(tmp_path, "exit 0"))
    assert error.value.code == "conversion_failed"


def test_a_conversion_past_the_timeout_is_killed_and_raises_pdf_failed(tmp_path):
    soffice = fake_soffice(tmp_path, "sleep 30 & sleep 30")
    started = time.monotonic()
    with pytest.raises(PdfFailed) as error:
        docx_to_pdf(b"PK", timeout=1, soffice=soffice)
    assert error.value.code == "timeout"
    assert time.monotonic() - started < 15
