"""Builders of test documents for the importer: .docx (python-docx) and .pdf (fpdf2)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
)


def unicode_font() -> str | None:
    return next((path for path in FONT_CANDIDATES if Path(path).exists()), None)


def docx_bytes(lines: list[str], header_cells: tuple[list[str], list[str]] | None = None) -> bytes:
    """One paragraph per line; optionally a borderless two-column header table first."""
    import docx

    document = docx.Document()
    body = document.element.body
    for paragraph in list(document.paragraphs):
        body.remove(paragraph._element)
    if header_cells is not None:
        left, right = header_cells
        rows = max(len(left), len(right))
        table = document.add_table(rows=rows, cols=2)
        for row, cells in enumerate(table.rows):
            cells.cells[0].text = left[row] if row < len(left) else ""
            cells.cells[1].text = right[row] if row < len(right) else ""
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str], font: str) -> bytes:
    """A4 text PDF, page numbers in the top margin from page 2 as the official format has."""
    from fpdf import FPDF

    class Document(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("body", size=11)
                self.cell(0, 8, str(self.page_no()), align="C", new_x="LMARGIN", new_y="NEXT")

    pdf = Document(format="A4")
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("body", "", font)
    pdf.add_page()
    pdf.set_font("body", size=12)
    for line in lines:
        pdf.multi_cell(0, 6, line if line.strip() else " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.fixture
def make_docx():
    return docx_bytes


@pytest.fixture
def make_pdf():
    font = unicode_font()
    if font is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("no Unicode TTF font (DejaVu or Liberation) to build test PDFs on CI")
        pytest.skip("no Unicode TTF font (DejaVu or Liberation Serif) to build test PDFs")

    def build(lines: list[str]) -> bytes:
        return pdf_bytes(lines, font)

    return build
