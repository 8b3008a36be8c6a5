"""What goes into the search index and what a query asks for: pure Python, no Django.

Both sides fold with `kehoach.core.text.fold` (accents, đ→d, case) and keep only runs of
letters and digits, so SQLite's FTS5 tokenizer and PostgreSQL's parser see the same plain
words. Document numbers get extra joined words: "58-CT/TW" is indexed as "58 ct tw" and
also as "58cttw", "58ct" and "ct58", which is what people type for it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_WORD_CHARS = 64

WORD = re.compile(r"[^\W_]+")
# A number and symbol in folded text: digits first, then parts joined by "-" or "/"
# ("58-ct/tw", "159/kh-ubnd", "06/2022/tt-btttt", "46 - ct/tw"). Dates have no letters
# and are left alone.
NUMBER = re.compile(r"(?<![^\W_])\d+[a-z]?(?: ?[-/] ?[^\W_]+)+")


class _DropMarks(dict):
    """str.translate table removing combining marks, learnt one code point at a time."""

    def __missing__(self, code: int) -> str | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else chr(code)
        self[code] = kept
        return kept


_DROP_MARKS = _DropMarks()
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """`kehoach.core.text.fold`, the same result (a test holds them together) at C speed for
    the long texts the index folds by the hundred thousand."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _SPACES.sub(" ", text.translate(_DROP_MARKS)).strip().casefold()


def words(folded: str) -> list[str]:
    return WORD.findall(folded)


def number_variants(number: str) -> list[str]:
    """Joined spellings of one folded number: "58-ct/tw" → 58cttw, 58ct, ct58."""
    parts = words(number)
    kind = next((p for p in parts[1:] if any(ch.isalpha() for ch in p)), None)
    if kind is None or len(parts) < 2:
        return []
    head = parts[0]
    heads = [head] + ([head.lstrip("0")] if head.startswith("0") and head.strip("0") else [])
    found = ["".join(parts)]
    for h in heads:
        found += [h + kind, kind + h]
    return list(dict.fromkeys(found))


def index_text(*parts: str) -> str:
    """The folded words of `parts`, then the joined spellings of every number in them."""
    folded = fold(" ".join(p for p in parts if p))
    found = words(folded)
    seen = set(found)
    extra = []
    for match in NUMBER.finditer(folded):
        for variant in number_variants(match.group(0)):
            if variant not in seen:
                seen.add(variant)
                extra.append(variant)
    return " ".join(found + extra)


# ------------------------------------------------------------------ scope words
# Words no folded Vietnamese text contains, put in a column of their own: the word index
# then narrows to one kind and to what a person may see without reading any row.

ALL = "zzall"


def kind_word(code: str) -> str:
    return "zzk" + code.replace("_", "")


def unit_words(path: str) -> list[str]:
    """The unit and every unit above it: "/1/5/9/" → zzu1 zzu5 zzu9."""
    return [f"zzu{part}" for part in path.strip("/").split("/") if part]


def plan_word(plan_id: int) -> str:
    return f"zzp{plan_id}"


@dataclass(frozen=True)
class Term:
    """One thing typed: a word, or a compound like "58-CT/TW" matched as a phrase of its
    words or as its joined form."""

    words: tuple[str, ...]

    @property
    def joined(self) -> str:
        return "".join(self.words)


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def highlight_words(self) -> frozenset[str]:
        found: set[str] = set()
        for term in self.terms:
            found.update(term.words)
            if len(term.words) > 1:
                found.add(term.joined)
        return frozenset(found)

    def fts5(self) -> str:
        """An FTS5 MATCH expression over the text columns. Every word is only letters and
        digits and is quoted, so nothing typed (quotes, *, NEAR, -, ^, :) reaches FTS5 as
        syntax."""
        parts = []
        for term in self.terms:
            if len(term.words) == 1:
                parts.append(f'"{term.words[0]}"')
            else:
                parts.append(f'("{" ".join(term.words)}" OR "{term.joined}")')
        return "{folded_title folded_body} : (" + " AND ".join(parts) + ")"

    def tsquery(self) -> str:
        """A to_tsquery() expression over the same plain words. Without weight labels the
        GIN index answers alone, with no recheck of every row (a scope word typed here
        would only find what the person's scope already allows)."""
        parts = []
        for term in self.terms:
            if len(term.words) == 1:
                parts.append(f"'{term.words[0]}'")
            else:
                phrase = " <-> ".join(f"'{w}'" for w in term.words)
                parts.append(f"({phrase} | '{term.joined}')")
        return " & ".join(parts)


def scope_fts5(kind: str, words: list[str] | None) -> str:
    """The kind's word, and any of the person's scope words (None: no limit)."""
    found = f'"{kind_word(kind)}"'
    if words is not None:
        found += " AND (" + " OR ".join(f'"{w}"' for w in words) + ")"
    return f"folded_scope : ({found})"


def scope_tsquery(kind: str, words: list[str] | None) -> str:
    found = f"'{kind_word(kind)}'"
    if words is not None:
        found += " & (" + " | ".join(f"'{w}'" for w in words) + ")"
    return found


def parse_query(text: str) -> Query:
    """What to look for in what was typed; an empty Query when there is nothing to find."""
    text = unicodedata.normalize("NFC", (text or "")[:MAX_QUERY_CHARS]).strip()
    terms: list[Term] = []
    for chunk in text.split():
        found = tuple(w[:MAX_WORD_CHARS] for w in words(fold(chunk)))
        if found and Term(found) not in terms:
            terms.append(Term(found))
        if len(terms) == MAX_TERMS:
            break
    return Query(text=text, terms=tuple(terms))


# ---------------------------------------------------------------------------------- snippets


class _SameLength(dict):
    """str.translate table folding one character to one: positions in folded text are
    positions in the text as written, so a match can be marked where it was found."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            decomposed = unicodedata.normalize("NFD", ch)
            folded = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
            folded = folded.casefold()[:1] or ch
        self[code] = folded
        return folded


_SAME_LENGTH = _SameLength()


def fold_in_place(text: str) -> str:
    return text.translate(_SAME_LENGTH)


def match_spans(text: str, wanted: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) in `text` (NFC) of every word or number the query asked for; marks
    only a gap of spaces or punctuation apart are joined ("Đảng ủy", "58-CT/TW")."""
    wanted = frozenset(wanted)
    if not text or not wanted:
        return []
    folded = fold_in_place(text)
    spans = [m.span() for m in WORD.finditer(folded) if m.group(0) in wanted]
    spans += [
        m.span()
        for m in NUMBER.finditer(folded)
        if wanted.intersection(number_variants(m.group(0)))
    ]
    result: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if result and (
            start <= result[-1][1]
            or (start - result[-1][1] <= 3 and not WORD.search(folded, result[-1][1], start))
        ):
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result


def snippet_window(text: str, spans: list[tuple[int, int]], width: int = 220) -> tuple[int, int]:
    """The part of `text` to show: around the first match, cut at spaces."""
    if len(text) <= width:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 4)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end
