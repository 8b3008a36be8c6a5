"""The organisation section: implementing units, their duties, recurrences and deadlines."""

from __future__ import annotations

import re

from .dates import ANY_DATE, date_of
from .normalize import fold_same
from .result import Assignment, Duty
from .sections import NUMBERED, Node

# --- duties: recurrence and deadlines --------------------------------------------------------
_MONTHLY_DUE = re.compile(
    r"(?:truoc|vao|den|tu) ngay (\d{1,2}) (?:hang|moi|cua hang|cua moi) thang"
)
_MONTHLY = re.compile(r"(?:hang|moi|tung|dinh ky hang) thang\b|bao cao thang\b")
_QUARTERLY = re.compile(
    r"(?:hang|moi|tung) quy\b(?! (?:dinh|che|hoach|trinh|mo|tac|chuan|luat|uoc))|bao cao quy\b"
)
_HALF_YEAR = re.compile(r"(?<!\d)(?:6|06|sau) thang(?: dau nam| cuoi nam)?|nua nam|giua nam")
_YEARLY_DUE = re.compile(
    r"(?:truoc|vao|den) ngay (\d{1,2})(?: thang |/|-|\.)(\d{1,2})(?! ?nam \d)(?! ?[/.-] ?\d)"
)
_YEARLY = re.compile(r"(?:hang|moi|tung) nam\b|cuoi nam|tong ket nam|bao cao nam\b")
_PER_PHASE = re.compile(
    r"(?:sau|ket thuc) (?:moi|tung|cac)? ?(?:dot|giai doan|hoat dong)|theo tung (?:dot|giai doan)"
    r"|so ket,? tong ket|so ket|tong ket"
)
_PERIODIC = re.compile(r"dinh ky")
_AD_HOC = re.compile(r"dot xuat|khi co yeu cau|theo yeu cau")
_ONE_OFF = re.compile(r"(?:truoc|den|cham nhat|han chot|xong truoc|hoan thanh truoc|vao) ngay\s*")


def parse_duty(text: str) -> Duty:
    """A duty with its recurrence, due day/month or one-off deadline read from its words."""
    text = text.strip()
    if text.endswith("./."):
        text = text[:-2].rstrip()
    duty = Duty(text=text)
    folded = fold_same(text)

    def note(match: re.Match) -> None:
        duty.deadline_text = text[match.start() : match.end()].strip(" ,;.")

    for one_off in _ONE_OFF.finditer(folded):
        found = ANY_DATE.match(text, one_off.end())
        when = date_of(found.group(0)) if found else None
        if when:
            duty.deadline = when
            duty.deadline_text = text[one_off.start() : found.end()]
            break
    match = _MONTHLY_DUE.search(folded)
    if match:
        duty.recurrence, duty.due_day = "monthly", int(match.group(1))
        note(match)
        return duty
    for recurrence, pattern in (
        ("monthly", _MONTHLY),
        ("quarterly", _QUARTERLY),
        ("half_year", _HALF_YEAR),
    ):
        match = pattern.search(folded)
        if match:
            duty.recurrence = recurrence
            note(match)
            return duty
    match = _YEARLY_DUE.search(folded)
    if match and not duty.deadline:
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            duty.recurrence, duty.due_day, duty.due_month = "yearly", day, month
            note(match)
            return duty
    vague = (
        ()
        if duty.deadline
        else (
            ("per_phase", _PER_PHASE),
            ("periodic", _PERIODIC),
            ("ad_hoc", _AD_HOC),
        )
    )
    for recurrence, pattern in (("yearly", _YEARLY), *vague):
        match = pattern.search(folded)
        if match:
            duty.recurrence = recurrence
            if not duty.deadline:
                note(match)
            return duty
    return duty


# --- units -----------------------------------------------------------------------------------
_UNIT_HINTS = (
    "ban ",
    "uy ban",
    "ubnd",
    "hdnd",
    "hoi dong",
    "dang uy",
    "chi bo",
    "dang bo",
    "mat tran",
    "mttq",
    "doan ",
    "hoi ",
    "cong an",
    "quan su",
    "truong ",
    "tram ",
    "trung tam",
    "phong ",
    "van phong",
    "cap uy",
    "to chuc",
    "dong chi",
    "bi thu",
    "chu tich",
    "so ",
    "cac ",
    "cong doan",
    "don vi",
    "co quan",
    "thuong truc",
    "thuong vu",
    "chi doan",
    "ban chap hanh",
    "to dan pho",
    "khu dan cu",
    "bch ",
    "ubmttq",
    "ttct",
)
_VERBS = re.compile(
    r"\s(?:chu tri|phoi hop|chi dao|tuyen truyen|quan tam|tang cuong|can cu|trien khai|"
    r"co trach nhiem|chu dong|lanh dao|thuc hien|huong dan|xay dung|day manh|phat huy|"
    r"tham gia|ho tro|tich cuc|bo tri|theo doi|nam bat|van dong|giup|tham muu|bao dam|"
    r"dam bao|kip thoi|thuong xuyen|kiem tra|don doc|cung cap|chuan bi|dang tai|bien tap|"
    r"phat hien|quan triet|tiep tuc|nghien cuu|lam tot|phan cong|cu can bo|"
    r"(?<!cac )(?<!, )to chuc(?! (?:chinh tri|dang|doan|hoi|co so|thanh vien|cong doan)))\b"
)
_SENTENCE_LEADS = ("de nghi", "giao ", "dong chi", "yeu cau")
_LEADS = re.compile(r"^(?:de nghi|giao cho|giao|yeu cau)\s+")
_GENERIC = re.compile(
    r"(?:trach nhiem|cac don vi|don vi|co quan) (?:cua|chu tri|phoi hop|lien quan)"
)


