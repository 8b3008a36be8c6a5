"""Document numbers (số, ký hiệu): reading them and proposing the next one.

Party numbers read ``12-KH/ĐU`` (number-TYPE/ISSUER), state numbers ``159/KH-UBND``
(number/TYPE-ISSUER, sometimes with a year: ``06/2022/TT-BTTTT``). Party numbering restarts for
each term of the committee, state numbering each year: the caller passes the numbers of the
current series only. Pure functions, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kehoach.documents.profiles import FormatProfile, profile_for

_PARTY = re.compile(r"^\s*(\d+)\s*-\s*([^\s/]+)\s*/\s*(\S.*?)\s*$")
_STATE = re.compile(r"^\s*(\d+)\s*/\s*(?:(\d{4})\s*/\s*)?([^\s/-]+)\s*-\s*(\S.*?)\s*$")


@dataclass(frozen=True)
class DocumentNumber:
    serial: int
    kind: str  # "KH", "CTr", "QĐ"…
    issuer: str  # "ĐU", "UBND", "MTTQ-BTT"…
    family: str  # "party" or "state"
    year: int | None = None


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace(" ", "").casefold()


def parse_number(number: str) -> DocumentNumber | None:
    """Read ``12-KH/ĐU`` or ``159/KH-UBND``; None for a blank or unreadable number."""
    text = unicodedata.normalize("NFC", number or "")
    if match := _PARTY.match(text):
        serial, kind, issuer = match.groups()
        return DocumentNumber(int(serial), kind, issuer.replace(" ", ""), "party")
    if match := _STATE.match(text):
        serial, year, kind, issuer = match.groups()
        return DocumentNumber(
            int(serial), kind, issuer.replace(" ", ""), "state", int(year) if year else None
        )
    return None


def format_number(serial: int, kind: str, issuer_code: str, profile: FormatProfile) -> str:
    """``13-KH/ĐU`` or ``05/KH-UBND``, with the profile's minimum digits."""
    n = str(serial).zfill(profile.number_min_digits)
    return profile.number_pattern.format(n=n, kind=kind, issuer=issuer_code)


def normalise_number(number: str, profile: FormatProfile) -> str:
    """The number with the profile's leading zero.

    Numbers of the other family's shape (a Party plan printed with the state layout), with a
    year, or unreadable are kept as written: the shape belongs to the number, not the layout.
    """
    parsed = parse_number(number)
    if parsed is None or parsed.year is not None or parsed.family != profile.family:
        return number.strip()
    return format_number(parsed.serial, parsed.kind, parsed.issuer, profile)


def next_number(existing_numbers: list[str], kind: str, issuer_code: str, family: str) -> str:
    """The number to give the next document of type ``kind`` from ``issuer_code``.

    One more than the highest serial among the existing numbers of the same type and issuer
    (numbers of other types or issuers, blank and unreadable ones are ignored); 1 when there
    is none.
    """
    profile = profile_for(family)
    highest = 0
    for number in existing_numbers:
        parsed = parse_number(number)
        if parsed is None or _key(parsed.kind) != _key(kind):
            continue
        if issuer_code and _key(parsed.issuer) != _key(issuer_code):
            continue
        highest = max(highest, parsed.serial)
    return format_number(highest + 1, kind, issuer_code, profile)
