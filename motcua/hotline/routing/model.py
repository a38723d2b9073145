"""Which sector a hotline message is about: multinomial naive Bayes over Vietnamese syllables.

Pure Python and no Django, so it can be trained and measured on any list of examples. Text is
folded (no diacritics, lower case: people write both ways), hotline filler ("cho em hỏi", "ạ")
is dropped, everyday words are expanded with the catalogue's wording ("sổ đỏ" also counts as
"giấy chứng nhận quyền sử dụng đất"), and the features are syllables and syllable pairs.

Plain multinomial naive Bayes lets the many words every sector shares ("cấp", "giấy", "đăng
ký") outvote the one that matters ("khai sinh"), and lets long procedure names outweigh short
messages. Each example's counts are therefore dampened, weighted by inverse label frequency and
scaled to one length before counting (Rennie et al., "Tackling the Poor Assumptions of Naive
Bayes Text Classifiers", ICML 2003).

Naive Bayes is far too sure of itself because it counts every syllable as independent
evidence; the scores go through a softmax with a temperature fitted by cross-validation on the
hotline-style examples, so that a confidence of 0.8 is right about as often as it says.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

from motcua.core.text import fold

_SYLLABLE = re.compile(r"[a-z0-9]+")

# Phrases of the hotline that open or close a message whatever it is about. Removed as whole
# phrases so that "hỏi" in "thu hồi" or "hộ" in "hộ kinh doanh" survive.
FILLER_PHRASES: tuple[str, ...] = (
    "toi muon hoi",
    "toi xin hoi",
    "toi can hoi",
    "cho toi hoi",
    "cho em hoi",
    "cho minh hoi",
    "cho chau hoi",
    "cho hoi",
    "xin hoi",
    "em muon hoi",
    "minh muon hoi",
    "muon hoi",
    "hoi ve",
    "hoi chut",
    "hoi xiu",
    "thu tuc",
    "xin chao",
    "chao anh chi",
    "anh chi",
    "cam on",
    "thank",
    "thanks",
    "nhu the nao",
    "the nao",
    "lam sao",
    "o dau",
    "bao lau",
    "bao nhieu",
    "can gi",
    "can nhung gi",
    "giay to gi",
    "duoc khong",
    "co duoc khong",
    "phai lam gi",
    "vui long",
    "huong dan",
    "giup em",
    "giup toi",
    "giup minh",
    "dum em",
    "dum toi",
)

# Single words with no sector in them: pronouns, particles, politeness and question words,
# with the texting shorthand for them. Only words that stay empty when folded: "có" is also
# "cơ", "hộ" is "hỏi" and "hồi", "can" is "căn" (cước), "sao" is "bản sao", "nha" is "nhà",
# "làm" is "lâm" (nghiệp), "muốn" is "mượn" (nhà). The idf weighting takes care of those.
STOP_WORDS: frozenset[str] = frozenset(
    {
        *("toi", "tui", "em", "chau", "anh", "ad", "admin", "ae"),
        *("a", "ah", "ak", "nhe", "nhen", "oi", "z", "vs", "r", "roi", "luon"),
        *("ko", "k", "kg", "khong", "hk", "j", "gi", "nao", "la", "va", "voi"),
        *("cua", "cac", "nhung", "duoc", "dc", "xin", "giup", "dum"),
        *("kia", "ay", "nay"),
    }
)

# A boundary where filler was cut out or a sentence ends: no syllable pair spans it.
_BREAK = ""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    weight: float = 1.0


_PUNCTUATION = re.compile(r"[.,;:!?\n()]+")

# Phrase → what it stands for: each a list of syllable runs. Looked up by first syllable.
Phrases = dict[str, list[tuple[list[str], list[list[str]]]]]


def _by_first_word(phrases: Mapping[str, Sequence[str]]) -> Phrases:
    """Folded phrases and their values, indexed by first syllable, longest phrase first."""
    index: Phrases = defaultdict(list)
    for phrase, values in phrases.items():
        words = _SYLLABLE.findall(fold(phrase))
        runs = [_SYLLABLE.findall(run) for v in values for run in _PUNCTUATION.split(fold(v))]
        if words:
            index[words[0]].append((words, [run for run in runs if run]))
    for candidates in index.values():
        candidates.sort(key=lambda c: -len(c[0]))
    return dict(index)


def _match(words: list[str], i: int, index: Phrases) -> tuple[list[str], list[list[str]]] | None:
    for phrase, values in index.get(words[i], ()):
        if words[i : i + len(phrase)] == phrase:
            return phrase, values
    return None


class Featurizer:
    """Text → bag of features (syllables ``"dat"`` and pairs ``"so do"``).

    ``synonyms``: everyday phrase → the catalogue's wordings for it, as people write them
    (``motcua.catalog.search.synonyms.COLLOQUIAL``).
    """

    def __init__(self, synonyms: Mapping[str, Sequence[str]] | None = None) -> None:
        self._filler = _by_first_word(dict.fromkeys(FILLER_PHRASES, ()))
        self._synonyms = _by_first_word(synonyms or {})

    def tokens(self, text: str) -> list[str]:
        """Folded syllables with filler phrases replaced by a break."""
        out: list[str] = []
        for sentence in _PUNCTUATION.split(fold(text)):
            words = _SYLLABLE.findall(sentence)
            i = 0
            while i < len(words):
                filler = _match(words, i, self._filler)
                if filler:
                    out.append(_BREAK)
                    i += len(filler[0])
                else:
                    out.append(words[i])
                    i += 1
            out.append(_BREAK)
        return out

    def features(self, text: str) -> Counter[str]:
        words = self.tokens(text)
        bag: Counter[str] = Counter()
        # The catalogue's wording for an everyday phrase counts too. The phrase keeps its
        # syllables but not its pairs: "lam lai" would only repeat "cap lai", and would count
        # hard against every sector whose examples happen to say it the catalogue's way.
        unpaired: set[int] = set()
        for i in range(len(words)):
            found = _match(words, i, self._synonyms)
            if found:
                unpaired.update(range(i, i + len(found[0]) - 1))
                for run in found[1]:
                    _count(run, bag)
        _count(words, bag, unpaired)
        return bag


def _count(words: Sequence[str], bag: Counter[str], unpaired: Container[int] = ()) -> None:
    """Add syllables and adjacent pairs to ``bag``; no pair starts at an ``unpaired`` index."""
    kept = [_BREAK if w in STOP_WORDS else w for w in words]
    for i, word in enumerate(kept):
        if word == _BREAK:
            continue
        bag[word] += 1
        if i not in unpaired and i + 1 < len(kept) and kept[i + 1] != _BREAK:
            bag[f"{word} {kept[i + 1]}"] += 1


@dataclass
class Classifier:
    """A trained model: ``predict(text)`` gives (label, probability) pairs, most likely first."""

    featurizer: Featurizer
    labels: list[str]
    # Inverse label frequency per feature: "cấp", "giấy" occur under every label, "khai sinh"
    # under one. Also the vocabulary: a feature without a weight was never seen.
    idf: dict[str, float]
    # feature → {label index: weighted mass}; sparse, because most features belong to few labels.
    mass: dict[str, dict[int, float]]
    # Per label: log of (total mass + alpha·vocabulary), the likelihood's denominator.
    log_totals: list[float]
    log_prior: list[float]
    alpha: float
    temperature: float = 1.0

    def vector(self, features: Mapping[str, int]) -> dict[str, float]:
        """Dampened counts × idf, scaled to one length: a long procedure name counts as much as
        a short message, and a syllable said three times not three times as much."""
        vector = {f: math.log1p(n) * self.idf[f] for f, n in features.items() if f in self.idf}
        norm = math.sqrt(sum(x * x for x in vector.values()))
        return {f: LENGTH * x / norm for f, x in vector.items()} if norm else {}

    def scores(self, text: str) -> list[float] | None:
        """Unnormalised log posteriors per label; None when no feature of the text is known."""
        return self._scores(self.featurizer.features(text))

    def _scores(self, features: Mapping[str, int]) -> list[float] | None:
        vector = self.vector(features)
        if not vector:
            return None
        seen = sum(vector.values())
        log_alpha = math.log(self.alpha)
        out = [
            prior + seen * (log_alpha - total)
            for prior, total in zip(self.log_prior, self.log_totals, strict=True)
        ]
        for feature, x in vector.items():
            for label, mass in self.mass.get(feature, {}).items():
                out[label] += x * (math.log(mass + self.alpha) - log_alpha)
        return out

    def predict(self, text: str) -> list[tuple[str, float]]:
        raw = self.scores(text)
        if raw is None:
            return []
        probabilities = softmax(raw, self.temperature)
        ranked = sorted(range(len(raw)), key=lambda i: (-probabilities[i], self.labels[i]))
        return [(self.labels[i], probabilities[i]) for i in ranked]


# The length every example's vector is scaled to; with ALPHA it sets how far one example
# moves the likelihoods. Chosen by cross-validation on the train split, as were the others.
LENGTH = 4.0
ALPHA = 0.1
# Added to each label's count of hotline examples for the prior (see ``fit``).
PRIOR_SMOOTHING = 1.0


def softmax(scores: Sequence[float], temperature: float) -> list[float]:
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


# An example as the featurizer sees it: (features, label, weight).
Counted = tuple[Mapping[str, int], str, float]


def fit(
    examples: Iterable[Example],
    *,
    featurizer: Featurizer,
    asked: Iterable[str] = (),
    alpha: float = ALPHA,
) -> Classifier:
    """Count features per label (temperature 1: see ``train`` for the calibrated model).

    ``asked``: the labels of hotline messages, one per message, for the prior. The catalogue
    has 142 customs procedures and 41 for civil status, but citizens ask about the second far
    more: the prior is how often a label is asked, smoothed so that every label stays possible.
    """
    counted = [(featurizer.features(e.text), e.label, e.weight) for e in examples]
    return _fit(counted, featurizer=featurizer, asked=Counter(asked), alpha=alpha)


def _fit(
    examples: Sequence[Counted], *, featurizer: Featurizer, asked: Counter[str], alpha: float
) -> Classifier:
    labels = sorted({label for _features, label, _weight in examples})
    index = {label: i for i, label in enumerate(labels)}
    under: defaultdict[str, set[int]] = defaultdict(set)
    for features, label, _weight in examples:
        for feature in features:
            under[feature].add(index[label])
    model = Classifier(
        featurizer=featurizer,
        labels=labels,
        idf={f: math.log(len(labels) / len(seen)) + 1 for f, seen in under.items()},
        mass={},
        log_totals=[],
        log_prior=[],
        alpha=alpha,
    )
    mass: defaultdict[str, defaultdict[int, float]] = defaultdict(lambda: defaultdict(float))
    totals = [0.0] * len(labels)
    for features, label, weight in examples:
        for feature, x in model.vector(features).items():
            mass[feature][index[label]] += x * weight
            totals[index[label]] += x * weight
    model.mass = {f: dict(by_label) for f, by_label in mass.items()}
    model.log_totals = [math.log(t + alpha * len(mass)) for t in totals]
    everything = sum(asked[label] + PRIOR_SMOOTHING for label in labels)
    model.log_prior = [math.log((asked[label] + PRIOR_SMOOTHING) / everything) for label in labels]
    return model


TEMPERATURES = tuple(round(0.5 * 1.25**k, 3) for k in range(25))  # 0.5 … ~106


def fit_temperature(scored: Sequence[tuple[Sequence[float], int]]) -> float:
    """The temperature with the least negative log-likelihood of the true labels."""
    if not scored:
        return 1.0

    def loss(temperature: float) -> float:
        return -sum(math.log(max(softmax(raw, temperature)[truth], 1e-12)) for raw, truth in scored)

    return min(TEMPERATURES, key=loss)


def train(
    examples: Sequence[Example],
    *,
    asked: Sequence[Example] = (),
    featurizer: Featurizer | None = None,
    alpha: float = ALPHA,
    folds: int = 5,
) -> Classifier:
    """Train on reference ``examples`` (the catalogue) and hotline messages (``asked``).

    The messages also give the prior and the temperature. For the temperature each message is
    scored by a model that did not see it (``folds``-fold cross-validation), because on its
    own training data naive Bayes looks surer than it is.
    """
    featurizer = featurizer or Featurizer()
    base = [(featurizer.features(e.text), e.label, e.weight) for e in examples]
    messages = [(featurizer.features(e.text), e.label, e.weight) for e in asked]
    scored: list[tuple[Sequence[float], int]] = []
    if len(messages) >= folds:
        for k in range(folds):
            rest = [m for i, m in enumerate(messages) if i % folds != k]
            model = _fit(
                [*base, *rest],
                featurizer=featurizer,
                asked=Counter(label for _f, label, _w in rest),
                alpha=alpha,
            )
            position = {label: i for i, label in enumerate(model.labels)}
            for features, label, _weight in messages[k::folds]:
                raw = model._scores(features)
                if raw is not None and label in position:
                    scored.append((raw, position[label]))
    model = _fit(
        [*base, *messages],
        featurizer=featurizer,
        asked=Counter(label for _f, label, _w in messages),
        alpha=alpha,
    )
    model.temperature = fit_temperature(scored)
    return model
