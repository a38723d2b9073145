"""Procedure search that understands how citizens ask (docs/decisions/search.md).

With or without diacritics, in everyday words ("sổ đỏ", "sao y", "hộ khẩu"), with small typos,
ranked so the common procedure comes before its special cases. Plain Python over an in-memory
index of the catalogue (``store``): works the same on SQLite and PostgreSQL, needs no model.
The method was chosen and is measured by ``bench/search_eval.py``.
"""

from __future__ import annotations

from collections.abc import Collection

from motcua.catalog.search.plain import plain_search
from motcua.catalog.search.query import parse
from motcua.catalog.search.ranking import Hit, rank
from motcua.catalog.search.store import current_index

__all__ = ["Hit", "search"]


def search(text: str, *, among: Collection[int] | None = None) -> list[Hit]:
    """Procedures (active or not) matching ``text``, best first; ``among``: only these pks."""
    index = current_index()
    if index is None:  # the process started a moment ago and is still building it
        return plain_search(text, among=among)
    return rank(parse(text, index), index, among)
