"""Text clean-up before parsing: pure Python, no Django.

NFC; markdown, table pipes and rules stripped; footnote marks collected; page numbers
dropped; hard-wrapped lines and page breaks inside sentences reflowed into paragraphs;
old TCVN3 (ABC) mojibake detected and converted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .result import Notice, gettext_noop

try:  # plain Python, importable without Django settings
    from kehoach.core.text import fold
except ImportError:  # pragma: no cover - the importer used on its own
    _SPACES = re.compile(r"\s+")

    def fold(text: str) -> str:
        if not text:
            return ""
        text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        return _SPACES.sub(" ", text).strip().casefold()


__all__ = [
    "Normalized",
    "fold",
    "fold_same",
    "is_caps",
    "normalize",
    "starts_with_marker",
    "tcvn3_to_unicode",
]


class _FoldTable(dict):
    """str.translate table filled on demand: each character to one folded character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[:1].lower()
            folded = base if len(base) == 1 else ch
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_same(text: str) -> str:
    """Lower case without accents, đ→d, one character for one: indices stay valid."""
    return text.translate(_FOLD_TABLE)


# --- TCVN3 (ABC) ---------------------------------------------------------------------------
# The 8-bit TCVN3 codes as they appear once the text went through Latin-1 (.VnTime fonts).
_TCVN3_FROM = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦"
_TCVN3_TO = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
_TCVN3_TABLE = str.maketrans(_TCVN3_FROM, _TCVN3_TO)
# Characters that TCVN3 mojibake shows and Unicode Vietnamese never uses.
_TCVN3_TELLTALE = frozenset("µ¸¶·¹¨»¾¼½Æ©ÇË®ÎÏÑªÖ×ØÜÞß«åæç¬ëîïñ\xad÷øöûüþ¡¢§£¤¥¦")
_TELLTALE_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_TELLTALE))) + "]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_TYPOGRAPHY = frozenset("“”‘’–—…•€™")
_LOWER_RESULTS = frozenset(_TCVN3_TO[:-7])


def tcvn3_score(text: str) -> float:
    """Share of letters that are TCVN3 tell-tales (0 for clean Unicode text)."""
    telltales = len(_TELLTALE_RE.findall(text))
    if not telltales:
        return 0.0
    letters = len(_LETTER_RE.findall(text)) + text.count("\xad")
    return telltales / letters if letters else 0.0


def _line_is_tcvn3(line: str) -> bool:
    return any(ch in _TCVN3_TELLTALE for ch in line) and all(
        ord(ch) < 0x100 or ch in _TYPOGRAPHY for ch in line
    )


def _convert_line(line: str) -> str:
    converted = line.translate(_TCVN3_TABLE)
    # .VnTimeH (capitals font) shares the lower-case codes: restore capitals.
    ascii_letters = [ch for ch in line if ch.isascii() and ch.isalpha()]
    if ascii_letters and all(ch.isupper() for ch in ascii_letters):
        for word_in, word_out in zip(line.split(), converted.split(), strict=False):
            upper_ascii = sum(1 for ch in word_in if ch.isascii() and ch.isupper())
            if upper_ascii >= 2 and any(ch in _LOWER_RESULTS for ch in word_out):
                return converted.upper()
    return converted


def tcvn3_to_unicode(text: str) -> str:
    """Converts every line that is wholly TCVN3 mojibake; other lines are left alone."""
    return "\n".join(
        _convert_line(line) if _line_is_tcvn3(line) else line for line in text.split("\n")
    )


