"""Vietnamese text folding: the one way text is compared across the product."""

import re
import unicodedata

from django.utils.text import Truncator

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold for matching: NFC-insensitive, case-insensitive, accent-insensitive, đ→d.

    "Uỷ ban" and "Ủy ban" (old and new tone placement) fold to the same key, as do
    decomposed and composed forms. Stored text always keeps its original form.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().casefold()


def normalize(text: str) -> str:
    """NFC with single spaces: what is stored for names typed or imported."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def clip(text: str, length: int) -> str:
    """What the template filter `truncatechars:length` writes, for a list that clips
    hundreds of texts: most are short and already NFC, and the filter walks every
    character of each to count it."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)
