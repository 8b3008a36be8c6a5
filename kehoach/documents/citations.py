"""Citations of other documents inside a text, and document numbers: pure Python, no Django.

Party numbers ``58-CT/TW``, state numbers ``27/CT-TTg`` and ``06/2022/TT-BTTTT``, laws
``85/2015/QH13``; spaces around the hyphen (``46 - CT/TW``), OCR ``TƯ`` for ``TU``, type words
shared by several numbers (``… số 20-CTr/TU ngày 24/4/2026, số 21-CTr/TU ngày 02/5/2026 của …``).
"""

from __future__ import annotations

import re

from kehoach.plans.importer.dates import ANY_DATE, date_of
from kehoach.plans.importer.result import Citation

__all__ = ["TYPE_WORDS", "compact_number", "find_citations", "parse_number"]

# Type codes seen in numbers, longest first so that "QĐi" wins over "QĐ".
_TYPES = sorted(
    [
        "NQ",
        "NQLT",
        "QĐi",
        "QĐ",
        "QyĐ",
        "QD",
        "CT",
        "KL",
        "QC",
        "HD",
        "HDLT",
        "TB",
        "BC",
        "KH",
        "CTr",
        "CTHĐ",
        "ĐA",
        "DA",
        "PA",
        "TTr",
        "CV",
        "BB",
        "CĐ",
        "TT",
        "TTLT",
        "NĐ",
        "ND",
        "HĐ",
        "GM",
        "GP",
        "KHPH",
        "QCPH",
        "TC",
        "TTg-KH",
    ],
    key=len,
    reverse=True,
)
_TYPE = "(?:" + "|".join(map(re.escape, _TYPES)) + ")"
_SP = r"[ \t]*"
_PARTY_ISSUER = r"[A-ZĐƯ][A-ZĐƯ0-9]*(?:-[A-ZĐƯ][A-ZĐƯ0-9]*)*"
_STATE_ISSUER = r"[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*"

_NUMBER = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"(?P<law>\d{{1,4}}{_SP}/{_SP}\d{{4}}{_SP}/{_SP}(?:UBTV)?QH\d{{1,2}})"
    rf"|(?P<state>\d{{1,5}}[a-z]?(?:{_SP}/{_SP}\d{{4}})?{_SP}/{_SP}(?P<stype>{_TYPE}){_SP}-{_SP}"
    rf"{_STATE_ISSUER})"
    rf"|(?P<party>\d{{1,5}}{_SP}-{_SP}(?P<ptype>{_TYPE}){_SP}/{_SP}{_PARTY_ISSUER})"
    rf"|(?P<plain>\d{{1,5}}/[A-ZĐ]{{2,}}(?:-[A-ZĐ][A-Za-zĐđ0-9]*)+)"
    rf")(?![\w-])"
)
# A document's own number, blanks allowed: "Số 12-KH/ĐU", "Số: 159/KH-UBND", "Số: /KH-UBND".
_OWN_NUMBER = re.compile(
    rf"(?:^|(?<=\W))Số\s*:?\s*(?P<n>"
    rf"(?:\d{{1,5}}|[.…_]+)?{_SP}(?:/{_SP}\d{{4}}{_SP})?/{_SP}{_TYPE}{_SP}-{_SP}{_STATE_ISSUER}"
    rf"|(?:\d{{1,5}}|[.…_]+)?{_SP}-{_SP}{_TYPE}{_SP}/{_SP}{_PARTY_ISSUER}"
    rf")(?![\w-])",
    re.IGNORECASE,
)

# Type words as written before "số", folded to their code.
TYPE_WORDS = {
    "chỉ thị": "CT",
    "nghị quyết": "NQ",
    "kết luận": "KL",
    "chương trình hành động": "CTr",
    "chương trình": "CTr",
    "công văn": "CV",
    "văn bản": "CV",
    "kế hoạch": "KH",
    "quyết định": "QĐ",
    "quy định": "QĐi",
    "hướng dẫn": "HD",
    "thông báo": "TB",
    "báo cáo": "BC",
    "đề án": "ĐA",
    "thông tư": "TT",
    "nghị định": "NĐ",
    "luật": "Luật",
    "bộ luật": "Luật",
    "quy chế": "QC",
    "tờ trình": "TTr",
    "công điện": "CĐ",
}
_TYPE_WORD = re.compile(
    r"("
    + "|".join(sorted(map(re.escape, TYPE_WORDS), key=len, reverse=True))
    + r")\b[^.;:\n]{0,40}$",
    re.IGNORECASE,
)
_LEAD = re.compile(r"[ \t]*,?[ \t]*(?:(?:được[ \t]+)?ban hành[ \t]+)?")
_DAY_WORD = re.compile(r"ngày\s+", re.IGNORECASE)
_SHARED = re.compile(r"^[\s,;]*(?:và[ \t]+|cùng[ \t]+)?(?:số[ \t]*)?$", re.IGNORECASE)
_ISSUER_LEAD = re.compile(r"[ \t]*,?[ \t]*(?P<of>của[ \t]+)?(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈÍÌÓÒÚÙÝỦỨỪ])")
_ISSUER_STOP = re.compile(
    r"\s+(?:về|thực hiện|đến|trong|nhằm|đối với|gắn với|để|cho|tại|theo|đã|được|với|là|từ|trên|"
    r"qua|ban hành|và\s+(?:các|những|Nghị|Chỉ|Kết|Chương|Kế|Quyết|Công|Thông|Hướng|Luật|Đề)|"
    r"số)\b|[,;:.()“”\"\n]|\s[-–]\s"
)
_SUBJECT_LEAD = re.compile(r"[ \t]*,?[ \t]*(?=về\s)")
_SUBJECT_STOP = re.compile(
    r"[;:\n(]|\.(?:\s|$)|,\s*(?=[A-ZĐÂĂÊÔƠƯ]|số\s|ngày\s)|\s+(?:và|,)\s+(?=[A-ZĐ]\w*\s+\w+\s+số\s)"
)