# --- line clean-up -------------------------------------------------------------------------
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"), None)
_SPACE_LIKE = {ord(ch): " " for ch in "\t\xa0\u2002\u2003\u2007\u2009\u202f\u3000\v"}
_RULE = re.compile(r"^\s*(?:[-_*=~─━—–.]\s*){3,}$|^[\s|:+\-=]*-{3,}[\s|:+\-=]*$")
_LONE_STAR = re.compile(r"^\s*[*#]+\s*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?\s*$|^\s*(?:Trang|Page)\s+\d{1,3}(?:\s*/\s*\d{1,3})?\s*$"
    r"|^\s*\d{1,3}\s*/\s*\d{1,3}\s*$",
    re.IGNORECASE,
)
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_QUOTE = re.compile(r"^\s*>\s?")
_BULLET = re.compile(
    r"^\s*(?:[•●○▪■◦·∙➢➤►✓❖\uf0b7\uf0a7\uf0d8\uf076\uf0fc]|[*–—](?=\s)|-(?=\S))\s*"
)
_STRONG = re.compile(r"\*\*|__")
_EMPHASIS = re.compile(r"(?<![\w*])[*_](?=\S)([^*_\n]*?\S)[*_](?![\w*])")
_FOOTNOTE_DEF = re.compile(r"^\s*\[\^?(\d{1,3})\]:?\s+(\S.*)$")
_FOOTNOTE_MARK = re.compile(r"(?<=\S)\[\^?\d{1,3}\]|(?<=[^\W\d])[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ ]{2,}")
_PAGE_BREAK = "\f"  # where a page number stood: a break that may fall inside a sentence


def _clean_lines(text: str, footnotes: list[str]) -> list[str]:
    out: list[str] = []
    for raw in _HTML_BREAK.sub("\n", text).split("\n"):
        line = raw.translate(_SPACE_LIKE).strip()
        if _PAGE_NUMBER.match(line):
            out.append(_PAGE_BREAK)
            continue
        if not line or _RULE.match(line) or _LONE_STAR.match(line):
            out.append("")
            continue
        if line.startswith("|") or line.endswith("|") and line.count("|") >= 2:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            out.extend(_clean_cell(cell, footnotes) for cell in cells if cell.strip(" :-"))
            continue
        out.append(_clean_cell(line, footnotes))
    return out


def _clean_cell(line: str, footnotes: list[str]) -> str:
    line = _QUOTE.sub("", _MD_HEADING.sub("", line))
    line = _BULLET.sub("- ", line)
    line = _STRONG.sub("", line)
    line = _EMPHASIS.sub(r"\1", line)
    line = _FOOTNOTE_MARK.sub("", line)
    return _SPACES.sub(" ", line).strip()


# --- reflow --------------------------------------------------------------------------------
_MARKER = re.compile(
    r"^(?:[IVXLC]{1,6}\s*(?:[.):/]|[-–](?=\s|[^\W\d_]))"
    r"|\d{1,2}(?:\.\d{1,2}){0,3}\s*(?:\.(?!\d)|\)|[-–]\s)(?=\s*\S)"
    r"|\d{1,2}(?:\.\d{1,2}){1,3}\s"
    r"|[a-zđ]\s*[).]\s|\(\s*(?:\d{1,2}|[a-zđ])\s*\)|[-+]\s|\[\^?\d{1,3}\])"
)
_STARTERS = (
    "can cu",
    "thuc hien",
    "noi nhan",
    "tren day",
    "t/m",
    "tm.",
    "tm ",
    "kt.",
    "kt ",
    "k/t",
    "tl.",
    "t/l",
    "tuq",
    "luu",
    "phu luc",
    "so ",
    "so:",
    "kinh gui",
    "dong chi",
    "de nghi",
    "giao ",
)
_SENTENCE_END = (".", "!", "?", ":", "./.")


def starts_with_marker(line: str) -> bool:
    return bool(_MARKER.match(line))


def is_caps(line: str) -> bool:
    """True for a line written in capitals (headings, type word, header bodies)."""
    letters = upper = 0
    limit = 0.15 * len(line) + 1  # more lower-case letters than this: not capitals
    for ch in line:
        if ch.isalpha():
            letters += 1
            if ch.isupper():
                upper += 1
            elif letters - upper > limit:
                return False
    return letters >= 2 and upper >= 0.85 * letters


