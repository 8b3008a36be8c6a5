"""Text → ParsedPlan: the plan importer's entry points. Pure Python, no Django.

``parse_plan(text)`` reads pasted or extracted text; ``import_document(data, filename)``
reads an uploaded file first. Both return a ParsedPlan or raise PlanReadError, never
anything else.
"""

from __future__ import annotations

import re

from kehoach.documents.citations import find_citations

from .assignments import assignments as read_assignments
from .header import Header, looks_like_header, parse_header
from .normalize import fold_same, is_caps, normalize
from .readers import DEFAULT_MAX_BYTES, read_document
from .result import (
    SECTION_ROLES,
    Notice,
    ParsedPlan,
    PlanReadError,
    Section,
    Span,
    Topic,
    gettext_noop,
)
from .sections import (
    NUMBERED,
    ROMAN_HEADING,
    Node,
    build_tree,
    make_channel,
    purposes_requirements,
    section_heading,
    section_role,
)
from .tail import RECIPIENTS, is_closing, is_signature_start, parse_tail

__all__ = ["import_document", "parse_plan"]

_TYPE_WORDS = {
    "ke hoach": "KH",
    "chuong trinh hanh dong": "CTr",
    "chuong trinh": "CTr",
    "bao cao": "BC",
    "huong dan": "HD",
    "de an": "ĐA",
    "phuong an": "PA",
    "thong bao": "TB",
    "nghi quyet": "NQ",
    "chi thi": "CT",
    "ket luan": "KL",
    "quy che": "QC",
    "quyet dinh": "QĐ",
    "to trinh": "TTr",
}
_TYPE_LINE = re.compile(
    r"(?<!\w)(" + "|".join(sorted(_TYPE_WORDS, key=len, reverse=True)) + r")(?!\w)"
)
_TITLE_STOPS = (
    "can cu",
    "thuc hien",
    "de ",
    "nham ",
    "trien khai",
    "theo ",
    "tren co so",
    "kinh gui",
    "qua ",
    "ban thuong vu",
    "ban chap hanh",
    "uy ban nhan dan",
    "nham muc dich",
)
_END_MARK = re.compile(r"\s*\./\.\s*$")
_OWN_TYPE = re.compile(r"[-/]([A-Za-zĐđ]{1,4})[-/]")


