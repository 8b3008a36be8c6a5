"""The words of an official document: dates, numbers, headings, recipients, signature.

Pure functions from a ParsedPlan and a FormatProfile to strings; no python-docx here.
"""

from __future__ import annotations

import re
from datetime import date

from kehoach.core.text import fold
from kehoach.documents.numbering import normalise_number
from kehoach.documents.profiles import FormatProfile
from kehoach.plans.importer.result import ParsedPlan, Section

TYPE_WORDS = {
    "NQ": "NGHỊ QUYẾT",
    "QĐ": "QUYẾT ĐỊNH",
    "QĐi": "QUY ĐỊNH",
    "CT": "CHỈ THỊ",
    "KL": "KẾT LUẬN",
    "QC": "QUY CHẾ",
    "HD": "HƯỚNG DẪN",
    "TB": "THÔNG BÁO",
    "BC": "BÁO CÁO",
    "KH": "KẾ HOẠCH",
    "CTr": "CHƯƠNG TRÌNH",
    "ĐA": "ĐỀ ÁN",
    "PA": "PHƯƠNG ÁN",
    "TTr": "TỜ TRÌNH",
    "BB": "BIÊN BẢN",
    "CĐ": "CÔNG ĐIỆN",
}

# Default headings for plan data that no section of the plan places.
DEFAULT_HEADINGS = {
    "purposes_requirements": "MỤC ĐÍCH, YÊU CẦU",
    "content": "NỘI DUNG TUYÊN TRUYỀN",
    "forms": "HÌNH THỨC TUYÊN TRUYỀN",
    "organisation": "TỔ CHỨC THỰC HIỆN",
}
FORMS_SUBHEADING = "Hình thức tuyên truyền"

_AUTHORITY = re.compile(r"^(T/M|TM\.?|K/T|KT\.?|T/L|TL\.?|TUQ\.?)\s+(\S.*)$")
_AUTHORITY_KIND = {"TM": "on_behalf", "KT": "deputy", "TL": "by_order", "TUQ": "authorised"}
NUMBERED_LINE = re.compile(r"^(\d+(\.\d+)*\.|[a-zđ]\)|[IVXLC]+\.)\s")
_BULLETS = ("- ", "+ ", "– ", "* ")
_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def format_date(place: str, day: date | None, profile: FormatProfile) -> str:
    """``Lê Chân, ngày 20 tháng 5 năm 2026`` (Party) / ``…, ngày 03 tháng 02 năm 2026`` (state)."""
    if day is None:
        gap = profile.date_blank
        text = f"ngày{gap}tháng{gap}năm{gap}"
    else:
        d = f"{day.day:02d}" if profile.date_zero_pad_days else str(day.day)
        m = f"{day.month:02d}" if day.month in profile.date_zero_pad_months else str(day.month)
        text = f"ngày {d} tháng {m} năm {day.year}"
    return f"{place}, {text}" if place else text


def format_number_line(number: str | None, profile: FormatProfile) -> str:
    """``Số 12-KH/ĐU`` / ``Số: 05/KH-UBND``; a blank number leaves room to write it in."""
    number = (number or "").strip()
    if not number:
        body = profile.number_blank
    elif number[0] in "/-":
        body = profile.number_blank + number
    else:
        body = normalise_number(number, profile)
    return f"{profile.number_label} {body}"


def authority_line(text: str, profile: FormatProfile) -> str:
    """Rewrite ``TM.``/``T/M``, ``KT.``/``K/T``… into the profile's family's form."""
    text = text.strip()
    match = _AUTHORITY.match(text)
    if not match:
        return text
    kind = _AUTHORITY_KIND[match.group(1).replace("/", "").rstrip(".")]
    return f"{getattr(profile, 'authority_' + kind)} {match.group(2)}"


def recipient_lines(plan: ParsedPlan, profile: FormatProfile) -> list[str]:
    """``- name “note”,`` lines; the archive item last (added when missing), ending with ``.``."""
    items: list[str] = []
    archive = None
    for recipient in plan.recipients:
        name = recipient.name.strip().rstrip(",;.").strip()
        if fold(name).startswith("luu") and fold(name)[3:4] in ("", " ", ":"):
            rest = name[3:].lstrip(" :")
            archive = profile.archive_prefix + (profile.archive_separator + rest if rest else "")
            continue
        if recipient.note:
            name = f"{name} {profile.recipients_note_format.format(note=recipient.note)}"
        items.append(name)
    if archive is None:
        archive = f"{profile.archive_prefix}{profile.archive_separator}{profile.archive_default}"
    items.append(archive)
    terminators = [profile.recipients_item_terminator] * (len(items) - 1)
    terminators.append(profile.recipients_last_terminator)
    return [f"{profile.bullet}{item}{end}" for item, end in zip(items, terminators, strict=True)]


def bullet(text: str, profile: FormatProfile) -> str:
    text = text.strip()
    return text if text.startswith(_BULLETS) else f"{profile.bullet}{text}"


def effective_sections(plan: ParsedPlan) -> list[Section]:
    """The plan's sections, plus sections for data that none of them places."""
    sections = list(plan.sections)
    roles = {section.role for section in sections}

    def insert(role: str, after: tuple[str, ...]) -> None:
        position = 0
        for index, section in enumerate(sections):
            if section.role in after:
                position = index + 1
        sections.insert(position, Section(DEFAULT_HEADINGS[role], role))
        roles.add(role)

    if (plan.purposes or plan.requirements) and "purposes_requirements" not in roles:
        insert("purposes_requirements", ())
    if plan.topics and "content" not in roles:
        insert("content", ("purposes_requirements",))
    if plan.channels and "forms" not in roles and not merged_forms_section(sections):
        insert("forms", ("purposes_requirements", "content"))
    placed = {fold(section.heading) for section in sections}
    for heading in plan.other_sections:
        if fold(heading) not in placed:
            position = next(
                (i for i, s in enumerate(sections) if s.role == "organisation"), len(sections)
            )
            sections.insert(position, Section(heading, "other"))
    if plan.assignments and "organisation" not in roles:
        sections.append(Section(DEFAULT_HEADINGS["organisation"], "organisation"))
    return sections


def merged_forms_section(sections: list[Section]) -> Section | None:
    """A content section whose heading also names the forms (``NỘI DUNG, HÌNH THỨC``)."""
    for section in sections:
        if section.role == "content" and "hinh thuc" in fold(section.heading):
            return section
    return None
