"""Searching the published answers (the public Q&A at /hoi-dap/, and the operators'
knowledge base): Vietnamese with or without diacritics.

The query is folded like ``PublicAnswer.search_text`` (lower-case, no diacritics, đ → d) and
split into words; a word matches where a word of the text starts with it ("khai" finds "khai
sinh", not "nkhai"). Answers holding every word come first, newest first; when none holds them
all, those holding any are listed, most words matched first, so a long question still finds
something. Only published answers are ever returned.

A LIKE over the folded text reads every published row: fine for the thousands of answers a
province publishes; a full-text index is the next step if that grows by orders of magnitude.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import add, or_

from django.db.models import Case, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat

from motcua.core.text import fold
from motcua.hotline.models import PublicAnswer

MAX_WORDS = 8
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class AnswerSearch:
    answers: QuerySet[PublicAnswer]
    # False when no answer holds every word and the list is the nearest ones.
    complete: bool


def query_words(q: str) -> list[str]:
    return list(dict.fromkeys(_WORD.findall(fold(q))))[:MAX_WORDS]


def published_answers() -> QuerySet[PublicAnswer]:
    return PublicAnswer.objects.filter(published=True)


def search_answers(q: str = "", *, sector_id: int | None = None) -> AnswerSearch:
    answers = published_answers().select_related("sector")
    if sector_id is not None:
        answers = answers.filter(sector_id=sector_id)
    words = query_words(q)
    if not words:
        return AnswerSearch(answers.order_by("-published_at", "-id"), complete=True)
    # A leading space lets " word" match at the start of any word, the first one included.
    padded = answers.annotate(
        padded_text=Concat(Value(" "), "search_text", output_field=TextField())
    )
    hits = [Q(padded_text__contains=f" {word}") for word in words]
    every = padded.filter(*hits)
    if every.exists():
        return AnswerSearch(every.order_by("-published_at", "-id"), complete=True)
    one = Value(1, output_field=IntegerField())
    zero = Value(0, output_field=IntegerField())
    matched = reduce(add, [Case(When(hit, then=one), default=zero) for hit in hits])
    nearest = (
        padded.filter(reduce(or_, hits))
        .annotate(matched=matched)
        .order_by("-matched", "-published_at", "-id")
    )
    return AnswerSearch(nearest, complete=False)
