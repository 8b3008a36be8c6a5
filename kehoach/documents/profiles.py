"""Layout of official documents: every value the writer prints with, in one object.

Two families (see ../shared/FORMATS.md):

- ``PARTY``: Hướng dẫn 36-HD/VPTW (2018) on Party documents;
- ``STATE``: Nghị định 30/2020/NĐ-CP, Phụ lục I, on state administrative documents.

Some values could not be confirmed from the rules' own text (marked "unconfirmed" below), and
Quy định 399-QĐ/TW / Hướng dẫn 05-HD/VPTW (2026) may have replaced 36-HD/VPTW. So nothing about
layout lives in the writer: change a value with ``dataclasses.replace(PARTY, margin_top_mm=25)``
or ``profile_from_settings({"margin_top_mm": 25}, family="party")``.

Sizes are points, lengths millimetres. No Django imports here; ``profile_from_settings`` reads
Django settings only when asked to and when Django is configured.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import Any

FAMILIES = ("party", "state")


def gettext_noop(message: str) -> str:
    """Marks an English message for the Vietnamese catalogue without needing Django here."""
    return message


@dataclass(frozen=True)
class FormatProfile:
    family: str  # "party" or "state"

    # Page: A4 portrait.
    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    margin_top_mm: float = 20.0
    margin_bottom_mm: float = 20.0
    margin_left_mm: float = 30.0
    margin_right_mm: float = 15.0
    header_distance_mm: float = 10.0  # page numbers sit in the top margin
    footer_distance_mm: float = 10.0
    font_name: str = "Times New Roman"
    language: str = "vi-VN"
    rule_weight_pt: float = 0.75  # drawn rules under the national title, issuer and subject

    # Header: a borderless table, two columns.
    header_left_width_mm: float = 85.0
    header_right_width_mm: float = 80.0
    national_title: str = "ĐẢNG CỘNG SẢN VIỆT NAM"
    national_title_size: float = 15.0
    national_title_bold: bool = True
    national_motto: str = ""  # second national line; "" for none
    national_motto_size: float = 14.0
    national_motto_bold: bool = True
    # Solid rule under the last national line, as long as that line's text. The lengths below
    # are the text widths in Times New Roman (metric-compatible Liberation Serif) at the sizes
    # above; change them together with the text.
    national_rule_mm: float = 73.0
    superior_size: float = 14.0
    superior_bold: bool = False
    issuer_size: float = 14.0
    issuer_bold: bool = True
    issuer_mark: str = "*"  # the Party asterisk under the issuing body; "" for none
    issuer_mark_size: float = 14.0
    issuer_rule_mm: float = 0.0  # state: a short rule under the issuing body; 0 for none
    number_label: str = "Số"  # "Số" (Party, no colon) or "Số:" (state)
    number_size: float = 14.0
    number_pattern: str = "{n}-{kind}/{issuer}"  # how numbering.next_number writes a number
    number_min_digits: int = 2  # "01-KH/ĐU": Party numbering "restarts at 01" (FORMATS.md)
    number_blank: str = "      "  # the gap left for a number written by hand
    place_date_size: float = 14.0
    place_date_italic: bool = True
    # Unconfirmed: 36-HD puts place and date "on the right, under the title"; most Party
    # documents in use right-align it in the right-hand column.
    place_date_alignment: str = "right"  # "left", "center", "right"
    date_zero_pad_days: bool = False  # "ngày 5" (Party) or "ngày 05" (state, days 1–9)
    date_zero_pad_months: tuple[int, ...] = ()  # state: (1, 2) → "tháng 01", "tháng 02"
    date_blank: str = "     "  # gap left for a date written by hand: "ngày      tháng …"
    header_row_gap_pt: float = 6.0  # between the titles row and the number/date row

    # Type word and subject (trích yếu), centred.
    type_word_size: float = 16.0
    type_word_bold: bool = True
    type_word_space_before_pt: float = 18.0
    subject_size: float = 15.0
    subject_bold: bool = True
    subject_italic: bool = False
    subject_rule_mm: float = 0.0  # state: a short solid rule under the subject; 0 for none
    subject_space_after_pt: float = 12.0

    # Body.
    body_size: float = 14.0
    body_alignment: str = "justify"
    first_line_indent_mm: float = 10.0
    paragraph_space_before_pt: float = 0.0
    paragraph_space_after_pt: float = 6.0
    line_spacing: float = 1.15  # multiple of single spacing (the rules allow 1 to 1.5)
    section_heading_bold: bool = True  # "I. MỤC ĐÍCH, YÊU CẦU"
    subsection_bold: bool = True  # "1. Mục đích", a topic's title, an implementing unit
    subsection_italic: bool = False
    bullet: str = "- "
    end_mark: str = "./."
    end_mark_always: bool = False  # state: always; Party: only when the plan had one

    # Recipients (bottom left) and signature (bottom right): a borderless table.
    closing_left_width_mm: float = 90.0  # recipients' lines wrap less
    closing_right_width_mm: float = 75.0
    closing_space_before_pt: float = 12.0
    recipients_label: str = "Nơi nhận"
    recipients_label_colon: str = ":"  # printed after the label, never underlined
    recipients_label_size: float = 14.0
    recipients_label_bold: bool = False
    recipients_label_italic: bool = False
    recipients_label_underline: bool = True
    recipients_item_size: float = 12.0
    recipients_item_terminator: str = ","
    recipients_last_terminator: str = "."
    recipients_note_format: str = "“{note}”"  # after the name: "- Ban … TU “để báo cáo”,"
    archive_prefix: str = "Lưu"  # the last item: "Lưu VPĐU" (Party) or "Lưu: VT" (state)
    archive_separator: str = " "
    archive_default: str = "VPĐU"  # added when the plan lists no archive item
    signature_size: float = 14.0
    signature_authority_bold: bool = True  # "T/M BAN THƯỜNG VỤ"
    signature_deputy_bold: bool = True  # "K/T TRƯỞNG BAN"
    signature_title_bold: bool = True  # "PHÓ BÍ THƯ"
    signature_name_bold: bool = True
    signature_space_mm: float = 25.0  # room for the handwritten signature and the seal
    # Signature authority forms, by meaning: on behalf of a collective body, for the head,
    # by order, by authorisation. The writer rewrites the other family's form into these.
    authority_on_behalf: str = "T/M"
    authority_deputy: str = "K/T"
    authority_by_order: str = "T/L"
    authority_authorised: str = "TUQ."

    # Page numbers: centred in the top margin, from page 2.
    page_numbers: bool = True
    page_number_size: float = 14.0

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm


# Hướng dẫn 36-HD/VPTW. Unconfirmed: the margins (20/20/30/15 mm and 25/25/35/15 mm are both in
# use; the rule's own text was not available), the place/date alignment, the Party numbers'
# leading zero, and whether "Nơi nhận" is bold.
PARTY = FormatProfile(family="party")

# Nghị định 30/2020/NĐ-CP, Phụ lục I.
STATE = FormatProfile(
    family="state",
    header_left_width_mm=65.0,
    header_right_width_mm=100.0,
    national_title="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    national_title_size=13.0,
    national_motto="Độc lập - Tự do - Hạnh phúc",
    national_motto_size=14.0,
    national_rule_mm=61.0,
    superior_size=13.0,
    issuer_size=13.0,
    issuer_mark="",
    issuer_rule_mm=25.0,  # 1/3 to 1/2 of the issuer's line
    number_label="Số:",
    number_size=13.0,
    number_pattern="{n}/{kind}-{issuer}",
    number_min_digits=2,
    place_date_alignment="center",
    date_zero_pad_days=True,
    date_zero_pad_months=(1, 2),
    type_word_size=14.0,
    type_word_space_before_pt=12.0,
    subject_size=14.0,
    subject_rule_mm=30.0,
    first_line_indent_mm=12.7,
    end_mark_always=True,
    closing_left_width_mm=85.0,
    closing_right_width_mm=80.0,
    recipients_label_size=12.0,
    recipients_label_bold=True,
    recipients_label_italic=True,
    recipients_label_underline=False,
    recipients_item_size=11.0,  # Phụ lục I: the list of recipients is 11 pt
    recipients_item_terminator=";",
    recipients_note_format="({note})",
    archive_prefix="Lưu:",
    archive_default="VT",
    authority_on_behalf="TM.",
    authority_deputy="KT.",
    authority_by_order="TL.",
    authority_authorised="TUQ.",
    page_number_size=14.0,
)

_BY_FAMILY = {"party": PARTY, "state": STATE}
_FIELDS = {f.name: f for f in fields(FormatProfile)}


class ProfileError(ValueError):
    """An unknown family, an unknown layout key, or a value of the wrong kind."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.code, self.message, self.params = code, message, params


