"""Per-process caches of reference data, and the stamp that tells every process it changed
(docs/decisions/dossiers.md "Reference caches").

Reference data (working calendars, process templates, execution methods and fees, agencies
and units, which procedures a desk receives) is read by every reception and changed a few
times a year. Each process keeps what it read in a ``ProcessCache``; every entry remembers
the stamp it was read under. The stamp is one row (``ReferenceStamp``) whose token is replaced
by ``touch`` in the same transaction as any change to a watched model: the admin's and the
shell's saves and deletes reach it through ``watch`` (post_save, post_delete, m2m_changed),
bulk writes (the catalogue import) call ``touch`` themselves. A process reads the stamp before
it trusts its cache, so a change committed by any process is seen by the next read in every
other one. The token is random, never a counter, so a rolled-back change (a test) can never
be mistaken for a later one.

Reading the stamp costs one query. An action that reads several cached things wraps itself in
``one_version()``: the stamp is read once at the start and every cached read inside uses it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save

from motcua.core.models import ReferenceStamp
from motcua.core.replica import primary_reads

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_STAMP_ID = 1
_in_use: ContextVar[str | None] = ContextVar("reference_stamp", default=None)
_batching: ContextVar[bool] = ContextVar("reference_batching", default=False)
_caches: list[ProcessCache[Any, Any]] = []


def read_stamp() -> str:
    """The current token ("" before any reference data was ever changed through a save).
    Plain SQL: this runs on every reception, and the ORM's query building costs more than
    the query."""
    table = connection.ops.quote_name(ReferenceStamp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [_STAMP_ID])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else ""


def version() -> str:
    """The token caches are checked against: the one ``one_version()`` read for the enclosing
    action, or else the database's now."""
    token = _in_use.get()
    return read_stamp() if token is None else token


@contextmanager
def one_version() -> Iterator[str]:
    """Read the stamp once for everything cached that the block reads."""
    outer = _in_use.get()
    if outer is not None:
        yield outer
        return
    token = _in_use.set(read_stamp())
    try:
        yield _in_use.get() or ""
    finally:
        _in_use.reset(token)


def renew() -> None:
    """Inside ``one_version()``, after reference data changed in this transaction (a
    procedure version applied at reception): read the stamp again, so the block's later
    cached reads see the change. Outside a block, nothing to do: every read checks."""
    if _in_use.get() is not None:
        _in_use.set(read_stamp())


def touch() -> None:
    """Mark the reference data changed, in the caller's transaction: every process drops its
    cached copies at its next read after the commit. One statement."""
    table = connection.ops.quote_name(ReferenceStamp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, token) VALUES (%s, %s)"  # noqa: S608
            " ON CONFLICT (id) DO UPDATE SET token = excluded.token",
            [_STAMP_ID, uuid.uuid4().hex],
        )


@contextmanager
def batch() -> Iterator[None]:
    """Saves inside the block leave the stamp alone: a writer of many rows (the catalogue
    import) calls ``touch()`` once itself, before its transaction commits."""
    token = _batching.set(True)
    try:
        yield
    finally:
        _batching.reset(token)


def _touched(**_kwargs: Any) -> None:
    if not _batching.get():
        touch()


def watch(*watched: type[models.Model]) -> None:
    """Touch the stamp whenever a row of these models is saved or deleted, or (a many-to-many
    table) linked or unlinked. Connected per model, so other models keep Django's fast
    deletes."""
    for model in watched:
        uid = f"reference:{model._meta.label}"
        post_save.connect(_touched, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_touched, sender=model, weak=False, dispatch_uid=uid)
        if model._meta.auto_created:
            m2m_changed.connect(_touched, sender=model, weak=False, dispatch_uid=uid)


class ProcessCache(Generic[K, V]):
    """Values read from reference data, kept in this process while the stamp is unchanged.
    What ``load`` returns is shared by every caller: treat it as read-only."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[K, tuple[str, V]] = {}
        self._lock = threading.Lock()
        _caches.append(self)

    def get(self, key: K, load: Callable[[], V]) -> V:
        token = version()
        found = self._entries.get(key)
        if found is not None and found[0] == token:
            return found[1]
        with primary_reads():  # cached beyond this request: never a replica's older rows
            value = load()
        with self._lock:
            self._entries[key] = (token, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def clear_caches() -> None:
    """Forget every cached value in this process (tests that rewrite tables under Django)."""
    for cache in _caches:
        cache.clear()
