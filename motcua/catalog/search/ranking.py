"""Relevance of each procedure to a parsed query.

score = BM25F × specificity × variant × match^MATCH_POWER, where
- BM25F sums, per group the citizen asked for, the best alternative's syllable and bigram
  weights; a bigram is a word ("khai sinh", "tạm trú"), so matching it counts on its own;
- specificity is how much of the head of the procedure's name (what it is, before "cho …",
  "đối với …", "(…)") the query accounts for: a query that contains a whole short name
  ("đăng ký tạm trú cho người thuê trọ") is about that procedure;
- variant is ``VARIANT`` when the name has a special-case wording (``language.VARIANTS``)
  the query does not ask for, so the plain procedure comes before "… có yếu tố nước ngoài",
  "… lưu động", "đăng ký lại …", "cấp đổi …";
- match is the idf-weighted share of the query's syllables and words the procedure has,
  relative to the best-matching procedure; below ``MIN_MATCH`` it is not listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from motcua.catalog.search.index import SearchIndex
from motcua.catalog.search.language import FUNCTION_WORDS
from motcua.catalog.search.query import Group, Query
from motcua.catalog.search.terms import bigram, bigrams

BIGRAM = 1.0
SPECIFICITY = 0.7
VARIANT = 0.7
MATCH_POWER = 2.0
MIN_MATCH = 0.4
MODIFIER = 0.5
CODE_BONUS = 1000.0


@dataclass(frozen=True)
class Hit:
    pk: int
    code: str
    score: float


@dataclass
class _Tally:
    relevance: defaultdict[int, float] = field(default_factory=lambda: defaultdict(float))
    matched: defaultdict[int, float] = field(default_factory=lambda: defaultdict(float))
    weight: float = 0.0
    terms: set[str] = field(default_factory=set)

    def add(self, best: dict[int, float], share: dict[int, float], weight: float) -> None:
        self.weight += weight
        for doc, value in best.items():
            self.relevance[doc] += value
        for doc, fraction in share.items():
            self.matched[doc] += weight * fraction


def _is_function_word(group: Group) -> bool:
    return group.size == 1 and group.alternatives[0].tokens[0] in FUNCTION_WORDS


def _score_group(group: Group, index: SearchIndex, tally: _Tally, emphasis: float) -> None:
    best: dict[int, float] = {}
    best_share: dict[int, float] = {}
    group_weight = 0.0
    for alternative in group.alternatives:
        tokens = list(alternative.tokens)
        units = [(t, index.idf[t]) for t in tokens + bigrams(tokens) if t in index.idf]
        mass = sum(idf for _t, idf in units)
        if not mass:
            continue
        tally.terms.update(tokens)
        # A long official wording stands for the few syllables typed: it counts as many.
        scale = group.size / len(tokens) * emphasis
        group_weight = max(group_weight, mass * scale)
        relevance: defaultdict[int, float] = defaultdict(float)
        share: defaultdict[int, float] = defaultdict(float)
        for term, idf in units:
            factor = BIGRAM if " " in term else 1.0
            for doc, weight in index.weights(term).items():
                relevance[doc] += factor * weight
                share[doc] += idf / mass
        for doc, value in relevance.items():
            value *= scale * alternative.weight
            if value > best.get(doc, 0.0):
                best[doc] = value
            fraction = share[doc] * alternative.weight
            if fraction > best_share.get(doc, 0.0):
                best_share[doc] = fraction
    if group_weight:
        tally.add(best, best_share, group_weight)


def _score_join(
    left: Group, right: Group, index: SearchIndex, tally: _Tally, emphasis: float
) -> None:
    """Two groups typed side by side that the catalogue also writes side by side."""
    if _is_function_word(right):  # "sinh cho" says nothing; "cho thuê" does
        return
    best: dict[int, float] = {}
    share: dict[int, float] = {}
    weight = 0.0
    for a in left.alternatives:
        for b in right.alternatives:
            term = bigram(a.tokens[-1], b.tokens[0])
            if term not in index.idf:
                continue
            confidence = min(a.weight, b.weight)
            weight = max(weight, index.idf[term] * emphasis)
            for doc, value in index.weights(term).items():
                value *= BIGRAM * confidence * emphasis
                if value > best.get(doc, 0.0):
                    best[doc] = value
                    share[doc] = confidence
    if weight:
        tally.add(best, share, weight)


def _emphasis(groups: tuple[Group, ...]) -> list[float]:
    """What follows a preposition qualifies the request ("khai sinh | cho em bé mới sinh",
    "sửa tên | trong giấy khai sinh"): it counts, but less than what is asked for."""
    out = []
    current = 1.0
    for group in groups:
        current = MODIFIER if _is_function_word(group) else current
        out.append(current)
    return out


def _asks_for(variant: tuple[str, ...], terms: set[str]) -> bool:
    return all(word in terms for word in variant)


def rank(query: Query, index: SearchIndex, among: Collection[int] | None = None) -> list[Hit]:
    """Procedures matching ``query``, best first; ``among``: only these primary keys."""
    tally = _Tally()
    emphasis = _emphasis(query.groups)
    seen: set[tuple[object, ...]] = set()
    for group, weight in zip(query.groups, emphasis, strict=True):
        if not _is_function_word(group) and group.alternatives not in seen:
            seen.add(group.alternatives)  # a word typed twice is asked for once
            _score_group(group, index, tally, weight)
    for i, (left, right) in enumerate(zip(query.groups, query.groups[1:], strict=False)):
        _score_join(left, right, index, tally, emphasis[i + 1])
    named = {index.by_code[c] for c in query.codes if c in index.by_code}
    for doc in named:
        tally.relevance[doc] += CODE_BONUS

    allowed = None if among is None else {index.by_pk[pk] for pk in among if pk in index.by_pk}
    candidates = [d for d in tally.relevance if allowed is None or d in allowed]
    if not candidates:
        return []
    top_match = max(tally.matched[d] for d in candidates) or 1.0
    hits = []
    for doc in candidates:
        match = 1.0 if doc in named else tally.matched[doc] / top_match
        if match < MIN_MATCH:
            continue
        document = index.documents[doc]
        covered = sum(index.idf[t] for t in tally.terms & document.head_terms)
        specificity = 1 - SPECIFICITY + SPECIFICITY * covered / document.head_mass
        # One special case or several, the name is of a special case: penalised once.
        special = any(not _asks_for(v, tally.terms) for v in document.variants)
        variant = VARIANT if special else 1.0
        score = tally.relevance[doc] * specificity * variant * match**MATCH_POWER
        hits.append(Hit(pk=document.pk, code=document.code, score=score))
    hits.sort(key=lambda h: (-h.score, h.code))
    return hits
