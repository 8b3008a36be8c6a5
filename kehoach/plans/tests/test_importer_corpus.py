"""Every plan of the corpus parses to its expectations, as .txt, .docx and .pdf.

Each ``corpus/<name>.txt`` (also ``.cp1258.txt``, ``.utf16.txt``) has
``<name>.txt.expected.json`` or ``<name>.expected.json``; keys are described in the
corpus README. The .docx is built one paragraph per line (and, for plans with a header,
again with the header as a borderless two-column table); the .pdf with fpdf2.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kehoach.plans.importer.normalize import fold_same, normalize
from kehoach.plans.importer.parser import import_document
from kehoach.plans.importer.readers import read_document

CORPUS = Path(__file__).parent / "corpus"
MAX = 5 * 1024 * 1024


def _expectation(path: Path) -> Path | None:
    for candidate in (
        path.with_name(path.name + ".expected.json"),
        path.with_name(path.name.split(".")[0] + ".expected.json"),
    ):
        if candidate.exists():
            return candidate
    return None


PLANS = sorted(p for p in CORPUS.glob("*.txt") if _expectation(p)) if CORPUS.exists() else []
IDS = [p.name.split(".")[0] for p in PLANS]

_RIGHT = re.compile(
    r"dang cong san viet nam|cong hoa xa hoi|doc lap|ngay .{0,12}thang .{0,8}nam \d"
)
_TYPE = re.compile(r"^(KẾ HOẠCH|CHƯƠNG TRÌNH|BÁO CÁO)\b")


def source_lines(path: Path) -> list[str]:
    """The text as the reader gives it (decoded, not yet cleaned), one line per paragraph."""
    return read_document(path.read_bytes(), path.name, MAX).split("\n")


def type_line(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if _TYPE.match(line.strip().strip("*# "))), None)


def header_cells(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """Left and right cells of the header (the lines before the type word), or None."""
    start = type_line(lines)
    if start is None:
        return None
    cells = [c for c in normalize("\n".join(lines[:start])).lines if c.strip()]
    if not cells:
        return None
    right = [c for c in cells if _RIGHT.search(fold_same(c))]
    left = [c for c in cells if c not in right]
    return left, right


def check(plan, expected: dict) -> list[str]:
    """All differences between a ParsedPlan and its expectation, as readable lines."""
    problems: list[str] = []

    def same(key, got, want):
        if got != want:
            problems.append(f"{key}: got {got!r}, expected {want!r}")

    for key in ("kind", "number", "issuer", "place", "title"):
        if key in expected:
            same(key, getattr(plan, key), expected[key])
    if "date" in expected:
        same("date", plan.date.isoformat() if plan.date else None, expected["date"])
    if "citations" in expected:
        same("citations", [c.number for c in plan.citations], expected["citations"])
    if "section_roles" in expected:
        same("section_roles", [s.role for s in plan.sections], expected["section_roles"])
    for key, attr in (
        ("purposes_count", "purposes"),
        ("requirements_count", "requirements"),
        ("channels_count", "channels"),
    ):
        if key in expected:
            same(key, len(getattr(plan, attr)), expected[key])
    if "topics" in expected:
        want = expected["topics"]
        same("topics count", len(plan.topics), len(want))
        for index, (topic, item) in enumerate(zip(plan.topics, want, strict=False)):
            if not topic.title.startswith(item["title_starts"]):
                problems.append(f"topic {index}: {topic.title[:50]!r} ≠ {item['title_starts']!r}…")
            same(f"topic {index} points", len(topic.points), item["points_count"])
    if "assignments" in expected:
        want = expected["assignments"]
        same("assignment units", [a.unit for a in plan.assignments], [w["unit"] for w in want])
        for assignment, item in zip(plan.assignments, want, strict=False):
            same(f"duties of {item['unit']}", len(assignment.duties), item["duties_count"])
            if "recurrences" in item:
                got = [d.recurrence for d in assignment.duties if d.recurrence]
                same(f"recurrences of {item['unit']}", got, item["recurrences"])
            if "role" in item:
                same(f"role of {item['unit']}", assignment.role, item["role"])
    if "recipients" in expected:
        same(
            "recipients",
            [{"name": r.name, "note": r.note} for r in plan.recipients],
            expected["recipients"],
        )
    if "signature" in expected:
        signature = plan.signature
        got = {k: getattr(signature, k) for k in ("authority", "deputy", "title", "name")}
        same("signature", got, expected["signature"])
    if "has_annex" in expected:
        same("has_annex", bool(plan.annexes), expected["has_annex"])
    if "footnotes_count" in expected:
        same("footnotes_count", len(plan.footnotes), expected["footnotes_count"])
    if "warnings_codes" in expected:
        same("warnings", sorted(n.code for n in plan.warnings), sorted(expected["warnings_codes"]))
    for span in plan.spans:
        if not 0 <= span.start <= span.end <= len(plan.text):
            problems.append(f"span {span} outside the text")
    return problems


def _expected(path: Path) -> dict:
    return json.loads(_expectation(path).read_text(encoding="utf-8"))


def test_the_corpus_is_there():
    if not PLANS:
        pytest.skip("no corpus yet in kehoach/plans/tests/corpus")
    assert len(PLANS) >= 10


@pytest.mark.parametrize("path", PLANS, ids=IDS)
def test_corpus_plan_as_text(path):
    plan = import_document(path.read_bytes(), path.name, MAX)
    assert check(plan, _expected(path)) == []


@pytest.mark.parametrize("path", PLANS, ids=IDS)
def test_corpus_plan_as_docx(path, make_docx):
    data = make_docx(source_lines(path))
    plan = import_document(data, path.stem + ".docx", MAX)
    assert check(plan, _expected(path)) == []


# Plans without a header have no two-column table to put it in: they are not parametrized.
HEADED = [p for p in PLANS if header_cells(source_lines(p)) is not None]


@pytest.mark.parametrize("path", HEADED, ids=[p.name.split(".")[0] for p in HEADED])
def test_corpus_plan_as_docx_with_a_header_table(path, make_docx):
    lines = source_lines(path)
    cells = header_cells(lines)
    start = type_line(lines)
    plan = import_document(make_docx(lines[start:], header_cells=cells), "plan.docx", MAX)
    assert check(plan, _expected(path)) == []


@pytest.mark.parametrize("path", PLANS, ids=IDS)
def test_corpus_plan_as_pdf(path, make_pdf):
    plan = import_document(make_pdf(source_lines(path)), path.stem + ".pdf", MAX)
    assert check(plan, _expected(path)) == []
