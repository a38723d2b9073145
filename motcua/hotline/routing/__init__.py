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
from django.utils.translation import gettext

from motcua.hotline.routing import model, training

__all__ = ["Suggestion", "invalidate", "suggest"]

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


_lock = threading.Lock()
_cached: _Trained | None = None


def _fresh(cached: _Trained, key: tuple[tuple[object, ...], tuple[object, ...]]) -> bool:
    if cached.key[0] != key[0]:
        return False
    return cached.key[1] == key[1] or time.monotonic() - cached.at < TICKETS_REFRESH_SECONDS


def _router() -> training.Router:
    global _cached
    key = training.fingerprint()
    cached = _cached
    if cached is not None and _fresh(cached, key):
        return cached.router
    # Behind only on tickets: while another thread retrains, the old model is good enough.
    behind_on_tickets = cached is not None and cached.key[0] == key[0]
    if not _lock.acquire(blocking=not behind_on_tickets):
        assert cached is not None
        return cached.router
    try:
        cached = _cached
        if cached is not None and _fresh(cached, key):
            return cached.router
        router = _shared(key)
        if router is None:
            router = training.build()
            _share(key, router)
        _cached = _Trained(key=key, at=time.monotonic(), router=router)
        return router
    finally:
        _lock.release()


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
    """Forget the trained model: the next suggestion retrains on what the database holds."""
    global _cached
    with _lock:
        _cached = None


def suggest(text: str, *, limit: int = 5) -> list[Suggestion]:
    """The ``limit`` likeliest sectors for ``text``, best first; [] when no word is known.

    Confidences are probabilities over all sectors, so those returned sum to at most 1.
    """
    if limit <= 0 or not text.strip():
        return []
    router = _router()
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
