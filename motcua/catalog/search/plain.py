"""The plain database search, answered while the process has no index yet (``store``).

Each folded word of the query is looked for in ``Procedure.search_text`` (name, sector and
code without diacritics); procedures are ranked by the share of the words they contain, then
by code. No everyday words, typos or variants: the index does those, and is there a few
seconds after the process starts.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Case, IntegerField, Q, Value, When

from motcua.catalog.models import Procedure
from motcua.catalog.search.ranking import Hit
from motcua.core.text import fold

MAX_WORDS = 8
MAX_HITS = 300


def plain_search(text: str, *, among: Collection[int] | None = None) -> list[Hit]:
    """Procedures whose name, sector or code holds the query's words, most words first."""
    words = list(dict.fromkeys(fold(text).split()))[:MAX_WORDS]
    if not words:
        return []
    matched = sum(
        (
            Case(
                When(search_text__icontains=word, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for word in words
        ),
        start=Value(0),
    )
    found = Procedure.objects.filter(
        Q.create([("search_text__icontains", word) for word in words], connector=Q.OR)
    )
    if among is not None:
        found = found.filter(pk__in=among)
    rows = (
        found.annotate(matched=matched)
        .order_by("-matched", "code")
        .values_list("pk", "code", "matched")[:MAX_HITS]
    )
    return [Hit(pk=pk, code=code, score=round(n / len(words), 4)) for pk, code, n in rows]