def _first_letter(line: str) -> str:
    for ch in line:
        if ch.isalpha():
            return ch
        if ch.isdigit():
            return ""
    return ""


def _joins(prev: str, line: str, across_blank: bool, width: int | None) -> bool:
    """Whether `line` continues the paragraph `prev`. `width` is the width hard-wrapped text
    was broken at (None when the text has one paragraph per line): a line was broken by the
    wrapping when the next word would not have fitted on it."""
    if is_caps(prev) or is_caps(line) or starts_with_marker(line):
        return False
    head = line.lstrip("“\"'‘(")
    lower_start = bool(head) and head[0].isalpha() and head[0].islower()
    wrapped = bool(width) and len(prev) + 1 + len(line.split()[0]) >= 0.85 * (width or 0)
    if prev.endswith(_SENTENCE_END):
        # A sentence that ends exactly at the wrap width, inside a wrapped paragraph.
        return (
            wrapped
            and not across_blank
            and prev.endswith(".")
            and not prev.endswith("./.")
            and not lower_start
            and _not_starter(line)
        )
    if lower_start:
        return True
    if not wrapped or across_blank or prev.endswith(";"):
        return False
    return _not_starter(line)


def _not_starter(line: str) -> bool:
    return not fold(line[:12]).startswith(_STARTERS)


_LONG_LINE = 45


def _wrap_width(lines: list[str]) -> int | None:
    """The width hard-wrapped text was broken at, or None for one paragraph per line.

    Wrapped text shows many lines close to the longest that stop in mid-sentence."""
    lengths = sorted(len(line) for line in lines if len(line) > 1)
    if len(lengths) < 8:
        return None
    longest = lengths[int(0.95 * (len(lengths) - 1))]
    if longest > 140:
        return None
    width = max(_LONG_LINE, int(0.8 * longest))
    broken = sum(
        1 for line in lines if len(line) >= width and not line.endswith((".", ";", ":", "!", "?"))
    )
    return longest if broken >= max(3, 0.05 * len(lengths)) else None


def reflow(lines: list[str]) -> list[str]:
    """Joins lines broken inside a sentence; "" marks one blank line between paragraphs."""
    wrap = _wrap_width([line for line in lines if line != _PAGE_BREAK])
    out: list[str] = []
    blank = False
    page_break = False
    for line in lines:
        if line == _PAGE_BREAK:
            page_break, blank = True, False
            continue
        if not line:
            blank = bool(out) and not page_break
            continue
        page_break = False
        if out and _joins(out[-1], line, blank, wrap):
            out[-1] = f"{out[-1]} {line}"
        else:
            if blank:
                out.append("")
            out.append(line)
        blank = False
    return out


@dataclass
class Normalized:
    lines: list[str]  # paragraphs; "" stands for a blank line between two paragraphs
    footnotes: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def normalize(text: str) -> Normalized:
    """Cleans `text` into paragraphs ready for parsing."""
    notices: list[Notice] = []
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    if tcvn3_score(text) > 0.01:
        converted = tcvn3_to_unicode(text)
        if tcvn3_score(converted) < 0.002:
            notices.append(
                Notice(
                    "tcvn3_encoding",
                    gettext_noop(
                        "The text was typed in the old TCVN3 (ABC) encoding and has been "
                        "converted to Unicode: check the accents."
                    ),
                )
            )
        else:
            notices.append(
                Notice(
                    "tcvn3_encoding",
                    gettext_noop(
                        "Part of the text is in the old TCVN3 (ABC) encoding and could not be "
                        "converted reliably: convert the file to Unicode and import it again."
                    ),
                )
            )
        text = converted
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    footnotes: list[str] = []
    lines: list[str] = []
    for line in reflow(_clean_lines(text, footnotes)):
        definition = _FOOTNOTE_DEF.match(line)
        if definition:
            footnotes.append(definition.group(2).strip())
        elif line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return Normalized(lines=lines, footnotes=footnotes, notices=notices)