def _looks_like_unit(text: str) -> bool:
    folded = fold_same(text).strip() + " "
    words = folded.split()
    return 0 < len(words) <= 20 and any(hint in folded for hint in _UNIT_HINTS)


def _strip_lead(text: str) -> str:
    lead = _LEADS.match(fold_same(text))
    return text[lead.end() :] if lead else text


def _sentence_unit(text: str) -> tuple[str, str] | None:
    """("Ủy ban MTTQ phường", "chỉ đạo …") from "Đề nghị Ủy ban MTTQ phường chỉ đạo …"."""
    body = _strip_lead(text)
    folded = fold_same(body)
    verb = _VERBS.search(folded)
    if not verb or verb.start() == 0:
        return None
    unit = body[: verb.start()].strip(" ,:")
    if not _looks_like_unit(unit) or len(unit.split()) > 20:
        return None
    return unit, body[verb.start() :].strip()


def _role(heading: str, duties: list[Duty]) -> str:
    folded = fold_same(heading)
    if "chu tri" in folded:
        return "lead"
    if "phoi hop" in folded:
        return "support"
    texts = [fold_same(duty.text) for duty in duties]
    if texts and texts[0].startswith("phoi hop") and not any("chu tri" in t for t in texts):
        return "support"
    return "lead"


def _assignment(unit: str, duty_texts: list[str]) -> Assignment:
    duties = [parse_duty(text) for text in duty_texts if text.strip()]
    unit = unit.strip().rstrip(":").strip()
    return Assignment(unit=unit, role=_role(unit, duties), duties=duties)


def _colon_split(text: str) -> tuple[str, str] | None:
    head, colon, rest = text.partition(":")
    lead = fold_same(head).startswith(_SENTENCE_LEADS)
    if colon and (lead or _looks_like_unit(head)) and len(head.split()) <= 20:
        return head.strip(), rest.strip()
    return None


def _from_node(node: Node) -> list[Assignment]:
    separate = [
        child
        for child in node.children
        if child.kind == "text" and fold_same(child.text).startswith(_SENTENCE_LEADS)
    ]
    own = [child for child in node.children if child not in separate]
    found = _own_assignments(node, own)
    for child in separate:
        found.extend(_from_node(child))
    return found


def _names_unit(node: Node) -> bool:
    """A bullet that reads "Unit: duties" (a unit under a grouping sub-heading)."""
    if node.kind not in ("dash", "plus", "letter"):
        return False
    head, colon, rest = node.text.partition(":")
    head = head.strip()
    return bool(
        colon
        and rest.strip()
        and head[:1].isupper()
        and len(head.split()) <= 12
        and not _VERBS.match(" " + fold_same(head))
    )


def _own_assignments(node: Node, children_nodes: list[Node]) -> list[Assignment]:
    children = [child.full_text() for child in children_nodes]
    text = node.text
    folded = fold_same(text)
    split = _colon_split(text)
    if node.kind in NUMBERED or node.kind == "label":
        head = split[0] if split else text.rstrip(":")
        generic = _GENERIC.search(fold_same(head)) or (
            len(children_nodes) >= 2
            and all(_names_unit(child) for child in children_nodes)
            and any(_looks_like_unit(child.text.partition(":")[0]) for child in children_nodes)
        )
        if generic and children_nodes and not (split and split[1]):
            expanded = [a for child in children_nodes for a in _from_node(child)]
            if expanded:
                role = "support" if "phoi hop" in fold_same(head) else None
                for assignment in expanded:
                    assignment.role = role or assignment.role
                return expanded
        if folded.startswith(_SENTENCE_LEADS) and not split:
            sentence = _sentence_unit(text)
            if sentence:
                return [_assignment(sentence[0], [sentence[1], *children])]
        if split:
            unit, inline = split
            return [_assignment(_strip_lead(unit), [inline, *children])]
        if children_nodes:
            return [_assignment(_strip_lead(text), children)]
        sentence = _sentence_unit(text)
        if sentence:
            return [_assignment(sentence[0], [sentence[1]])]
        if _looks_like_unit(text):
            return [_assignment(_strip_lead(text), [])]
        return []
    if not split and _names_unit(node):
        head, _, rest = text.partition(":")
        split = head.strip(), rest.strip()
    if split and len(split[0].split()) <= 15:
        return [_assignment(_strip_lead(split[0]), [split[1], *children])]
    sentence = _sentence_unit(text)
    if sentence and (folded.startswith(_SENTENCE_LEADS) or node.kind != "text"):
        return [_assignment(sentence[0], [sentence[1], *children])]
    return []


def assignments(roots: list[Node]) -> list[tuple[Assignment, Node]]:
    """Every assignment of the organisation section, with the node it was read from."""
    found: list[tuple[Assignment, Node]] = []
    for node in roots:
        for assignment in _from_node(node):
            found.append((assignment, node))
    return found
