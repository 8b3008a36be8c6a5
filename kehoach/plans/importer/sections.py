"""Sections of a plan by role, and the items inside them (purposes, topics, channels)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import fold_same, is_caps
from .result import Channel

# --- headings ------------------------------------------------------------------------------
_ROMAN = r"(?:X{0,2}(?:IX|IV|V?I{1,3}|V)|X{1,2})"
ROMAN_HEADING = re.compile(
    rf"^(?:phần\s+)?(?P<num>{_ROMAN})\s*(?:[.):/]|[-–](?=\s|[^\W\d_]))\s*(?P<h>\S.*)$", re.I
)
_ARABIC_HEADING = re.compile(r"^(?P<num>\d{1,2})\s*(?:\.(?!\d)|\)|[-–](?=\s))\s*(?P<h>\S.*)$")

_ROLE_KEYWORDS = (
    (
        "organisation",
        (
            "to chuc thuc hien",
            "phan cong",
            "trach nhiem thuc hien",
            "to chuc trien khai",
            "giao nhiem vu",
            "trach nhiem cua cac",
        ),
    ),
    ("purposes_requirements", ("muc dich", "yeu cau", "muc tieu", "quan diem")),
    ("content", ("noi dung",)),
    ("forms", ("hinh thuc", "phuong thuc")),
    ("funding", ("kinh phi",)),
    ("timeline", ("thoi gian", "tien do", "lo trinh", "thoi diem")),
    ("slogans", ("khau hieu",)),
    ("audience", ("doi tuong", "pham vi")),
    ("content", ("nhiem vu", "giai phap", "hoat dong")),
)


def section_role(heading: str) -> str:
    folded = fold_same(heading)
    for role, keywords in _ROLE_KEYWORDS:
        if any(keyword in folded for keyword in keywords):
            return role
    return "other"


def section_heading(line: str, arabic_allowed: bool) -> str | None:
    """The heading (numbering and trailing colon removed) if `line` opens a section."""
    if len(line) > 160:
        return None
    match = ROMAN_HEADING.match(line)
    if match and match.group("num").isupper():
        heading = match.group("h").rstrip(" :.")
        first = next((ch for ch in heading if ch.isalpha()), "")
        return heading if first.isupper() else None
    heading = line
    arabic = _ARABIC_HEADING.match(line)
    if arabic:
        if not arabic_allowed:
            return None
        heading = arabic.group("h")
    heading = heading.rstrip(" :.")
    if is_caps(heading) and len(heading) <= 120 and section_role(heading) != "other":
        return heading
    return None


# --- the item tree -------------------------------------------------------------------------
_MARKERS = (
    ("num3", re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s*(?=\S)")),
    ("num2", re.compile(r"^\d{1,2}\.\d{1,2}(?:\.|\s)\s*(?=\S)")),
    ("num", re.compile(r"^\d{1,2}\s*(?:\.(?!\d)|\)|[-–](?=\s))\s*(?=\S)")),
    ("paren", re.compile(r"^\(\s*\d{1,2}\s*\)\s*")),
    ("letter", re.compile(r"^[a-zđ]\s*[).]\s+")),
    ("dash", re.compile(r"^-\s*")),
    ("plus", re.compile(r"^\+\s*")),
)
_BULLETS = ("dash", "plus")
NUMBERED = ("num", "num2", "num3", "paren", "letter")


@dataclass
class Node:
    kind: str  # a marker kind, "text" for a plain paragraph, "label" for "Heading:" lines
    text: str  # without its marker
    index: int  # line index in the plan
    children: list[Node] = field(default_factory=list)
    last: int = -1  # last line index covered by the node and its children

    def full_text(self) -> str:
        parts = [self.text]
        parts.extend(child.full_text() for child in self.children)
        return "\n".join(part for part in parts if part)

    def end(self) -> int:
        return max([self.index, self.last, *(child.end() for child in self.children)])


def split_marker(line: str) -> tuple[str, str]:
    for kind, pattern in _MARKERS:
        match = pattern.match(line)
        if match:
            if kind == "num" and re.match(r"^\d{1,2}\s*[-–]\s*\d", line):
                continue  # "5 - 7 ngày", a range, not numbering
            return kind, line[match.end() :].strip()
    return "text", line.strip()


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", ";", ":", "!", "?", "./.", ".”", '."'))


def build_tree(lines: list[tuple[int, str]]) -> list[Node]:
    roots: list[Node] = []
    stack: list[Node] = []
    for index, line in lines:
        kind, text = split_marker(line)
        if kind == "text":
            top = stack[-1] if stack else None
            if top and top.kind in _BULLETS and not ends_sentence(top.text):
                top.text = f"{top.text} {text}"
                top.last = index
                continue
            if text.endswith(":") and len(text) < 120:
                kind = "label"
            else:
                (top.children if top else roots).append(Node("text", text, index))
                continue
        kinds = [node.kind for node in stack]
        if kind in kinds:
            del stack[kinds.index(kind) :]
        node = Node(kind, text, index)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


# --- purposes and requirements -------------------------------------------------------------
def _items(nodes: list[Node]) -> list[str]:
    return [node.full_text() for node in nodes if node.text]


def _inline(text: str) -> str:
    head, colon, rest = text.partition(":")
    return rest.strip() if colon and len(head) < 60 else ""


def purposes_requirements(heading: str, roots: list[Node]) -> tuple[list[str], list[str]]:
    purposes: list[str] = []
    requirements: list[str] = []
    found_sub = False
    for node in roots:
        folded = fold_same(node.text)
        head = folded.split(":")[0]
        is_sub = node.kind != "dash" and len(head.split()) <= 8
        if is_sub and head.startswith(("muc dich", "muc tieu", "quan diem", "yeu cau")):
            found_sub = True
            target = requirements if head.startswith("yeu cau") else purposes
            inline = _inline(node.text)
            if inline:
                target.append(inline)
            target.extend(_items(node.children))
    if found_sub:
        return purposes, requirements
    folded_heading = fold_same(heading)
    items = _items(roots)
    if "yeu cau" in folded_heading and not re.search(r"muc (dich|tieu)|quan diem", folded_heading):
        return [], items
    return items, []


# --- channels ------------------------------------------------------------------------------
_CHANNEL_KINDS = (
    ("portal", r"cong thong tin|trang thong tin dien tu|website|trang tin dien tu|cong ttdt"),
    ("social", r"mang xa hoi|nen tang so|zalo|facebook|fanpage|tiktok|youtube"),
    ("loudspeaker", r"truyen thanh|\bloa\b|phat thanh"),
    ("newsletter", r"ban tin"),
    ("visual", r"pa ?no|ap phich|khau hieu|truc quan|bang ron|bang zon|tranh co dong"),
    ("meeting", r"hoi nghi|sinh hoat|toa dam|hoi thao|quan triet"),
    ("oral", r"tuyen truyen mieng|bao cao vien|tuyen truyen vien"),
    ("culture_event", r"van hoa|van nghe|the thao|hoi thi|cuoc thi"),
)
_CHANNEL_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in _CHANNEL_KINDS]


def channel_kinds(text: str) -> list[str]:
    folded = fold_same(text)
    kinds = [kind for kind, pattern in _CHANNEL_PATTERNS if pattern.search(folded)]
    return kinds or ["other"]


def make_channel(node: Node) -> Channel:
    name, colon, details = node.text.partition(":")
    if not colon or len(name) > 200:
        name, details = node.text, ""
    extra = "\n".join(child.full_text() for child in node.children)
    details = "\n".join(part for part in (details.strip(), extra) if part)
    name = name.strip()
    return Channel(name=name, details=details, kinds=channel_kinds(f"{name} {details}"))