def profile_for(family: str) -> FormatProfile:
    """The built-in profile of a family: "party" or "state"."""
    try:
        return _BY_FAMILY[family]
    except KeyError:
        raise ProfileError(
            "unknown_family",
            gettext_noop("Unknown document family “%(family)s”: expected party or state."),
            family=family,
        ) from None


def _coerce(name: str, value: Any, current: Any) -> Any:
    if isinstance(current, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(current, int | float) and not isinstance(value, bool):
        if isinstance(value, int | float):
            return type(current)(value)
    elif isinstance(current, tuple):
        if isinstance(value, list | tuple):
            return tuple(value)
    elif isinstance(current, str) and isinstance(value, str):
        return value
    raise ProfileError(
        "bad_value",
        gettext_noop("Layout value “%(name)s” has the wrong kind: %(value)r."),
        name=name,
        value=value,
    )


def override(profile: FormatProfile, overrides: dict[str, Any]) -> FormatProfile:
    """A copy of ``profile`` with some values changed, checked by name and kind."""
    changes = {}
    for name, value in overrides.items():
        if name not in _FIELDS or name == "family":
            raise ProfileError(
                "unknown_key",
                gettext_noop("Unknown layout value “%(name)s”."),
                name=name,
            )
        changes[name] = _coerce(name, value, getattr(profile, name))
    return dataclasses.replace(profile, **changes)


def profile_from_settings(
    overrides: dict[str, Any] | None = None, family: str = "party"
) -> FormatProfile:
    """The profile of ``family`` with the overrides applied.

    ``overrides`` is either flat (``{"margin_top_mm": 25}``) or keyed by family
    (``{"party": {...}, "state": {...}}``). When it is None, Django's setting
    ``KEHOACH_DOCUMENT_FORMATS`` (same shape) is used if Django is configured.
    """
    if overrides is None:
        overrides = _django_setting()
    if any(key in FAMILIES for key in overrides):
        overrides = overrides.get(family) or {}
    return override(profile_for(family), overrides)


def _django_setting() -> dict[str, Any]:
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a dependency of the project
        return {}
    if not settings.configured:
        return {}
    return dict(getattr(settings, "KEHOACH_DOCUMENT_FORMATS", {}) or {})
