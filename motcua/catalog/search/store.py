"""The index of the catalogue as it is now, built lazily and kept in the process.

Every search first asks the database for a cheap fingerprint of the catalogue (row counts, the
latest ``updated_at``, the sector names' total length); the index is rebuilt when it differs,
so an import, an admin edit or a test's change is seen by the next search in every process.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from django.db.models import Count, Max, Sum
from django.db.models.functions import Length

from motcua.catalog.models import Procedure, ResultDocument, Sector
from motcua.catalog.search.index import Row, SearchIndex, build_index

_lock = threading.Lock()
_cached: tuple[tuple[object, ...], SearchIndex] | None = None


def fingerprint() -> tuple[object, ...]:
    procedures = Procedure.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    sectors = Sector.objects.aggregate(n=Count("id"), chars=Sum(Length("name")))
    return (procedures["n"], procedures["t"], sectors["n"], sectors["chars"])


def _rows() -> list[Row]:
    results: defaultdict[int, list[str]] = defaultdict(list)
    for procedure_id, name in ResultDocument.objects.order_by(
        "procedure_id", "position"
    ).values_list("procedure_id", "name"):
        results[procedure_id].append(name)
    return [
        Row(pk=pk, code=code, name=name, sector=sector or "", results=tuple(results[pk]))
        for pk, code, name, sector in Procedure.objects.order_by("code").values_list(
            "pk", "code", "name", "sector__name"
        )
    ]


def current_index() -> SearchIndex:
    """The index of the catalogue in the database now."""
    global _cached
    key = fingerprint()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        cached = _cached
        if cached is not None and cached[0] == key:
            return cached[1]
        index = build_index(_rows())
        _cached = (key, index)
        return index
