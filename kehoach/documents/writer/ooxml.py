"""Low-level WordprocessingML that python-docx has no API for: fonts, rules, borders."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import _Header
from docx.table import _Cell
from docx.text.paragraph import Paragraph

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def set_run_fonts(rpr, name: str) -> None:
    """One font for Latin, East Asian and complex scripts, theme fonts removed.

    Without eastAsia/cs, Word and LibreOffice may pick the theme's font for some characters.
    """
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), name)


def mark_format(paragraph: Paragraph, font_name: str, size: float) -> None:
    """Font and size of the paragraph mark: they set the height of an empty paragraph."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    set_run_fonts(rpr, font_name)
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr.append(element)
        element.set(qn("w:val"), str(round(size * 2)))


def bottom_border_element(edge: str, weight_pt: float) -> OxmlElement:
    element = OxmlElement(f"w:{edge}")
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(max(2, round(weight_pt * 8))))
    element.set(qn("w:space"), "1")
    element.set(qn("w:color"), "000000")
    return element


class Filler:
    """Hands out new paragraphs of the body, a table cell or a page header."""

    def __init__(self, container: DocxDocument | _Cell | _Header) -> None:
        self.container = container
        # A cell or a header starts with one empty paragraph: use it first.
        self.fresh = not isinstance(container, DocxDocument)

    def next(self) -> Paragraph:
        if self.fresh and self.container.paragraphs:
            self.fresh = False
            return self.container.paragraphs[0]
        return self.container.add_paragraph()


CELL_MARGIN_MM = 1.0
RULE_HEIGHT_PT = 4.0  # the empty paragraph carrying a rule: keeps it clear of descenders
# Children of w:pPr that come after w:pBdr in the schema's order.
PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
