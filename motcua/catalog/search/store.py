"""The index of the catalogue as it is now, kept in the process.

Every search first asks the database for a cheap fingerprint of the catalogue (row counts, the
latest ``updated_at``, the sector names' total length); the index is rebuilt when it differs,
so an import, an admin edit or a test's change is seen by the next search in every process.

A process that serves citizens calls ``build_in_background()`` when it starts (config/wsgi.py,
config/asgi.py): from then on the index is only ever built on a thread of its own, so no
request waits for it. Until the first index is built ``current_index()`` answers None and the
search falls back to the plain database search (``plain``); after a catalogue change it
answers the previous index while the next one is built (docs/decisions/search.md). Elsewhere
(commands, tasks, tests) the first search builds the index on the caller's thread.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length

from motcua.catalog.models import Procedure, ResultDocument, Sector
from motcua.catalog.search.index import Row, SearchIndex, build_index

logger = logging.getLogger(__name__)

_lock = threading.Lock()  # one build at a time
_starting = threading.Lock()
_cached: tuple[tuple[object, ...], SearchIndex] | None = None
_in_background = False
_builder: threading.Thread | None = None


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


def current_index() -> SearchIndex | None:
    """The index of the catalogue in the database now; None while a process that builds in
    the background has none yet (the caller then searches the database)."""
    key = fingerprint()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    if _in_background:
        build_in_background()
        return cached[1] if cached is not None else None
    return refresh()


def refresh() -> SearchIndex:
    """Build the index of the catalogue now, unless the one kept is of the same catalogue."""
    global _cached
    with _lock:
        # The fingerprint is taken before the rows: a change made during the build leaves
        # the index behind its key, so the next search builds again.
        key = fingerprint()
        cached = _cached
        if cached is not None and cached[0] == key:
            return cached[1]
        index = build_index(_rows())
        _cached = (key, index)
        return index


def build_in_background() -> threading.Thread:
    """Build the index on a thread of its own (unless one is building already), and from now
    on in this process never build it on a caller's thread."""
    global _in_background, _builder
    with _starting:
        _in_background = True
        if _builder is None or not _builder.is_alive():
            _builder = threading.Thread(
                target=_build_off_request, name="catalogue-search-index", daemon=True
            )
            _builder.start()
        return _builder


def _build_off_request() -> None:
    try:
        refresh()
    except Exception:  # searches go on from the database; the next one tries again
        logger.exception("catalogue search index not built")
    finally:
        connection.close()  # this thread's own connection


def forget() -> None:
    """Drop the index and build on the caller's thread again, as a new process would (tests)."""
    global _cached, _in_background
    with _lock:
        _cached = None
        _in_background = False
