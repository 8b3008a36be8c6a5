"""Bytes → text for .txt, .docx, .pdf and Word's .htm/.html: pure Python, no Django.

The content decides how a file is read (zip magic, ``%PDF``, markup), not its name alone.
Every failure is a PlanReadError with a stable code: empty, too_large, unreadable, corrupt,
scanned_pdf, locked.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from html.parser import HTMLParser

from .normalize import tcvn3_score
from .result import PlanReadError, gettext_noop

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.xls
_HTML_SNIFF = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|meta|p|div|table)[\s>]", re.I)
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def _error(code: str, message: str, **params: object) -> PlanReadError:
    return PlanReadError(code, message, **params)


def _empty() -> PlanReadError:
    return _error("empty", gettext_noop("The document is empty: there is no text to read."))


def _unreadable() -> PlanReadError:
    return _error(
        "unreadable",
        gettext_noop(
            "This file cannot be read as a plan: upload a .docx, a .pdf with a text layer, "
            "a .txt or a Word .htm file."
        ),
    )


def _corrupt(kind: str) -> PlanReadError:
    return _error(
        "corrupt",
        gettext_noop("The %(kind)s file is damaged and cannot be opened."),
        kind=kind,
    )


def read_text(text: str) -> str:
    """Pasted text: line ends unified, byte-order mark dropped, NFC."""
    text = (text or "").replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_document(data: bytes, filename: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of an uploaded document, or PlanReadError."""
    data = data or b""
    if max_bytes and len(data) > max_bytes:
        raise _error(
            "too_large",
            gettext_noop("The file is %(size)s KB; the limit is %(limit)s KB."),
            size=(len(data) + 1023) // 1024,
            limit=max_bytes // 1024,
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _empty()
    name = (filename or "").lower()
    if data.startswith(_ZIP_MAGIC):
        text = _read_docx(data)
    elif data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        text = _read_pdf(data)
    elif data.startswith(_OLE_MAGIC):
        raise _unreadable()
    else:
        text = _decode(data)
        if text is None:
            if name.endswith((".docx", ".pdf")):
                raise _corrupt(name.rsplit(".", 1)[-1].upper())
            raise _unreadable()
        if name.endswith((".htm", ".html")) or _HTML_SNIFF.search(data[:4096]):
            text = html_to_text(text)
    text = read_text(text)
    if not text.strip():
        raise _empty()
    return text


# --- plain text ----------------------------------------------------------------------------
def _decode(data: bytes) -> str | None:
    """Decodes text bytes (UTF-8, UTF-16 with BOM, Windows-1258, TCVN3), or None if binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        declared = _CHARSET.search(data[:4096])
        text = None
        if declared:
            try:
                text = data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError, ValueError):
                text = None
        if text is None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = _decode_8bit(data)
    if text is None or _looks_binary(text):
        return None
    return text


def _decode_8bit(data: bytes) -> str | None:
    latin = data.decode("latin-1")
    if tcvn3_score(latin) > 0.02:
        return latin  # TCVN3: normalize() converts it and says so
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) > max(2, 0.01 * len(sample))


# --- HTML (Word "Web page") ----------------------------------------------------------------
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "ul",
        "ol",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "title",
        "pre",
        "hr",
        "dt",
        "dd",
    ]
)
_CELL_TAGS = frozenset({"td", "th"})
_SKIP_TAGS = frozenset({"script", "style", "head", "xml", "noscript", "template"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS or tag in _CELL_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS or tag in _CELL_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; anything else is garbage
        raise _unreadable() from None
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- .docx ---------------------------------------------------------------------------------
def _read_docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _corrupt("DOCX") from None
    if "word/document.xml" not in names:
        raise _unreadable()
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        reader = _DocxReader(document)
        reader.block(document.element.body)
    except PlanReadError:
        raise
    except Exception:  # noqa: BLE001 - python-docx/lxml raise many kinds on damaged files
        raise _corrupt("DOCX") from None
    return "\n".join(reader.lines)


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def _letter(number: int) -> str:
    return "abcdefghiklmnopqrstuvxy"[(number - 1) % 23]


class _DocxReader:
    """Paragraphs and tables in document order; Word's automatic numbering written out."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.lines: list[str] = []
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numbering: dict[str, object] = {}
        try:
            for style in document.part.styles.element.findall(qn("w:style")):
                num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
                if num is not None:
                    self.style_numbering[style.get(qn("w:styleId"))] = num
        except (KeyError, NotImplementedError, AttributeError):
            pass
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in numbering.findall(qn("w:abstractNum")):
            levels = {}
            for level in node.findall(qn("w:lvl")):
                fmt = level.find(qn("w:numFmt"))
                text = level.find(qn("w:lvlText"))
                start = level.find(qn("w:start"))
                levels[int(level.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val"), "") if fmt is not None else "",
                    text.get(qn("w:val"), "") if text is not None else "",
                    int(start.get(qn("w:val"), "1")) if start is not None else 1,
                )
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for node in numbering.findall(qn("w:num")):
            ref = node.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[node.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})

    def prefix(self, paragraph) -> str:
        qn = self.qn
        num = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num is None:
            style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            num = self.style_numbering.get(style.get(qn("w:val"))) if style is not None else None
        if num is None:
            return ""
        num_id = num.find(qn("w:numId"))
        level = num.find(qn("w:ilvl"))
        key = num_id.get(qn("w:val")) if num_id is not None else None
        depth = int(level.get(qn("w:val"), "0")) if level is not None else 0
        levels = self.levels.get(key or "")
        if not levels or depth not in levels:
            return ""
        fmt, text, start = levels[depth]
        if fmt in ("bullet", "none", ""):
            return "- " if fmt == "bullet" else ""
        counters = self.counters.setdefault(key, {})
        counters[depth] = counters.get(depth, start - 1) + 1
        for deeper in [d for d in counters if d > depth]:
            del counters[deeper]
        for index in range(depth + 1):
            value = counters.get(index, levels.get(index, ("", "", 1))[2])
            kind = levels.get(index, ("decimal", "", 1))[0]
            shown = {
                "upperRoman": _roman(value),
                "lowerRoman": _roman(value).lower(),
                "lowerLetter": _letter(value),
                "upperLetter": _letter(value).upper(),
            }.get(kind, str(value))
            text = text.replace(f"%{index + 1}", shown)
        return text.strip() + " "

    def paragraph(self, element) -> str:
        qn = self.qn
        parts: list[str] = []
        for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag == qn("w:tab"):
                parts.append(" ")
            else:
                parts.append("\n")
        text = "".join(parts)
        return self.prefix(element) + text if text.strip() else text

    def block(self, parent) -> None:
        qn = self.qn
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                self.lines.extend(self.paragraph(child).split("\n"))
            elif child.tag == qn("w:tbl"):
                self.table(child)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.block(content)

    def table(self, table) -> None:
        """Two-column layout tables (header, recipients | signature) are read column by
        column; data tables row by row, cells joined with " | "."""
        qn = self.qn
        rows = [row.findall(qn("w:tc")) for row in table.findall(qn("w:tr"))]
        if not rows:
            return
        width = max(len(cells) for cells in rows)
        if width <= 2 and len(rows) <= 6:
            for column in range(width):
                for cells in rows:
                    if column < len(cells):
                        self.block(cells[column])
                self.lines.append("")
            return
        for cells in rows:
            texts = []
            for cell in cells:
                inner = _DocxReader.__new__(_DocxReader)
                inner.__dict__.update(self.__dict__)
                inner.lines = []
                inner.block(cell)
                texts.append(" ".join(line.strip() for line in inner.lines if line.strip()))
            self.lines.append(" | ".join(texts))
        self.lines.append("")


# --- .pdf ----------------------------------------------------------------------------------
def _read_pdf(data: bytes) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001
                opened = 0
            if not opened:
                raise _error(
                    "locked",
                    gettext_noop(
                        "The PDF is protected by a password: save an unprotected copy and "
                        "upload that."
                    ),
                )
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanReadError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise _corrupt("PDF") from None
    text = "\n\n".join(pages)
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < 20 * max(1, len(pages)) // 2 and letters < 200:
        raise _error(
            "scanned_pdf",
            gettext_noop(
                "The PDF has no text layer (it looks scanned): upload the .docx or run OCR first."
            ),
        )
    return text
