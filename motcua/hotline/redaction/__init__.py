"""Removing personal data from a citizen's text before the public sees it (Decree
13/2023/NĐ-CP on personal data protection; docs/hotline.md "Redaction").

``redact`` is a pure function: text in, text out, each piece of personal data replaced by
``HIDDEN`` ("[đã ẩn]"). It never raises on any input. It catches, with or without diacritics,
numbers that identify someone, email addresses and dates of birth (``patterns``), and
people's names (``names``, with the word lists in ``vocabulary``), and keeps place and
agency names.

It is a heuristic and errs on the side of hiding. What it cannot see: names typed in lower
case ("ông tư ở ấp 3"), a name with no honorific and a rare surname, a single given name
with no honorific; the operator's review is still needed where a person approves the text
(``people=False`` then keeps the name rules off, see ``actions/publication.py``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from motcua.hotline.redaction.folding import fold_same_length
from motcua.hotline.redaction.names import MAX_FILLERS, MAX_NAME_WORDS, known_names, names_of_people
from motcua.hotline.redaction.patterns import MIN_ID_DIGITS, identifiers

__all__ = ["HIDDEN", "MAX_FILLERS", "MAX_NAME_WORDS", "MIN_ID_DIGITS", "redact"]

HIDDEN = "[đã ẩn]"


def redact(text: str, *, names: Iterable[str] = (), people: bool = True) -> str:
    """``text`` with every piece of personal data above replaced by ``HIDDEN``.

    ``names`` are names known to belong to the person who wrote (the contact's): hidden
    wherever they appear, in any case, and a full name also without diacritics. ``people``
    turns the name rules on (the default); a text a person has reviewed keeps the
    identifiers rule but not the guesses about names."""
    text = unicodedata.normalize("NFC", text)
    folded = fold_same_length(text)
    spans = identifiers(text, folded)
    spans += known_names(text, names)
    if people:
        spans += names_of_people(text)
    return _replace(text, spans)


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out += [text[at:start], HIDDEN]
        at = end
    out.append(text[at:])
    return "".join(out)
