"""Reading a generated .docx back, the way an importer sees it: paragraph texts in order."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

ROMAN_HEADING = re.compile(r"^([IVXLC]+)\. (.+)$")
NUMBERED = re.compile(r"^(\d+)\. (.+)$")


def read(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def blocks(doc: DocxDocument) -> list[Paragraph | Table]:
    """Body paragraphs and tables in document order."""
    out: list[Paragraph | Table] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, doc))
        elif child.tag == qn("w:tbl"):
            out.append(Table(child, doc))
    return out


def lines(doc: DocxDocument) -> list[str]:
    """Every non-empty paragraph text, tables read row by row, cell by cell."""
    out = []
    for block in blocks(doc):
        paragraphs = (
            [p for row in block.rows for cell in row.cells for p in cell.paragraphs]
            if isinstance(block, Table)
            else [block]
        )
        out.extend(p.text for p in paragraphs if p.text.strip())
    return out


def column(table: Table, index: int) -> list[Paragraph]:
    return [p for row in table.rows for p in row.cells[index].paragraphs if p.text.strip()]


def column_texts(table: Table, index: int) -> list[str]:
    return [p.text for p in column(table, index)]


def body_paragraphs(doc: DocxDocument) -> list[Paragraph]:
    return [p for p in doc.paragraphs if p.text.strip()]


def all_runs(doc: DocxDocument):
    """Every run: body, table cells, headers of the first and the other pages."""
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for section in doc.sections:
        for header in (section.header, section.first_page_header):
            paragraphs.extend(header.paragraphs)
    for paragraph in paragraphs:
        yield from paragraph.runs


def has_bottom_rule(paragraph: Paragraph) -> bool:
    ppr = paragraph._p.pPr
    if ppr is None:
        return False
    borders = ppr.find(qn("w:pBdr"))
    return borders is not None and borders.find(qn("w:bottom")) is not None


@dataclass
class ReadSection:
    heading: str
    items: list[str] = field(default_factory=list)  # "- " bullets directly under the heading
    subsections: list[tuple[str, list[str]]] = field(default_factory=list)


def structure(texts: list[str]) -> list[ReadSection]:
    """Roman headings, numbered subsections and bullets, numbering and bullet marks removed."""
    sections: list[ReadSection] = []
    for text in texts:
        if match := ROMAN_HEADING.match(text):
            sections.append(ReadSection(match.group(2)))
        elif not sections:
            continue
        elif match := NUMBERED.match(text):
            sections[-1].subsections.append((match.group(2), []))
        elif text.startswith("- "):
            target = sections[-1].subsections[-1][1] if sections[-1].subsections else None
            (target if target is not None else sections[-1].items).append(text[2:])
        else:
            break  # the closing sentence ends the sections
    return sections
