"""Search terms: accent-free Vietnamese syllables, their bigrams, and spelling neighbours.

Vietnamese writes one syllable per space-separated word, so a folded syllable is the natural
unit; two-syllable words ("khai sinh", "hộ khẩu") are caught by adjacent-syllable bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from itertools import pairwise

from motcua.core.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_ACCENTED_WORD = re.compile(r"\w+")
# Grave, acute, tilde, hook above, dot below: the five tone marks.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_CODE = re.compile(r"\b\d\.\d{6}\b")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def syllables(text: str) -> list[str]:
    """Folded syllables of ``text``; numbers lose leading zeros ("mức độ 02" ~ "mức 2")."""
    out = []
    for word in _WORD.findall(fold(text)):
        if word.isdigit():
            word = word.lstrip("0") or "0"
        out.append(word)
    return out


def toned_syllables(text: str) -> list[str]:
    """Lower-case syllables with diacritics, the tone mark moved to the end of each, so the
    old and new placements ("hoà"/"hòa", "xoá"/"xóa") compare equal while "lại" ≠ "lái"."""
    out = []
    for word in _ACCENTED_WORD.findall(unicodedata.normalize("NFC", text.lower())):
        word = unicodedata.normalize("NFD", word)
        tones = "".join(c for c in word if c in _TONES)
        out.append(
            unicodedata.normalize("NFC", "".join(c for c in word if c not in _TONES)) + tones
        )
    return out


def bigram(first: str, second: str) -> str:
    return f"{first} {second}"


def bigrams(tokens: list[str]) -> list[str]:
    return [bigram(a, b) for a, b in pairwise(tokens)]


def procedure_codes(text: str) -> list[str]:
    """National procedure codes typed in the query ("1.001193")."""
    return _CODE.findall(text)


def deletions(word: str) -> Iterator[str]:
    """The word with one letter left out, each position once."""
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]


def edits1(word: str) -> set[str]:
    """Every string one insertion, deletion, substitution or transposition away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    out |= {a + c + b for a, b in splits for c in _ALPHABET}
    out.discard(word)
    return out
