"""Vietnamese text without diacritics, for the rules that read words as typed without them
(docs/hotline.md "Redaction")."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one, so a match's position in the
    folded text is its position in the text."""
    return "".join(_fold_char(ch) for ch in text)


def unaccent(text: str) -> str:
    """Without diacritics, case kept: "Lê Văn Tám" → "Le Van Tam"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
