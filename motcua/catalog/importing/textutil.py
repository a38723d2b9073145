"""Small text helpers shared by the field parsers (character classes, excerpts, brackets)."""

from __future__ import annotations

import unicodedata

from motcua.core.text import normalize

NOT_STATED = "Không có thông tin"


def _latin_letters(predicate: str) -> str:
    chars = (chr(code) for code in range(0x41, 0x1F00))
    picked = [
        c for c in chars if getattr(c, predicate)() and unicodedata.name(c, "").startswith("LATIN")
    ]
    return "".join(picked)


# Regex character classes for Vietnamese letters: the crawler glued table cells together
# without separators, and case changes ("…hồ sơMẫu số 01") are often the only cell boundary.
UPPER = f"[{_latin_letters('isupper')}]"
LOWER = f"[{_latin_letters('islower')}]"


def clean(text: object) -> str:
    """Normalised text, with the portal's "Không có thông tin" read as empty."""
    value = normalize(text if isinstance(text, str) else "" if text is None else str(text))
    return "" if value.casefold() == NOT_STATED.casefold() else value


def excerpt(text: str, limit: int = 80) -> str:
    """A short sample of ``text`` for a problem report."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def closing_paren(text: str, start: int) -> int:
    """Index of the ")" matching the "(" at ``start``, or -1 if it is never closed."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1
