"""People's names in a citizen's text (docs/hotline.md "Redaction"): the capitalised words
after an honorific, a kinship word or a name label ("ông Nguyễn Văn Tư", "bà Lê Thị Hoa",
"anh Tuấn", "con tên Khoa", "họ tên: TRẦN VĂN A"), and runs of two or more capitalised words
that start with a common surname ("con tôi là Trần Minh Khoa"); plus the ``names`` the caller
knows (the contact's own name).

Place and agency names are kept: the capitalised words after a place or agency word
("Phường Cao Lãnh", "Sở Tư pháp", "UBND xã Tân Hồng", "đường Nguyễn Huệ", "Trường THPT
Nguyễn Đình Chiểu"), and a short list of historical figures streets and schools are named
after ("số 12 Nguyễn Huệ"). A title after an honorific ("ông Chủ tịch xã") is not a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from motcua.hotline.redaction.folding import unaccent
from motcua.hotline.redaction.vocabulary import (
    ACRONYMS,
    BRANDS,
    COMMON_PAIRS,
    COMMON_PAIRS_ASCII,
    FILLERS,
    HONORIFICS,
    HONORIFICS_ASCII,
    LABELS,
    LABELS_ASCII,
    NAME_ENDS,
    NAME_ENDS_ASCII,
    NOT_NAMES,
    NOT_NAMES_ASCII,
    PLACE_HEADS,
    PLACE_HEADS_ASCII,
    PLACES,
    PLACES_ASCII,
    PUBLIC_NAMES,
    SURNAMES,
    SURNAMES_ASCII,
    TITLE_PHRASES,
)

# At most this many ``FILLERS`` between an honorific or label and the name.
MAX_FILLERS = 3
MAX_NAME_WORDS = 5
_WORD = re.compile(r"[^\W\d_]+")
_SPACE_GAP = re.compile(r"[ \t\u00a0]+")
_LABEL_GAP = re.compile(r"[ \t\u00a0]*:?[ \t\u00a0]*")


def known_names(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of ``names`` (the contact's own) in any case; a full name also without
    diacritics."""
    wanted: set[str] = set()
    for name in names:
        name = " ".join(unicodedata.normalize("NFC", name or "").split())
        if len(name) <= 2:
            continue
        wanted.add(name)
        if " " in name:  # "Lê Văn Tám" is also typed "Le Van Tam"
            wanted.add(unaccent(name))
    spans = []
    for name in sorted(wanted, key=len, reverse=True):
        pattern = rf"(?<!\w){re.escape(name)}(?!\w)"
        spans += [m.span() for m in re.finditer(pattern, text, flags=re.IGNORECASE)]
    return spans


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def folded(self) -> str:
        return unaccent(self.text).lower()

    @property
    def plain(self) -> bool:
        """Typed without any diacritics (so its folded form is all we know of it)."""
        return self.text.isascii()

    @property
    def title(self) -> bool:
        return self.text[0].isupper() and (len(self.text) == 1 or self.text[1:].islower())

    @property
    def caps(self) -> bool:
        return len(self.text) > 1 and self.text.isupper()

    @property
    def small(self) -> bool:
        return self.text.islower()

    def among(self, accented: frozenset[str], plain: frozenset[str]) -> bool:
        """In ``accented`` as typed, or — typed without diacritics — in ``plain``."""
        return self.lower in accented or (self.plain and self.folded in plain)


def _is_honorific(word: _Word) -> bool:
    return (word.small or word.title) and word.among(HONORIFICS, HONORIFICS_ASCII)


def _is_label(word: _Word) -> bool:
    return (word.small or word.title) and word.among(LABELS, LABELS_ASCII)


def _is_place(word: _Word) -> bool:
    """The first word of a place's or agency's name (see ``PLACES``)."""
    if word.plain and _is_honorific(word):
        return False
    if word.small:
        return word.among(PLACES, PLACES_ASCII) or (word.plain and word.folded == "duong")
    return word.among(PLACE_HEADS, PLACE_HEADS_ASCII)


def _is_surname(word: _Word) -> bool:
    return (word.title or word.caps) and word.among(SURNAMES, SURNAMES_ASCII)


