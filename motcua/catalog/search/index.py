"""The in-memory index: BM25F weights of syllables and syllable bigrams per procedure.

A procedure is three fields of text: its name (what it is), the names of its results (what the
citizen gets: "Giấy khai sinh", "Giấy chứng nhận quyền sử dụng đất…") and its sector. Each
term's weight in each procedure is precomputed (field-weighted, length-normalised, saturated,
times the term's idf), so ranking a query is a few dictionary look-ups.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from motcua.catalog.search.language import NAME_NOISE, QUALIFIERS, VARIANTS
from motcua.catalog.search.terms import bigrams, syllables, toned_syllables

# (field, weight, length normalisation b). The name says what the procedure is; results and
# sector only corroborate, and a sector name is one fixed phrase (no length to normalise).
FIELDS = (("name", 1.0, 0.5), ("results", 0.5, 0.75), ("sector", 0.3, 0.0))
K1 = 1.2


@dataclass(frozen=True)
class Row:
    """What the index reads of one procedure."""

    pk: int
    code: str
    name: str
    sector: str
    results: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    pk: int
    code: str
    head_terms: frozenset[str]  # syllables of what the procedure is (its name's head)
    head_mass: float  # sum of their idf
    variants: tuple[tuple[str, ...], ...]  # the VARIANTS its name has, as folded syllables


@dataclass(frozen=True)
class SearchIndex:
    documents: tuple[Document, ...]
    # term (a syllable, or two joined by a space) → {document index: weight}
    postings: dict[str, dict[int, float]]
    idf: dict[str, float]
    document_frequency: dict[str, int]  # syllables only: the vocabulary
    by_code: dict[str, int]
    by_pk: dict[int, int]

    def knows(self, term: str) -> bool:
        return term in self.postings

    def weights(self, term: str) -> dict[int, float]:
        return self.postings.get(term, {})


_NOISE = [tuple(phrase.split()) for phrase in NAME_NOISE]


def _strip_noise(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        noise = next((n for n in _NOISE if tuple(tokens[i : i + len(n)]) == n), None)
        if noise:
            i += len(noise)
        else:
            out.append(tokens[i])
            i += 1
    return out


_TONED_VARIANTS = [(tuple(toned_syllables(v)), tuple(syllables(v))) for v in VARIANTS]


def _variants(name: str) -> tuple[tuple[str, ...], ...]:
    words = toned_syllables(name)
    found = []
    for toned, folded in _TONED_VARIANTS:
        n = len(toned)
        if any(tuple(words[i : i + n]) == toned for i in range(len(words) - n + 1)):
            found.append(folded)
    return tuple(found)


_QUALIFIERS = [tuple(q.split()) for q in QUALIFIERS]


def _head(name: str) -> list[str]:
    """The name up to its first qualifier or parenthesis, without "Thủ tục"."""
    tokens = _strip_noise(syllables(name.split("(", 1)[0]))
    for i in range(2, len(tokens)):
        if any(tuple(tokens[i : i + len(q)]) == q for q in _QUALIFIERS):
            return tokens[:i]
    return tokens


def _field_terms(row: Row) -> dict[str, tuple[set[str], int]]:
    """Per field: the terms present (syllables and in-phrase bigrams) and its length."""
    phrases = {
        "name": [_strip_noise(syllables(row.name))],
        "results": [syllables(r) for r in row.results],
        "sector": [syllables(row.sector)],
    }
    out = {}
    for field, parts in phrases.items():
        terms: set[str] = set()
        for tokens in parts:
            terms.update(tokens)
            terms.update(bigrams(tokens))
        out[field] = (terms, sum(len(tokens) for tokens in parts))
    return out


def build_index(rows: Iterable[Row]) -> SearchIndex:
    rows = list(rows)
    fields = [_field_terms(row) for row in rows]
    total = max(len(rows), 1)
    average = {name: (sum(f[name][1] for f in fields) / total) or 1.0 for name, _w, _b in FIELDS}
    df: Counter[str] = Counter()
    for per_field in fields:
        df.update({term for terms, _n in per_field.values() for term in terms})
    idf = {term: math.log(1 + (total - n + 0.5) / (n + 0.5)) for term, n in df.items()}

    postings: dict[str, dict[int, float]] = {}
    documents = []
    for i, (row, per_field) in enumerate(zip(rows, fields, strict=True)):
        pseudo: defaultdict[str, float] = defaultdict(float)
        for name, weight, b in FIELDS:
            terms, length = per_field[name]
            norm = 1 - b + b * length / average[name]
            # Presence, not frequency: a name that says "đăng ký" twice is no more about it.
            for term in terms:
                pseudo[term] += weight / norm
        for term, tf in pseudo.items():
            postings.setdefault(term, {})[i] = idf[term] * tf * (K1 + 1) / (K1 + tf)
        head = frozenset(_head(row.name)) & idf.keys()
        documents.append(
            Document(
                pk=row.pk,
                code=row.code,
                head_terms=head,
                head_mass=sum(idf[t] for t in head) or 1.0,
                variants=_variants(row.name),
            )
        )
    return SearchIndex(
        documents=tuple(documents),
        postings=postings,
        idf=idf,
        document_frequency={t: n for t, n in df.items() if " " not in t},
        by_code={row.code: i for i, row in enumerate(rows)},
        by_pk={row.pk: i for i, row in enumerate(rows)},
    )
