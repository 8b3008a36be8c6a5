"""A results report (BÁO CÁO kết quả thực hiện Kế hoạch số …) → .docx in the official format.

Reuses the plan writer's pieces: the same header (issuing body, number, place and date), type
word and subject, body paragraphs, recipients and signature block, all from a
``FormatProfile``. What differs is the body: an opening paragraph, numbered sections whose
content is a list of blocks (headings, paragraphs, bullets and bordered figure tables).

Pure data in, bytes out; no Django here. The words of the report are composed by the caller
(``kehoach.reports.summary_document``); ``figure_lines`` and friends below help it print numbers the
Vietnamese way (1.234).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from kehoach.documents.profiles import FormatProfile, profile_for
from kehoach.documents.writer.document import _Writer
from kehoach.documents.writer.ooxml import Filler
from kehoach.documents.writer.text import bullet
from kehoach.plans.importer.result import ParsedPlan, Recipient, Signature


def vn_number(value: int | float) -> str:
    """``12345`` → ``12.345``; ``12.5`` → ``12,5`` (Vietnamese grouping and decimal comma)."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, fraction = f"{value:,.1f}".partition(".")
        return whole.replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


@dataclass
class Block:
    """One piece of a section's body.

    ``kind``: "subheading" (bold, "1. Kết quả chung"), "paragraph", "bullet", "text" (free
    text typed by a person: one paragraph per line, numbered lines become subheadings,
    lines starting with a dash stay bullets), or "table" (``rows[0]`` is the header row,
    ``widths_mm`` the column widths, ``numeric`` the columns aligned right, ``centred`` the
    columns centred).
    """

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    widths_mm: list[float] = field(default_factory=list)
    numeric: tuple[int, ...] = ()
    centred: tuple[int, ...] = ()
    bold_last_row: bool = False


@dataclass
class ReportSection:
    heading: str  # without its Roman numeral: "KẾT QUẢ THỰC HIỆN"
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ResultsReport:
    family: str = "party"
    number: str | None = None  # "05-BC/ĐU"
    superior: str = ""
    issuer: str = ""
    place: str = ""
    date: date | None = None
    subject: str = ""  # "kết quả thực hiện Kế hoạch số 12-KH/ĐU …", without the type word
    opening: list[str] = field(default_factory=list)  # "Thực hiện Kế hoạch số …"
    sections: list[ReportSection] = field(default_factory=list)
    closing: str = ""
    recipients: list[Recipient] = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)


TABLE_FONT_DELTA = 1.0  # figure tables print 1 pt smaller than the body (13 pt in the Party)


class _ReportWriter(_Writer):
    def __init__(self, report: ResultsReport, profile: FormatProfile) -> None:
        plan = ParsedPlan(
            kind="BC",
            family=report.family,
            number=report.number,
            superior=report.superior,
            issuer=report.issuer,
            place=report.place,
            date=report.date,
            title=report.subject,
            closing=report.closing,
            recipients=list(report.recipients),
            signature=report.signature,
        )
        super().__init__(plan, profile, end_mark=None)
        self.report = report

    def render(self) -> bytes:
        from kehoach.documents.writer.text import roman

        self.setup()
        self.header()
        self.title()
        for text in self.report.opening:
            self.body_paragraph(text)
        for number, section in enumerate(self.report.sections, 1):
            heading = f"{roman(number)}. {section.heading}"
            if section.blocks:
                self.heading(heading)
            else:
                # Nothing under it: not kept with the next heading, or a chain of empty
                # sections would drag each other onto the next page.
                self.body_paragraph(heading, bold=self.profile.section_heading_bold)
            for block in section.blocks:
                self.block(block)
        self.closing()
        self.recipients_and_signature()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def block(self, block: Block) -> None:
        if block.kind == "subheading":
            self.subheading(block.text)
        elif block.kind == "paragraph":
            self.body_paragraph(block.text)
        elif block.kind == "bullet":
            self.body_paragraph(bullet(block.text, self.profile))
        elif block.kind == "text":
            self.free_paragraphs(block.text.splitlines())
        elif block.kind == "table":
            self.figure_table(block)
        else:  # pragma: no cover - a programming error
            raise ValueError(block.kind)

    def figure_table(self, block: Block) -> None:
        pr = self.profile
        widths = block.widths_mm or [pr.text_width_mm / len(block.rows[0])] * len(block.rows[0])
        table = self.table(widths, rows=len(block.rows))
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        for edge in borders:
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        size = pr.body_size - TABLE_FONT_DELTA
        last = len(block.rows) - 1
        for r, (row, values) in enumerate(zip(table.rows, block.rows, strict=True)):
            header = r == 0
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if header:  # repeated on every page the table runs onto
                tr_pr.append(OxmlElement("w:tblHeader"))
            for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                if header or c in block.centred:
                    align = "center"
                else:
                    align = "right" if c in block.numeric else "left"
                p = self.paragraph(
                    Filler(cell),
                    value,
                    size=size,
                    bold=header or (block.bold_last_row and r == last),
                    align=align,
                    before=2,
                    after=2,
                )
                p.paragraph_format.keep_with_next = None
        # A little air between the table and the next paragraph.
        spacer = self.paragraph(self.body, line=None)
        spacer.paragraph_format.space_after = Pt(0)


def render_report(report: ResultsReport, profile: FormatProfile | None = None) -> bytes:
    """The results report as an official .docx (``profile`` defaults to its family's)."""
    return _ReportWriter(report, profile or profile_for(report.family)).render()
