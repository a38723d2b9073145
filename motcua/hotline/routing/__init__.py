"""Routing suggestions for the 1022 hotline (docs/decisions/hotline.md "Routing suggestions"): which
sectors a citizen's message is about and which agency most likely answers it, best first, with a
confidence.

Operators decide; a channel may pre-route with the first suggestion. The model (``model``) is
trained in-process from the catalogue, the shipped labelled messages and the tickets operators
have classified (``training``), and measured by ``bench/routing_eval.py``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext

from motcua.catalog.models import Procedure, Sector
from motcua.catalog.search import search as search_catalogue
from motcua.hotline.routing import model, training

__all__ = ["Suggestion", "invalidate", "suggest", "train_in_background"]

logger = logging.getLogger(__name__)

# Newly classified tickets are learnt from at most this late (or at once after
# ``invalidate()``): retraining takes about a second, and routing happens all day long.
TICKETS_REFRESH_SECONDS = 600


@dataclass(frozen=True)
class Suggestion:
    sector_id: int
    sector_name: str
    # None: the commune where the citizen lives answers (commune-level sectors), or unknown
    # when ``agency_name`` is empty too.
    agency_id: int | None
    agency_name: str
    confidence: float


@dataclass(frozen=True)
class _Trained:
    key: tuple[tuple[object, ...], tuple[object, ...]]
    at: float
    router: training.Router


_lock = threading.Lock()  # one training at a time
_starting = threading.Lock()
_cached: _Trained | None = None
_in_background = False
_trainer: threading.Thread | None = None


def _fresh(cached: _Trained, key: tuple[tuple[object, ...], tuple[object, ...]]) -> bool:
    if cached.key[0] != key[0]:
        return False
    return cached.key[1] == key[1] or time.monotonic() - cached.at < TICKETS_REFRESH_SECONDS


def _router() -> training.Router | None:
    """The model trained on the data now; None while a process that trains in the background
    has no model yet."""
    key = training.fingerprint()
    cached = _cached
    if cached is not None and _fresh(cached, key):
        return cached.router
    if _in_background:
        train_in_background()
        return cached.router if cached is not None else None
    # Behind only on tickets: while another thread retrains, the old model is good enough.
    behind_on_tickets = cached is not None and cached.key[0] == key[0]
    if not _lock.acquire(blocking=not behind_on_tickets):
        assert cached is not None
        return cached.router
    try:
        return _train(key)
    finally:
        _lock.release()


def _train(key: tuple[tuple[object, ...], tuple[object, ...]]) -> training.Router:
    """The model for ``key``: kept, shared by another process, or trained now. Under _lock."""
    global _cached
    cached = _cached
    if cached is not None and _fresh(cached, key):
        return cached.router
    router = _shared(key)
    if router is None:
        router = training.build()
        _share(key, router)
    _cached = _Trained(key=key, at=time.monotonic(), router=router)
    return router


def train_in_background(*, after: threading.Thread | None = None) -> threading.Thread:
    """Train (or load the shared model) on a thread of its own, unless one is at it already,
    and from now on in this process never train on a caller's thread: a process that serves
    requests calls this when it starts (config/startup.py). With ``after``, the training
    waits for that thread to finish first: two builds at once would slow the requests more."""
    global _in_background, _trainer
    with _starting:
        _in_background = True
        if _trainer is None or not _trainer.is_alive():
            _trainer = threading.Thread(
                target=_train_off_request, args=(after,), name="hotline-routing-model", daemon=True
            )
            _trainer.start()
        return _trainer


def _train_off_request(after: threading.Thread | None) -> None:
    if after is not None:
        after.join()
    try:
        with _lock:
            _train(training.fingerprint())
    except Exception:  # suggestions come from the catalogue search meanwhile
        logger.exception("routing model not trained")
    finally:
        connection.close()  # this thread's own connection


# Training takes seconds; the trained model is kept in the shared cache (Redis in
# production) under the exact data it was trained on and the code that trained it, so the
# other processes (web workers, task workers) load it instead of training again.
_CODE = hashlib.sha256(
    b"".join(Path(module.__file__ or "").read_bytes() for module in (training, model))
    + training.EXAMPLES.read_bytes()
).hexdigest()[:16]
SHARED_SECONDS = 24 * 3600


def _shared_key(key: tuple[tuple[object, ...], tuple[object, ...]]) -> str:
    return "hotline-routing:" + hashlib.sha256(f"{_CODE}{key!r}".encode()).hexdigest()


def _shared(key: tuple[tuple[object, ...], tuple[object, ...]]) -> training.Router | None:
    try:
        router = cache.get(_shared_key(key))
    except Exception:  # an unreadable entry (or the cache down) only costs a retraining
        logger.warning("routing model: shared cache unreadable", exc_info=True)
        return None
    return router if isinstance(router, training.Router) else None


def _share(key: tuple[tuple[object, ...], tuple[object, ...]], router: training.Router) -> None:
    try:
        cache.set(_shared_key(key), router, SHARED_SECONDS)
    except Exception:
        logger.warning("routing model: not shared", exc_info=True)


def invalidate() -> None:
    """Forget the trained model: the next suggestion retrains on what the database holds
    (in a process that trains in the background, it is trained there, as at start)."""
    global _cached
    with _lock:
        _cached = None


def forget() -> None:
    """``invalidate``, and train on the caller's thread again, as a new process would (tests)."""
    global _in_background
    invalidate()
    _in_background = False


def suggest(text: str, *, limit: int = 5) -> list[Suggestion]:
    """The ``limit`` likeliest sectors for ``text``, best first; [] when no word is known.

    Confidences are probabilities over all sectors, so those returned sum to at most 1.
    """
    if limit <= 0 or not text.strip():
        return []
    router = _router()
    if router is None:  # the process started a moment ago and is still training
        return _from_catalogue(text, limit=limit)
    out = []
    for sector_name, confidence in router.classifier.predict(text):
        sector_id = router.sector_ids.get(sector_name)
        if sector_id is None:  # renamed since the labelled set was written
            continue
        agency_id, agency_name = router.agencies.get(sector_id, (None, ""))
        if agency_id is None and agency_name is None:
            agency_name = gettext("Cấp xã nơi người dân cư trú")
        out.append(Suggestion(sector_id, sector_name, agency_id, agency_name or "", confidence))
        if len(out) == limit:
            break
    return out


# Procedures of the catalogue search read for the fallback's sectors.
FALLBACK_HITS = 20


def _from_catalogue(text: str, *, limit: int) -> list[Suggestion]:
    """The plain fallback while the model trains: the sectors of the procedures the catalogue
    search finds for ``text``, each with its share of their scores. No agency: that comes
    with the model."""
    hits = search_catalogue(text)[:FALLBACK_HITS]
    sectors = dict(
        Procedure.objects.filter(pk__in=[hit.pk for hit in hits], sector__isnull=False).values_list(
            "pk", "sector_id"
        )
    )
    names = dict(Sector.objects.filter(pk__in=set(sectors.values())).values_list("pk", "name"))
    weight: dict[int, float] = {}
    for hit in hits:
        if hit.pk in sectors:
            weight[sectors[hit.pk]] = weight.get(sectors[hit.pk], 0.0) + hit.score
    total = sum(weight.values())
    best = sorted(weight.items(), key=lambda item: (-item[1], names[item[0]]))[:limit]
    return [Suggestion(pk, names[pk], None, "", score / total) for pk, score in best]