def import_document(
    data: bytes, filename: str = "", max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedPlan:
    """Reads an uploaded document (.txt, .docx, .pdf, .htm) into a ParsedPlan."""
    try:
        text = read_document(data, filename, max_bytes)
    except PlanReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: PlanReadError only
        raise _internal(exc) from None
    return parse_plan(text)


def parse_plan(text: str, roles: dict[int, str] | None = None) -> ParsedPlan:
    """Reads the text of a plan into a ParsedPlan.

    ``roles`` overrides the role of sections by their position (0 = first section), for a
    person who moved a section the importer misplaced.
    """
    if not isinstance(text, str) or not text.strip():
        raise PlanReadError(
            "empty", gettext_noop("The document is empty: there is no text to read.")
        )
    try:
        return _Parser(text, roles).parse()
    except PlanReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: PlanReadError only
        raise _internal(exc) from None


def _internal(exc: Exception) -> PlanReadError:
    return PlanReadError(
        "internal",
        gettext_noop("The importer could not read this document (%(error)s); please report it."),
        error=type(exc).__name__,
    )


def _basis_like(folded: str) -> bool:
    """A first line after the type word that opens the basis rather than the subject."""
    if folded.startswith(("can cu", "kinh gui", "tren co so")) or len(folded) > 300:
        return True
    return folded.startswith(("thuc hien", "theo ")) and " so " in folded[:80]


class _Parser:
    def __init__(self, text: str, roles: dict[int, str] | None = None) -> None:
        self.roles = {k: v for k, v in (roles or {}).items() if v in SECTION_ROLES}
        normalized = normalize(text)
        self.lines = normalized.lines
        if not any(line.strip() for line in self.lines):
            raise PlanReadError(
                "empty", gettext_noop("The document is empty: there is no text to read.")
            )
        self.plan = ParsedPlan(
            text=normalized.text,
            warnings=list(normalized.notices),
            footnotes=list(normalized.footnotes),
        )
        self.starts: list[int] = []
        position = 0
        for line in self.lines:
            self.starts.append(position)
            position += len(line) + 1

    # --- helpers ---------------------------------------------------------------------------
    def span(self, part: str, first: int, last: int | None = None) -> None:
        last = first if last is None else last
        self.plan.spans.append(
            Span(part, self.starts[first], self.starts[last] + len(self.lines[last]))
        )

    def warn(self, code: str, message: str, **params: object) -> None:
        self.plan.warnings.append(Notice(code, message, params))

    # --- the whole ---------------------------------------------------------------------------
    def parse(self) -> ParsedPlan:
        plan = self.plan
        nonblank = [i for i, line in enumerate(self.lines) if line]
        first_body = self.read_head(nonblank)
        body = [i for i in nonblank if i >= first_body]
        tail_from = len(self.lines)
        closing_at = None
        for position, index in enumerate(body):
            line = self.lines[index]
            if is_closing(line):
                closing_at, tail_from = index, index + 1
                body = body[:position]
                break
            if RECIPIENTS.match(line) or (is_signature_start(line) and position > 0):
                tail_from = index
                body = body[:position]
                break
        if closing_at is None and body and _END_MARK.search(self.lines[body[-1]]):
            last = self.lines[body[-1]]
            if not re.match(r"^(?:[-+]|\d{1,2}[.)]|[a-zđ]\))", last):
                closing_at = body.pop()
        if closing_at is not None:
            plan.closing = _END_MARK.sub("", self.lines[closing_at]).strip()
            self.span("closing", closing_at)
            if _END_MARK.search(self.lines[closing_at]):
                end = self.starts[closing_at] + len(self.lines[closing_at].rstrip())
                plan.spans.append(Span("end_mark", end - 3, end))
        self.read_body(body)
        self.read_tail([i for i in nonblank if i >= tail_from])
        self.read_citations(first_body, body, closing_at)
        if not plan.sections:
            self.warn(
                "no_sections",
                gettext_noop("No sections were recognised: check that this is a plan."),
            )
        return plan

    # --- header and title ------------------------------------------------------------------
    def _find_type_line(self, nonblank: list[int]) -> tuple[int, int, str, str] | None:
        for position, index in enumerate(nonblank[:40]):
            line = self.lines[index]
            if section_heading(line, arabic_allowed=False) and ROMAN_HEADING.match(line):
                return None
            folded = fold_same(line)
            for match in _TYPE_LINE.finditer(folded):
                word = line[match.start() : match.end()]
                if not is_caps(word):
                    continue
                before = line[: match.start()]
                if before.strip() and not (looks_like_header(before) or is_caps(before)):
                    continue
                if fold_same(before).rstrip().endswith(("so", "so:")):
                    continue
                return position, match.start(), word, _TYPE_WORDS[match.group(1)]
        return None

    def read_head(self, nonblank: list[int]) -> int:
        """Reads header, type word and title; returns the index of the first body line."""
        plan = self.plan
        found = self._find_type_line(nonblank)
        header_lines: list[str] = []
        header_indices: list[int] = []
        if found is None:
            for index in nonblank:
                if not looks_like_header(self.lines[index]):
                    break
                header_lines.append(self.lines[index])
                header_indices.append(index)
            first_body = header_indices[-1] + 1 if header_indices else 0
            self.warn(
                "no_type_word",
                gettext_noop("The document type line was not found; the text was read as a plan."),
            )
        else:
            position, column, word, kind = found
            type_index = nonblank[position]
            header_indices = nonblank[:position]
            header_lines = [self.lines[i] for i in header_indices]
            line = self.lines[type_index]
            if column:
                header_lines.append(line[:column])
                header_indices.append(type_index)
            plan.kind = kind
            remainder = line[column + len(word) :].strip(" :-–")
            title, last = self.read_title(type_index, remainder)
            plan.title = title
            self.plan.spans.append(
                Span(
                    "title",
                    self.starts[type_index] + column,
                    self.starts[last] + len(self.lines[last]),
                )
            )
            first_body = last + 1
        header = parse_header(header_lines)
        self.apply_header(header)
        if header_indices:
            start = self.starts[header_indices[0]]
            last = header_indices[-1]
            end = self.starts[last] + len(self.lines[last])
            if found is not None and found[1] and last == nonblank[found[0]]:
                end = self.starts[last] + found[1]
            plan.spans.insert(0, Span("header", start, end))
        return first_body

    def read_title(self, type_index: int, remainder: str) -> tuple[str, int]:
        parts = [remainder] if remainder else []
        last = type_index
        index = type_index + 1
        while index < len(self.lines) and len(parts) < 5:
            line = self.lines[index]
            if not line:
                if parts:
                    break
                index += 1
                continue
            folded = fold_same(line)
            first = next((ch for ch in line if ch.isalpha()), "")
            sentence = first.isupper() and not is_caps(line)
            if (
                (sentence and parts and folded.startswith(_TITLE_STOPS))
                or (sentence and not parts and _basis_like(folded))
                or (parts and section_heading(line, arabic_allowed=True))
                or RECIPIENTS.match(line)
                or line.startswith(("(", "-", "["))
                or ROMAN_HEADING.match(line)
            ):
                break
            if parts and not (is_caps(line) or first.islower()):
                break
            parts.append(line)
            last = index
            index += 1
            if not is_caps(line) and line.endswith((".", ":")):
                break
        return " ".join(parts).strip(), last

    def apply_header(self, header: Header) -> None:
        plan = self.plan
        plan.number = header.number
        plan.superior, plan.issuer = header.superior, header.issuer
        plan.place, plan.date = header.place, header.date
        family = header.family
        if not family:
            folded = fold_same(" ".join(self.lines[:8]))
            if "uy ban nhan dan" in folded or "ubnd" in folded.split():
                family = "state"
        plan.family = family or "party"
        if plan.kind == "KH" and plan.number and not plan.title:
            own = _OWN_TYPE.search(plan.number)
            if own and own.group(1) in ("BC", "CTr", "HD", "TB", "ĐA", "PA", "KH"):
                plan.kind = own.group(1)

    # --- body --------------------------------------------------------------------------------
    def read_body(self, body: list[int]) -> None:
        plan = self.plan
        arabic_allowed = not any(
            ROMAN_HEADING.match(self.lines[i]) and section_heading(self.lines[i], False)
            for i in body
        )
        sections: list[tuple[str, int, list[int]]] = []
        basis: list[int] = []
        for index in body:
            heading = section_heading(self.lines[index], arabic_allowed)
            if heading is not None:
                sections.append((heading, index, []))
            elif sections:
                sections[-1][2].append(index)
            else:
                basis.append(index)
        for index in basis:
            plan.basis.append(self.lines[index])
            self.span("basis", index)
        if not sections and basis:
            plan.basis = [
                self.lines[i]
                for i in basis
                if fold_same(self.lines[i]).startswith(
                    ("can cu", "thuc hien", "theo ", "tren co so")
                )
            ]
            rest = [self.lines[i] for i in basis if self.lines[i] not in plan.basis]
            if rest:
                plan.other_sections[""] = rest
        for heading, index, members in sections:
            self.read_section(heading, index, members)

    def read_section(self, heading: str, index: int, members: list[int]) -> None:
        plan = self.plan
        chosen = self.roles.get(len(plan.sections))
        role = chosen or section_role(heading)
        plan.sections.append(Section(heading=heading, role=role))
        self.span("section", index, members[-1] if members else index)
        roots = build_tree([(i, self.lines[i]) for i in members])
        if role == "purposes_requirements":
            purposes, requirements = purposes_requirements(heading, roots)
            plan.purposes.extend(purposes)
            plan.requirements.extend(requirements)
        elif role == "content":
            self.read_topics(roots)
        elif role == "forms":
            self.read_channels(roots)
        elif role == "organisation":
            for assignment, node in read_assignments(roots):
                plan.assignments.append(assignment)
                self.span("assignment", node.index, node.end())
        else:
            plan.other_sections[heading] = [self.lines[i] for i in members]
            if role == "other" and not chosen:
                self.warn(
                    "unplaced_section",
                    gettext_noop(
                        "The section “%(heading)s” was not recognised; its text is kept as it is."
                    ),
                    heading=heading,
                )

    def read_topics(self, roots: list[Node]) -> None:
        numbered = any(node.kind in NUMBERED or node.kind == "label" for node in roots)
        for node in roots:
            folded = fold_same(node.text)
            short = len(node.text.split()) <= 10
            if node.children and short and folded.startswith(("hinh thuc", "phuong thuc")):
                self.read_channels(node.children)
            elif node.children and (
                node.kind == "label" or (short and folded.startswith("noi dung"))
            ):
                for child in node.children:
                    self.add_topic(child)
            elif numbered and node.kind == "text":
                continue  # an introduction between the heading and the items
            else:
                self.add_topic(node)

    def add_topic(self, node: Node) -> None:
        points = [child.full_text() for child in node.children]
        found = find_citations(node.full_text(), exclude=(self.plan.number or "",))
        topic = Topic(
            title=node.text.rstrip(":").strip(),
            points=points,
            citations=[citation.number for citation in found],
        )
        self.plan.topics.append(topic)
        self.span("topic", node.index, node.end())

    def read_channels(self, roots: list[Node]) -> None:
        items = [node for node in roots if node.kind != "text"] or roots
        for node in items:
            if node.kind == "label" and node.children:
                self.read_channels(node.children)
                continue
            self.plan.channels.append(make_channel(node))
            self.span("channel", node.index, node.end())

    # --- tail --------------------------------------------------------------------------------
    def read_tail(self, indices: list[int]) -> None:
        plan = self.plan
        tail = parse_tail([(i, self.lines[i]) for i in indices])
        plan.recipients = tail.recipients
        plan.signature = tail.signature
        plan.annexes = tail.annexes
        plan.footnotes.extend(tail.footnotes)
        if tail.recipient_lines:
            self.span("recipients", min(tail.recipient_lines), max(tail.recipient_lines))
        if tail.signature_lines:
            self.span("signature", min(tail.signature_lines), max(tail.signature_lines))
        for lines in tail.annex_lines:
            self.span("annex", lines[0], lines[-1])
        for index in tail.footnote_lines:
            self.span("footnote", index)

    def read_citations(self, first_body: int, body: list[int], closing: int | None) -> None:
        title_lines = [span for span in self.plan.spans if span.part == "title"]
        parts = [self.plan.text[s.start : s.end] for s in title_lines]
        parts.extend(self.lines[i] for i in body)
        if closing is not None:
            parts.append(self.lines[closing])
        self.plan.citations = find_citations("\n".join(parts), exclude=(self.plan.number or "",))
