"""Matching the unit headings of a plan to the unit tree, forgiving spelling and accents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from kehoach.core.text import fold
from kehoach.org.models import Unit, UnitKind

# Abbreviations used in headings and recipients, folded.
ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttqvn": "mat tran to quoc viet nam",
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "ct-xh": "chinh tri - xa hoi",
    "ctxh": "chinh tri - xa hoi",
    "du": "dang uy",
    "btv": "ban thuong vu",
    "vpdu": "van phong dang uy",
    "bxdd": "ban xay dung dang",
    "ttct": "trung tam chinh tri",
    "lhpn": "lien hiep phu nu",
    "ccb": "cuu chien binh",
    "tncs": "thanh nien cong san",
    "tu": "thanh uy",
}
_TOKEN = re.compile(r"[\w-]+")

# Phrases that name a whole group of units rather than one.
GROUPS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (
        re.compile(
            r"cac (cap uy|chi bo|dang bo)[^;]*(truc thuoc|co so)|cac chi bo|"
            r"cac dang bo, chi bo|to chuc dang truc thuoc"
        ),
        (UnitKind.PARTY_CELL,),
    ),
    (re.compile(r"cac (to chuc|doan the) chinh tri - xa hoi|cac doan the"), (UnitKind.MASS_ORG,)),
]
AUTO_ACCEPT = 0.82


def expand(text: str) -> str:
    folded = fold(text)
    return _TOKEN.sub(lambda m: ABBREVIATIONS.get(m.group(0), m.group(0)), folded)


def similarity(a: str, b: str) -> float:
    a, b = expand(a), expand(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = SequenceMatcher(None, a, b).ratio()
    # "Ban Xây dựng đảng" in a heading "Ban Xây dựng đảng Đảng ủy": containment counts.
    if len(b) >= 8 and (b in a or a in b):
        ratio = max(ratio, 0.9 * min(len(a), len(b)) / max(len(a), len(b)) + 0.1)
    return ratio


@dataclass
class Match:
    units: list[Unit] = field(default_factory=list)
    candidates: list[tuple[Unit, float]] = field(default_factory=list)
    group: bool = False

    @property
    def confident(self) -> bool:
        return bool(self.units)


def _parts(heading: str) -> list[str]:
    # "Ủy ban MTTQ và các tổ chức chính trị - xã hội phường" names two things.
    return [p for p in re.split(r"\s+(?:và|với)\s+|;\s*", heading) if p.strip()]


def match_heading(heading: str, units: list[Unit], root: Unit | None) -> Match:
    """Units the heading names: groups expanded, other parts fuzzy-matched."""
    result = Match()
    under_root = [u for u in units if root is None or u.path.startswith(root.path)]
    for part in _parts(heading) or [heading]:
        folded = expand(part)
        group = next((kinds for pattern, kinds in GROUPS if pattern.search(folded)), None)
        if group:
            result.group = True
            result.units += [u for u in under_root if u.kind in group and u not in result.units]
            continue
        scored = sorted(((u, similarity(part, u.name)) for u in units), key=lambda p: -p[1])
        scored = [(u, s) for u, s in scored[:5] if s > 0.45]
        result.candidates += scored
        if scored and scored[0][1] >= AUTO_ACCEPT and scored[0][0] not in result.units:
            result.units.append(scored[0][0])
    result.candidates.sort(key=lambda p: -p[1])
    return result
