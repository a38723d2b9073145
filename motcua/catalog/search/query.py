"""From what the citizen typed to groups of search terms.

1. Syllables are folded ("Đăng kí" → "dang ki"); procedure codes are kept apart.
2. A syllable the catalogue never uses is repaired to the nearest one that does (one edit),
   preferring one that makes a known word with its neighbour ("khai sinhh" → "khai sinh").
3. Colloquial phrases become the catalogue's wordings (``synonyms.COLLOQUIAL``), longest
   first; filler words of a question are dropped.
4. A syllable that makes no known word with either neighbour gets the sound-alike spelling
   that does as an alternative ("tạm chú" → "tạm trú").

Each group is one thing the citizen asked for; a procedure is scored by the group's best
alternative, so alternatives never add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from motcua.catalog.search.index import SearchIndex
from motcua.catalog.search.language import FILLER, FUNCTION_WORDS, sound_alikes
from motcua.catalog.search.synonyms import COLLOQUIAL
from motcua.catalog.search.terms import bigram, edits1, procedure_codes, syllables

SOUND_ALIKE = 0.8
MAX_PHRASE = 5
# A question is a few dozen syllables; no Vietnamese syllable has more than 7 letters, so a
# longer token is two run together at most. Bounds keep any input cheap to read.
MAX_CHARACTERS = 400
MAX_SYLLABLES = 40
MAX_REPAIRABLE = 14


@dataclass(frozen=True)
class Alternative:
    tokens: tuple[str, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Group:
    alternatives: tuple[Alternative, ...]
    size: int  # syllables the citizen typed for it


@dataclass(frozen=True)
class Query:
    groups: tuple[Group, ...]
    codes: tuple[str, ...]


@cache
def _colloquial() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    return {
        tuple(syllables(key)): tuple(tuple(syllables(v)) for v in values)
        for key, values in COLLOQUIAL.items()
    }


@cache
def _filler() -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(phrase.split()) for phrase in FILLER)


@cache
def _extra_vocabulary() -> frozenset[str]:
    """Syllables that are not catalogue words but mean something to the query."""
    words = {w for key in _colloquial() for w in key}
    words |= {w for phrase in _filler() for w in phrase}
    return frozenset(words)


def _repair(tokens: list[str], index: SearchIndex) -> list[str]:
    """Replace syllables nobody in the catalogue uses by their nearest used spelling."""
    extra = _extra_vocabulary()
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token.isdigit() or index.knows(token) or token in extra:
            out.append(token)
            continue
        neighbours = [n for n in (out[-1] if out else None, _next(tokens, i)) if n]
        best = _best_spelling(token, neighbours, index)
        if best:
            out.extend(best)
    return out


def _next(tokens: list[str], i: int) -> str | None:
    return tokens[i + 1] if i + 1 < len(tokens) else None


def _best_spelling(token: str, neighbours: list[str], index: SearchIndex) -> list[str]:
    if not 2 <= len(token) <= MAX_REPAIRABLE:
        return []
    candidates = [c for c in edits1(token) if c in index.document_frequency]
    if candidates:

        def fit(word: str) -> tuple[int, int, str]:
            joins = sum(
                index.knows(bigram(n, word)) or index.knows(bigram(word, n)) for n in neighbours
            )
            return (joins, index.document_frequency[word], word)

        return [max(candidates, key=fit)]
    # Two syllables typed without the space between them ("khaisinh").
    for cut in range(1, len(token)):
        first, second = token[:cut], token[cut:]
        if index.knows(bigram(first, second)):
            return [first, second]
    return []


def _segment(tokens: list[str], index: SearchIndex) -> list[Group]:
    colloquial = _colloquial()
    filler = _filler()
    groups: list[Group] = []
    i = 0
    while i < len(tokens):
        for length in range(min(MAX_PHRASE, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + length])
            if phrase in colloquial:
                alternatives = tuple(Alternative(tokens=t) for t in colloquial[phrase] if t)
                groups.append(Group(alternatives=alternatives, size=length))
                break
            # Filler, unless it ends a word with the syllable before ("trợ giúp").
            if phrase in filler and not _completes(tokens, i, index):
                break
        else:
            groups.append(Group(alternatives=(Alternative(tokens=(tokens[i],)),), size=1))
            length = 1
        i += length
    return groups


def _completes(tokens: list[str], start: int, index: SearchIndex) -> bool:
    """Whether the syllable at ``start`` ends a word the catalogue writes ("trợ giúp")."""
    return start > 0 and index.knows(bigram(tokens[start - 1], tokens[start]))


def _sound_alike(groups: list[Group], index: SearchIndex) -> list[Group]:
    """Offer the sound-alike spelling of a syllable that joins none of its neighbours."""
    out = list(groups)
    for i, group in enumerate(groups):
        # Only a plain syllable: a colloquial abbreviation ("gplx") already stands for words.
        if group.size != 1 or len(group.alternatives) != 1:
            continue
        if len(group.alternatives[0].tokens) != 1:
            continue
        (word,) = group.alternatives[0].tokens
        before = groups[i - 1].alternatives[0].tokens[-1:] if i > 0 else ()
        after = groups[i + 1].alternatives[0].tokens[:1] if i + 1 < len(groups) else ()
        # A function word joins anything, so it is no evidence either way.
        before = tuple(w for w in before if w not in FUNCTION_WORDS)
        after = tuple(w for w in after if w not in FUNCTION_WORDS)
        if word in FUNCTION_WORDS or (not before and not after):
            continue

        def joins(w: str, before: tuple[str, ...] = before, after: tuple[str, ...] = after) -> int:
            return sum(index.knows(bigram(b, w)) for b in before) + sum(
                index.knows(bigram(w, a)) for a in after
            )

        if joins(word):
            continue
        better = [v for v in sound_alikes(word) if joins(v)]
        if better:
            extra = tuple(Alternative(tokens=(v,), weight=SOUND_ALIKE) for v in sorted(better))
            out[i] = Group(alternatives=group.alternatives + extra, size=1)
    return out


def parse(text: str, index: SearchIndex) -> Query:
    text = text[:MAX_CHARACTERS]
    codes = tuple(procedure_codes(text))
    for code in codes:
        text = text.replace(code, " ")
    tokens = _repair(syllables(text)[:MAX_SYLLABLES], index)
    groups = _sound_alike(_segment(tokens, index), index)
    return Query(groups=tuple(groups), codes=codes)