def _is_name_word(word: _Word, following: _Word | None, *, caps: bool, inside: bool) -> bool:
    """A capitalised word that can be part of a name (all capitals too when ``caps``)."""
    if not (word.title or (caps and word.caps)):
        return False
    if word.caps and word.folded in ACRONYMS:
        return False
    if word.among(NOT_NAMES, NOT_NAMES_ASCII) or word.folded in BRANDS:
        return False
    if word.among(NAME_ENDS, NAME_ENDS_ASCII) or _is_label(word):
        return False
    # An honorific starts a name, it is not one; inside a name it is a given name ("Nguyễn
    # Thị Bé", "Lê Văn Út").
    if not inside and _is_honorific(word):
        return False
    return not (
        following is not None
        and following.small
        and (word.folded, following.folded) in TITLE_PHRASES
    )


def names_of_people(text: str) -> list[tuple[int, int]]:
    """Spans of the names found by the honorific, label and surname rules."""
    words = [_Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        word = words[i]
        if _is_label(word) or _is_honorific(word):
            start = _skip_fillers(text, words, i)
            label = _is_label(word) or start > i + 1
            end = start
            if start < len(words) and _adjacent(text, words[start - 1], words[start], _LABEL_GAP):
                end = _name_run(text, words, start, caps=label)
            if end > start and not _public_name(words, start, end, after=word):
                spans.append((words[start].start, words[end - 1].end))
                i = end
                continue
        elif _is_place(word):
            i = _after_place_name(text, words, i + 1)
            continue
        elif _is_surname(word):
            end = _name_run(text, words, i, caps=word.caps)
            if _public_name(words, i, end):
                i = end
                continue
            if end - i >= 2 and not _common_pair(word, words[i + 1]):
                spans.append((word.start, words[end - 1].end))
                i = end
                continue
        i += 1
    return spans


def _skip_fillers(text: str, words: list[_Word], i: int) -> int:
    """Where the name may start after the honorific or label at ``i``: past "tôi", "của",
    "là", "tên" and a colon ("con tôi là Khoa", "họ tên: Khoa")."""
    at = i + 1
    while (
        at < len(words)
        and at - i <= MAX_FILLERS
        and words[at].small
        and words[at].folded in FILLERS
        and _adjacent(text, words[at - 1], words[at], _LABEL_GAP)
    ):
        at += 1
    return at


def _adjacent(text: str, left: _Word, right: _Word, gap: re.Pattern[str] | None = None) -> bool:
    """Only spaces between the two words (or ``gap``: a colon after a label)."""
    return bool((gap or _SPACE_GAP).fullmatch(text[left.end : right.start]))


def _name_run(text: str, words: list[_Word], start: int, *, caps: bool) -> int:
    """The end (exclusive) of the run of name words starting at ``start`` and joined by
    spaces; ``start`` when there is none."""
    end = start
    while end < len(words) and end - start < MAX_NAME_WORDS:
        if end > start and not _adjacent(text, words[end - 1], words[end]):
            break
        following = words[end + 1] if end + 1 < len(words) else None
        if following is not None and not _adjacent(text, words[end], following):
            following = None
        if not _is_name_word(words[end], following, caps=caps, inside=end > start):
            break
        end += 1
    return end


def _after_place_name(text: str, words: list[_Word], start: int) -> int:
    """Past the capitalised (or all-caps) words naming a place or agency: "Phường Cao
    Lãnh", "UBND xã Tân Hồng", "Trường THPT Nguyễn Đình Chiểu"."""
    end = start
    while end < len(words) and _adjacent(text, words[end - 1], words[end]):
        word = words[end]
        if not (word.title or word.caps or _is_place(word)):
            break
        end += 1
    return end


def _common_pair(surname: _Word, following: _Word) -> bool:
    if (surname.lower, following.lower) in COMMON_PAIRS:
        return True
    return (
        surname.plain
        and following.plain
        and (surname.folded, following.folded) in COMMON_PAIRS_ASCII
    )


def _public_name(words: list[_Word], start: int, end: int, *, after: _Word | None = None) -> bool:
    run = tuple(w.folded for w in words[start:end])
    if after is not None and after.folded == "bac" and run == ("ho",):
        return True
    return any(run[: len(name)] == name for name in PUBLIC_NAMES)
