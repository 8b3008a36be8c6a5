"""After the sections: closing sentence, recipients, signature, annexes and footnotes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import fold_same, is_caps
from .result import Recipient, Signature

AUTHORITY = re.compile(r"^(?:T/M|TM\.?|T\.M\.?|THAY MẶT)\s*(?=\S)")
DEPUTY = re.compile(r"^(?:K/T|KT\.?|K\.T\.?|T/L|TL\.?|T\.L\.?|TUQ\.?|Q\.)\s*(?=\S)")
RECIPIENTS = re.compile(r"^nơi\s+nhận\s*:?\s*", re.IGNORECASE)
ANNEX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s|$|:|\.)")
_SIGNED = re.compile(
    r"^[(\[]?\s*(?:đã\s+ký|ký(?:\s+tên)?(?:,?\s+(?:đóng dấu|ghi rõ họ tên))*|chữ ký|signed)"
    r"[^)\]]{0,30}[)\]]?$",
    re.IGNORECASE,
)
_NOTE = re.compile(r"\s*(?:[“\"«]([^”\"»]{1,80})[”\"»]|\(([^()]{1,80})\))\s*[,;.]?\s*$")
_ITEM_SPLIT = re.compile(r"(?:^|(?<=[,;.]))\s*[-+•]\s+")
_FOOTNOTE = re.compile(r"^(?:\(\d{1,3}\)|\[\d{1,3}\]|\d{1,3}[.)]?|\*{1,3})\s+\S")


def is_closing(line: str) -> bool:
    return fold_same(line).startswith(("tren day la", "tren day "))


def is_signature_start(line: str) -> bool:
    return bool((AUTHORITY.match(line) or DEPUTY.match(line)) and is_caps(line))


def is_name(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 6 and all(
        word[0].isupper()
        and word[1:].rstrip(".").replace("-", "").isalpha()
        and word[1:].rstrip(".").replace("-", "").islower()
        or len(word) == 1
        and word.isupper()
        for word in words
    )


def recipient(text: str) -> Recipient | None:
    text = text.strip().lstrip("-+•").strip()
    note = ""
    match = _NOTE.search(text)
    if match and match.start() > 0:
        note = (match.group(1) or match.group(2) or "").strip()
        text = text[: match.start()]
    name = text.strip().rstrip(",;.").strip()
    return Recipient(name=name, note=note) if name else None


@dataclass
class Tail:
    recipients: list[Recipient] = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)
    annexes: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    # line indices, for spans
    recipient_lines: list[int] = field(default_factory=list)
    signature_lines: list[int] = field(default_factory=list)
    annex_lines: list[list[int]] = field(default_factory=list)
    footnote_lines: list[int] = field(default_factory=list)


def parse_tail(lines: list[tuple[int, str]]) -> Tail:
    """Reads recipients, signature, annexes and footnotes, in whatever order they come."""
    tail = Tail()
    state = ""
    signature = tail.signature
    annex: list[str] | None = None
    for index, line in lines:
        if ANNEX.match(line) and (is_caps(line[:8]) or state in ("signature", "done")):
            annex = [line]
            tail.annexes.append(line)
            tail.annex_lines.append([index])
            state = "annex"
            continue
        if state == "annex" and annex is not None:
            annex.append(line)
            tail.annexes[-1] = "\n".join(annex)
            tail.annex_lines[-1].append(index)
            continue
        recipients = RECIPIENTS.match(line)
        if recipients:
            state = "recipients"
            tail.recipient_lines.append(index)
            rest = line[recipients.end() :]
            _add_recipients(tail, rest, index)
            continue
        if AUTHORITY.match(line) and is_caps(line):
            signature.authority = line.strip()
            state = "signature"
            tail.signature_lines.append(index)
            continue
        if DEPUTY.match(line) and is_caps(line):
            signature.deputy = line.strip()
            state = "signature"
            tail.signature_lines.append(index)
            continue
        if _SIGNED.match(line) and state in ("signature", "recipients", ""):
            tail.signature_lines.append(index)
            continue
        bullet = line.startswith(("-", "+", "•"))
        if (state == "recipients" and (bullet or not _signature_like(line))) or (
            bullet and tail.recipient_lines
        ):
            _add_recipients(tail, line, index)
            continue
        if is_caps(line) and not signature.name and state != "done":
            if signature.title:
                signature.title = f"{signature.title} {line.strip()}"
            else:
                signature.title = line.strip()
            state = "signature"
            tail.signature_lines.append(index)
            continue
        signed_by = signature.title or signature.authority or signature.deputy or state == ""
        if is_name(line) and not signature.name and state != "done" and signed_by:
            signature.name = line.strip()
            tail.signature_lines.append(index)
            state = "done"
            continue
        if state in ("done", "signature") or _FOOTNOTE.match(line):
            tail.footnotes.append(_FOOTNOTE_MARK.sub("", line).strip())
            tail.footnote_lines.append(index)
    return tail


_FOOTNOTE_MARK = re.compile(r"^(?:\(\d{1,3}\)|\[\d{1,3}\]|\d{1,3}[.)]?|\*{1,3})\s+(?=\S)")


def _signature_like(line: str) -> bool:
    return is_caps(line) or is_name(line) or bool(_SIGNED.match(line))


def _add_recipients(tail: Tail, text: str, index: int) -> None:
    text = text.strip()
    if not text:
        return
    for part in _ITEM_SPLIT.split(text):
        item = recipient(part)
        if item:
            tail.recipients.append(item)
    if index not in tail.recipient_lines:
        tail.recipient_lines.append(index)