def compact_number(number: str) -> str:
    """A number without spaces, OCR ``TƯ`` read as ``TU`` in the issuer code."""
    number = re.sub(r"\s+", "", number)
    head, sep, issuer = number.rpartition("/")
    if sep and "-" not in issuer:  # Party: the issuer comes after the slash
        return f"{head}/{issuer.replace('TƯ', 'TU')}"
    return number.replace("TƯ", "TU")


def parse_number(text: str) -> str | None:
    """A document's own number: "Số 12-KH/ĐU" → "12-KH/ĐU"; "Số: /KH-UBND" → "/KH-UBND"."""
    match = _OWN_NUMBER.search(text or "")
    if match:
        number = re.sub(r"[.…_]", "", compact_number(match.group("n")))
        return number or None
    match = _NUMBER.search(text or "")
    return compact_number(match.group(0)) if match else None


def _type_of(match: re.Match, before: str) -> str:
    if match.group("law"):
        return "Luật"
    code = match.group("stype") or match.group("ptype")
    if code:
        return code
    word = _TYPE_WORD.search(before[-60:])
    return TYPE_WORDS.get(word.group(1).lower(), "") if word else ""


def _date_after(text: str, pos: int) -> tuple[int, object]:
    """(end, date) of a date written right after a number, or (pos, None)."""
    lead = _LEAD.match(text, pos)
    start = lead.end() if lead else pos
    found = ANY_DATE.match(text, start)
    if not found:
        day = _DAY_WORD.match(text, start)
        if day:
            found = ANY_DATE.match(text, day.end())
    if not found:
        return pos, None
    return found.end(), date_of(found.group(0))


def _issuer_after(text: str, pos: int, dated: bool) -> tuple[int, str]:
    lead = _ISSUER_LEAD.match(text, pos)
    if not lead or not (lead.group("of") or dated):
        return pos, ""
    start = lead.end()
    window = text[start : start + 160]
    stop = _ISSUER_STOP.search(window)
    issuer = window[: stop.start()] if stop else window
    words = issuer.split()
    if not words or len(words) > 14:
        return pos, ""
    return start + len(issuer), " ".join(words)


def _subject_after(text: str, pos: int) -> str:
    lead = _SUBJECT_LEAD.match(text, pos)
    if not lead:
        return ""
    window = text[lead.end() : lead.end() + 400]
    stop = _SUBJECT_STOP.search(window)
    subject = window[: stop.start()] if stop else window
    return " ".join(subject.split()).rstrip(" ,")


def find_citations(text: str, exclude: tuple[str, ...] = ()) -> list[Citation]:
    """Every document cited in `text`, once per number, in order of first mention."""
    text = text or ""
    matches = list(_NUMBER.finditer(text))
    found: dict[str, Citation] = {}
    excluded = {compact_number(n) for n in exclude if n}
    index = 0
    while index < len(matches):
        # A group of numbers sharing one type word: "… số 20-CTr/TU ngày …, số 21-CTr/TU …".
        group: list[tuple[re.Match, object]] = []
        end = matches[index].end()
        while index < len(matches):
            match = matches[index]
            if group and not _SHARED.match(text[end : match.start()]):
                break
            end, when = _date_after(text, match.end())
            group.append((match, when))
            index += 1
        last_dated = group[-1][1] is not None or end > group[-1][0].end()
        issuer_end, issuer = _issuer_after(text, end, last_dated)
        subject = _subject_after(text, issuer_end)
        for match, when in group:
            if match.group("plain") and not _TYPE_WORD.search(
                text[max(0, match.start() - 60) : match.start()]
            ):
                continue
            number = compact_number(match.group(0))
            if number in excluded:
                continue
            citation = Citation(
                number=number,
                type=_type_of(match, text[max(0, match.start() - 80) : match.start()]),
                issuer=issuer,
                date=when,
                title=subject,
            )
            known = found.get(number)
            if known is None:
                found[number] = citation
            else:
                known.issuer = known.issuer or citation.issuer
                known.date = known.date or citation.date
                known.title = known.title or citation.title
    return list(found.values())
