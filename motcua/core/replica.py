"""Reads of the public lookup and the reports from a read replica (docs/scaling.md "Read
replicas").

With ``DATABASE_REPLICA_URL`` set, settings add the ``replica`` database (a PostgreSQL streaming
standby) and ``READ_REPLICA`` names it. ``ReplicaReads`` (middleware) marks a GET or HEAD
request to one of the views in ``REPLICA_READ_VIEWS`` (URL names: the lookup page and API, the
reports); ``ReplicaRouter`` sends the reads made while a request is marked to the replica.
Everything else reads and writes the primary: actions, worklists, anything a user has just
changed and expects to see. Sign-in state (sessions, users, lockouts) is always read from the
primary, so a session opened a moment ago is never missed by a replica that lags behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)

# Read from the primary even in a marked request: who is signed in must be current.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "contenttypes"})


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica, when one is configured."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside go to the primary even in a marked request: what is kept beyond the
    request (the reference caches) must not be a replica's possibly older copy."""
    token = _replica_reads.set(False)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reading_from_replica() -> bool:
    return _replica_reads.get() and bool(settings.READ_REPLICA)


class ReplicaRouter:
    """Django database router: reads in a marked request to ``READ_REPLICA``, the rest to the
    default database. Migrations run on the default database only (the replica follows it)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if reading_from_replica() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return str(settings.READ_REPLICA)
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != settings.READ_REPLICA


class ReplicaReads:
    """Marks GET and HEAD requests to the views named in ``REPLICA_READ_VIEWS``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, "_replica_token", None)
        if token is not None:
            _replica_reads.reset(token)
        return response

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        match = request.resolver_match
        if (
            settings.READ_REPLICA
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in settings.REPLICA_READ_VIEWS
        ):
            request._replica_token = _replica_reads.set(True)  # type: ignore[attr-defined]
