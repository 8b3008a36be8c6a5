"""ParsedPlan → .docx: the document, block by block, in python-docx."""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from kehoach.core.text import fold
from kehoach.documents.profiles import FormatProfile, profile_for
from kehoach.documents.writer.ooxml import (
    ALIGN,
    CELL_MARGIN_MM,
    PPR_AFTER_PBDR,
    RULE_HEIGHT_PT,
    Filler,
    bottom_border_element,
    mark_format,
    set_run_fonts,
)
from kehoach.documents.writer.text import (
    FORMS_SUBHEADING,
    NUMBERED_LINE,
    TYPE_WORDS,
    authority_line,
    bullet,
    effective_sections,
    format_date,
    format_number_line,
    merged_forms_section,
    recipient_lines,
    roman,
)
from kehoach.plans.importer.result import ParsedPlan, Section


class _Writer:
    def __init__(self, plan: ParsedPlan, profile: FormatProfile, end_mark: bool | None) -> None:
        self.plan, self.profile, self.end_mark = plan, profile, end_mark
        self.doc = Document()
        self.body = Filler(self.doc)

    # Low-level pieces.

    def run(
        self,
        paragraph: Paragraph,
        text: str,
        size: float,
        *,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
    ) -> Run:
        run = paragraph.add_run(text)
        run.font.name = self.profile.font_name
        set_run_fonts(run._r.get_or_add_rPr(), self.profile.font_name)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.italic = italic
        run.font.underline = underline
        return run

    def paragraph(
        self,
        filler: Filler,
        text: str = "",
        *,
        size: float | None = None,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: str = "left",
        indent: bool = False,
        before: float = 0.0,
        after: float = 0.0,
        line: float | None = 1.0,
        keep_next: bool = False,
    ) -> Paragraph:
        p = filler.next()
        fmt = p.paragraph_format
        fmt.alignment = ALIGN[align]
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        if line is not None:
            fmt.line_spacing = line
        fmt.first_line_indent = Mm(self.profile.first_line_indent_mm) if indent else Mm(0)
        fmt.keep_with_next = keep_next or None
        size = self.profile.body_size if size is None else size
        mark_format(p, self.profile.font_name, size)
        if text:
            self.run(p, text, size, bold=bold, italic=italic, underline=underline)
        return p

    def body_paragraph(
        self, text: str, *, bold: bool = False, italic: bool = False, keep_next: bool = False
    ) -> Paragraph:
        pr = self.profile
        return self.paragraph(
            self.body,
            text,
            size=pr.body_size,
            bold=bold,
            italic=italic,
            align=pr.body_alignment,
            indent=True,
            before=pr.paragraph_space_before_pt,
            after=pr.paragraph_space_after_pt,
            line=pr.line_spacing,
            keep_next=keep_next,
        )

    def rule(self, filler: Filler, length_mm: float, column_mm: float) -> Paragraph:
        """An empty, low paragraph whose bottom border is a centred rule."""
        p = self.paragraph(filler, align="center", line=None)
        side = max(0.0, (column_mm - 2 * CELL_MARGIN_MM - length_mm) / 2)
        fmt = p.paragraph_format
        fmt.left_indent = Mm(side)
        fmt.right_indent = Mm(side)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(RULE_HEIGHT_PT)
        ppr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        borders.append(bottom_border_element("bottom", self.profile.rule_weight_pt))
        ppr.insert_element_before(borders, *PPR_AFTER_PBDR)
        return p

    def table(self, widths_mm: Iterable[float], rows: int = 1) -> Table:
        widths = list(widths_mm)
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.autofit = False
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl_pr = table._tbl.tblPr
        for child in list(tbl_pr):
            if child.tag in (qn("w:tblW"), qn("w:tblLook"), qn("w:tblBorders"), qn("w:tblCellMar")):
                tbl_pr.remove(child)
        width = OxmlElement("w:tblW")
        width.set(qn("w:w"), str(round(sum(widths) * 1440 / 25.4)))
        width.set(qn("w:type"), "dxa")
        tbl_pr.insert_element_before(width, "w:jc", "w:tblLayout", "w:tblLook")
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:val"), "nil")
            borders.append(element)
        tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar")
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:w"), str(round(CELL_MARGIN_MM * 1440 / 25.4)))
            element.set(qn("w:type"), "dxa")
            margins.append(element)
        tbl_pr.append(margins)
        for column, grid in zip(table.columns, table._tbl.tblGrid.gridCol_lst, strict=True):
            grid.w = Mm(widths[column._index])
            for cell in column.cells:
                cell.width = Mm(widths[column._index])
        return table

    # The document.

    def render(self) -> bytes:
        self.setup()
        self.header()
        self.title()
        for text in self.plan.basis:
            self.body_paragraph(text)
        for number, section in enumerate(effective_sections(self.plan), 1):
            self.section(number, section)
        self.closing()
        self.recipients_and_signature()
        self.footnotes_and_annexes()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def setup(self) -> None:
        pr = self.profile
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(pr.page_width_mm)
        section.page_height = Mm(pr.page_height_mm)
        section.top_margin = Mm(pr.margin_top_mm)
        section.bottom_margin = Mm(pr.margin_bottom_mm)
        section.left_margin = Mm(pr.margin_left_mm)
        section.right_margin = Mm(pr.margin_right_mm)
        section.header_distance = Mm(pr.header_distance_mm)
        section.footer_distance = Mm(pr.footer_distance_mm)
        section.gutter = Mm(0)

        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        set_run_fonts(rpr, pr.font_name)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), pr.language)
        normal = styles["Normal"]
        normal.font.name = pr.font_name
        normal.font.size = Pt(pr.body_size)
        set_run_fonts(normal.element.get_or_add_rPr(), pr.font_name)

        properties = self.doc.core_properties
        # The .docx format caps these properties at 255 characters; a long title stays
        # whole in the document itself.
        title = self.type_word() + (f" {self.plan.title}" if self.plan.title else "")
        properties.title = title[:255]
        properties.author = (self.plan.issuer or "")[:255]
        properties.language = pr.language

        if pr.page_numbers:
            section.different_first_page_header_footer = True
            first = section.first_page_header
            first.is_linked_to_previous = False
            self.paragraph(Filler(first), align="center", line=None)
            header = section.header
            header.is_linked_to_previous = False
            p = self.paragraph(Filler(header), align="center", line=None)
            self.page_field(p)

    def page_field(self, paragraph: Paragraph) -> None:
        size = self.profile.page_number_size
        for kind in ("begin", "instr", "separate", "text", "end"):
            run = self.run(paragraph, "2" if kind == "text" else "", size)
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = " PAGE "
                run._r.append(instr)
            elif kind != "text":
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)

    def type_word(self) -> str:
        return TYPE_WORDS.get(self.plan.kind, self.plan.kind.upper())

    def header(self) -> None:
        pr, plan = self.profile, self.plan
        left_mm, right_mm = pr.header_left_width_mm, pr.header_right_width_mm
        table = self.table((left_mm, right_mm), rows=2)
        left, right = Filler(table.cell(0, 0)), Filler(table.cell(0, 1))
        if plan.superior:
            self.paragraph(
                left, plan.superior, size=pr.superior_size, bold=pr.superior_bold, align="center"
            )
        self.paragraph(left, plan.issuer, size=pr.issuer_size, bold=pr.issuer_bold, align="center")
        if pr.issuer_mark:
            self.paragraph(left, pr.issuer_mark, size=pr.issuer_mark_size, align="center")
        if pr.issuer_rule_mm:
            self.rule(left, pr.issuer_rule_mm, left_mm)
        self.paragraph(
            right,
            pr.national_title,
            size=pr.national_title_size,
            bold=pr.national_title_bold,
            align="center",
        )
        if pr.national_motto:
            self.paragraph(
                right,
                pr.national_motto,
                size=pr.national_motto_size,
                bold=pr.national_motto_bold,
                align="center",
            )
        if pr.national_rule_mm:
            self.rule(right, pr.national_rule_mm, right_mm)
        self.paragraph(
            Filler(table.cell(1, 0)),
            format_number_line(plan.number, pr),
            size=pr.number_size,
            align="center",
            before=pr.header_row_gap_pt,
        )
        self.paragraph(
            Filler(table.cell(1, 1)),
            format_date(plan.place, plan.date, pr),
            size=pr.place_date_size,
            italic=pr.place_date_italic,
            align=pr.place_date_alignment,
            before=pr.header_row_gap_pt,
        )

    def title(self) -> None:
        pr = self.profile
        self.paragraph(
            self.body,
            self.type_word(),
            size=pr.type_word_size,
            bold=pr.type_word_bold,
            align="center",
            before=pr.type_word_space_before_pt,
            keep_next=True,
        )
        if self.plan.title:
            self.paragraph(
                self.body,
                self.plan.title,
                size=pr.subject_size,
                bold=pr.subject_bold,
                italic=pr.subject_italic,
                align="center",
                after=0 if pr.subject_rule_mm else pr.subject_space_after_pt,
                keep_next=True,
            )
        if pr.subject_rule_mm:
            p = self.rule(self.body, pr.subject_rule_mm, pr.text_width_mm + 2 * CELL_MARGIN_MM)
            p.paragraph_format.space_after = Pt(pr.subject_space_after_pt)

    def heading(self, text: str) -> None:
        self.body_paragraph(text, bold=self.profile.section_heading_bold, keep_next=True)

    def subheading(self, text: str) -> None:
        pr = self.profile
        self.body_paragraph(
            text, bold=pr.subsection_bold, italic=pr.subsection_italic, keep_next=True
        )

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.body_paragraph(bullet(item, self.profile))

    def free_paragraphs(self, paragraphs: Iterable[str]) -> None:
        for text in paragraphs:
            text = text.strip()
            if not text:
                continue
            if NUMBERED_LINE.match(text):
                self.subheading(text)
            else:
                self.body_paragraph(text)

    def section(self, number: int, section: Section) -> None:
        plan = self.plan
        self.heading(f"{roman(number)}. {section.heading}")
        if section.role == "purposes_requirements":
            self.purposes_requirements(section)
        elif section.role == "content":
            for index, topic in enumerate(plan.topics, 1):
                self.subheading(f"{index}. {topic.title}")
                self.bullets(topic.points)
            if plan.channels and merged_forms_section(plan.sections) is section:
                self.subheading(f"{len(plan.topics) + 1}. {FORMS_SUBHEADING}")
                self.channels()
        elif section.role == "forms":
            self.channels()
        elif section.role == "organisation":
            for index, assignment in enumerate(plan.assignments, 1):
                self.subheading(f"{index}. {assignment.unit}")
                self.bullets(duty.text for duty in assignment.duties)
        extra = plan.other_sections.get(section.heading)
        if extra is None:
            key = fold(section.heading)
            extra = next((v for k, v in plan.other_sections.items() if fold(k) == key), [])
        self.free_paragraphs(extra)

    def purposes_requirements(self, section: Section) -> None:
        plan = self.plan
        if plan.purposes and plan.requirements:
            parts = [part.strip() for part in section.heading.split(",")]
            if len(parts) != 2 or not all(parts):
                parts = ["MỤC ĐÍCH", "YÊU CẦU"]
            labels = [part[:1] + part[1:].lower() for part in parts]
            self.subheading(f"1. {labels[0]}")
            self.bullets(plan.purposes)
            self.subheading(f"2. {labels[1]}")
            self.bullets(plan.requirements)
        else:
            self.bullets(plan.purposes or plan.requirements)

    def channels(self) -> None:
        self.bullets(
            f"{channel.name}: {channel.details}" if channel.details else channel.name
            for channel in self.plan.channels
        )

    def closing(self) -> None:
        pr = self.profile
        text = self.plan.closing.strip()
        wants_mark = self.end_mark if self.end_mark is not None else pr.end_mark_always
        if text.endswith(pr.end_mark):
            wants_mark = False
        if wants_mark:
            # "… thực hiện./.": the end mark's own full stop ends the sentence.
            text = text.removesuffix(".") + pr.end_mark
        if text:
            # Keeps the last sentence with the signature: no page holds only the signature.
            self.body_paragraph(text, keep_next=True)

    def recipients_and_signature(self) -> None:
        pr, signature = self.profile, self.plan.signature
        table = self.table((pr.closing_left_width_mm, pr.closing_right_width_mm))
        row = table.rows[0]._tr.get_or_add_trPr()
        row.append(OxmlElement("w:cantSplit"))
        left, right = Filler(table.cell(0, 0)), Filler(table.cell(0, 1))

        p = self.paragraph(left, before=pr.closing_space_before_pt, keep_next=True)
        self.run(
            p,
            pr.recipients_label,
            pr.recipients_label_size,
            bold=pr.recipients_label_bold,
            italic=pr.recipients_label_italic,
            underline=pr.recipients_label_underline,
        )
        self.run(
            p,
            pr.recipients_label_colon,
            pr.recipients_label_size,
            bold=pr.recipients_label_bold,
            italic=pr.recipients_label_italic,
        )
        for line in recipient_lines(self.plan, pr):
            self.paragraph(left, line, size=pr.recipients_item_size, keep_next=True)

        lines = [
            (authority_line(signature.authority, pr), pr.signature_authority_bold),
            (authority_line(signature.deputy, pr), pr.signature_deputy_bold),
            (signature.title.strip(), pr.signature_title_bold),
        ]
        before = pr.closing_space_before_pt
        for text, bold in lines:
            if text:
                self.paragraph(
                    right,
                    text,
                    size=pr.signature_size,
                    bold=bold,
                    align="center",
                    before=before,
                    keep_next=True,
                )
                before = 0
        if signature.name.strip():
            self.paragraph(
                right,
                signature.name.strip(),
                size=pr.signature_size,
                bold=pr.signature_name_bold,
                align="center",
                before=pr.signature_space_mm * 72 / 25.4,
            )

    def footnotes_and_annexes(self) -> None:
        pr = self.profile
        for text in self.plan.footnotes:
            self.paragraph(
                self.body,
                text.strip(),
                size=pr.recipients_item_size,
                align="justify",
                before=0,
                after=0,
            )
        for annex in self.plan.annexes:
            p = self.paragraph(self.body, line=None)
            p.add_run().add_break(WD_BREAK.PAGE)
            self.free_paragraphs(annex.split("\n"))


def render_docx(
    plan: ParsedPlan, profile: FormatProfile | None = None, *, end_mark: bool | None = None
) -> bytes:
    """The plan as an official .docx.

    ``profile`` defaults to the built-in profile of ``plan.family``. ``end_mark`` forces the
    ``./.`` after the closing sentence on or off; by default the state profile always prints
    it and the Party profile only when the closing already has one.
    """
    return _Writer(plan, profile or profile_for(plan.family), end_mark).render()
