"""The header of a plan: superior body, issuing body, number, place and date.

The two-column header reaches us in many shapes: one cell per line (column by column or row
by row), the whole header on one line, table pipes, or not at all. The lines are therefore
classified by what they say, never by their position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kehoach.documents.citations import parse_number

from .dates import date_of
from .normalize import fold_same

_PARTY = re.compile(r"dang\s+cong\s+san\s+viet\s+nam")
_STATE = re.compile(r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam")
_MOTTO = re.compile(r"doc\s+lap\s*[-–—,]?\s*tu\s+do\s*[-–—,]?\s*hanh\s+phuc")
_NUMBER = re.compile(
    r"(?<![\w])so\s*:?\s*(?:\d{1,5}|[.…_]+)?[ \t]*(?:/[ \t]*\d{4}[ \t]*)?[-/][ \t]*[a-z]{1,5}"
    r"[ \t]*[-/][ \t]*[a-z0-9]+(?:-[a-z0-9]+)*"
)
_PLACE_DATE = re.compile(
    r",?\s*ngay\s*(?:\d{1,2}|[.…_]*)\s*thang\s*(?:\d{1,2}|[.…_]*)\s*nam\s*(?:\d{4}|[.…_]*)"
)
_BODY_START = (
    "dang bo",
    "dang uy",
    "ban ",
    "uy ban",
    "ubnd",
    "hoi dong",
    "hdnd",
    "mat tran",
    "mttq",
    "so ",
    "chi bo",
    "thanh uy",
    "tinh uy",
    "huyen uy",
    "quan uy",
    "thi uy",
    "doan ",
    "hoi ",
    "cong doan",
    "trung tam",
    "van phong",
    "bo ",
    "tong cuc",
    "cuc ",
    "vien ",
    "truong ",
    "cong an",
    "ban chi dao",
)
_PLACE_WORDS = ("phuong", "xa", "quan", "huyen", "thi", "thanh", "tinh", "tp", "tp.", "khu")
_STATE_BODIES = ("uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd", "so ", "bo ")


@dataclass
class Header:
    family: str = ""  # "party", "state" or "" when the header does not say
    number: str | None = None
    superior: str = ""
    issuer: str = ""
    place: str = ""
    date: date | None = None


def _complete(folded_words: list[str]) -> bool:
    """A body that already names its place ("… PHƯỜNG LÊ CHÂN", "THÀNH ỦY HẢI PHÒNG")."""
    for index, word in enumerate(folded_words[:-1]):
        if word in _PLACE_WORDS or (word == "uy" and index > 0):
            rest = folded_words[index + 1 :]
            if word in ("thi", "thanh") and rest and rest[0] in ("xa", "tran", "pho"):
                rest = rest[1:]
            if rest:
                return True
    return False


def _split_bodies(segment: str) -> list[str]:
    words = segment.split()
    folded = [fold_same(word) for word in words]
    bodies: list[list[int]] = [[]]
    for index in range(len(words)):
        tail = " ".join(folded[index : index + 3]) + " "
        current = bodies[-1]
        if current and tail.startswith(_BODY_START) and _complete([folded[i] for i in current]):
            bodies.append([])
        bodies[-1].append(index)
    return [" ".join(words[i] for i in body) for body in bodies if body]


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.85 * len(letters)


def _place_of(segment: str) -> str:
    segment = segment.strip(" ,*-–:\t")
    words = segment.split()
    if not words:
        return ""
    if not all(_is_caps(word) for word in words) and any(_is_caps(w) for w in words):
        run: list[str] = []
        for word in reversed(words):
            if _is_caps(word) and len([c for c in word if c.isalpha()]) > 1 and run:
                break
            run.insert(0, word)
        return " ".join(run)
    return segment


def parse_header(lines: list[str]) -> Header:
    header = Header()
    text = "\n".join(line for line in lines if line.strip())
    if not text:
        return header
    folded = fold_same(text)
    if _PARTY.search(folded):
        header.family = "party"
    elif _STATE.search(folded):
        header.family = "state"
    cuts: list[tuple[int, int]] = []
    for pattern in (_PARTY, _STATE, _MOTTO):
        cuts.extend(m.span() for m in pattern.finditer(folded))
    number = _NUMBER.search(folded)
    if number:
        header.number = parse_number(text[number.start() : number.end() + 2])
        cuts.append(number.span())
    place_date = _PLACE_DATE.search(folded)
    place_start = None
    if place_date:
        header.date = date_of(text[place_date.start() : place_date.end()].lstrip(", "))
        cuts.append(place_date.span())
        place_start = place_date.start()
    if not header.family and header.number:
        header.family = "party" if re.search(r"-[^/]+/", header.number) else "state"
    segments: list[str] = []
    position = 0
    for start, end in sorted(cuts):
        if start < position:
            continue
        chunk = text[position:start]
        if start == place_start:
            before, _, last = chunk.rpartition("\n")
            header.place = _place_of(last)
            if header.place and last.strip().endswith(header.place):
                last = last.rstrip()[: -len(header.place)]
            chunk = before + "\n" + last
        segments.extend(chunk.split("\n"))
        position = end
    segments.extend(text[position:].split("\n"))
    bodies: list[str] = []
    for segment in segments:
        segment = segment.strip(" *,-–_:|\t")
        if not segment or not _is_caps(segment):
            continue
        for body in _split_bodies(segment):
            body_folded = fold_same(body) + " "
            if bodies and not body_folded.startswith(_BODY_START):
                previous = [fold_same(w) for w in bodies[-1].split()]
                if not _complete(previous) or body_folded.split()[0] in _PLACE_WORDS:
                    bodies[-1] = f"{bodies[-1]} {body}"
                    continue
            bodies.append(body)
    if len(bodies) >= 2:
        header.superior, header.issuer = bodies[0], " ".join(bodies[1:])
    elif bodies:
        header.issuer = bodies[0]
    if not header.family and header.issuer:
        issuer = fold_same(header.issuer) + " "
        header.family = "state" if issuer.startswith(_STATE_BODIES) else ""
    return header


def looks_like_header(line: str) -> bool:
    """A line that belongs to a header when no type word separates header and body."""
    folded = fold_same(line)
    return bool(
        _PARTY.search(folded)
        or _STATE.search(folded)
        or _MOTTO.search(folded)
        or _NUMBER.match(folded)
        or (_PLACE_DATE.search(folded) and len(line) < 80)
        or (_is_caps(line) and (fold_same(line) + " ").startswith(_BODY_START))
        or line.strip() in ("*", "***")
    )
