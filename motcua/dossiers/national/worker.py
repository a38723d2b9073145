"""The sync worker: the outbox of dossier changes drained towards the national portal
(docs/national-portal.md "The sync worker"; the outbox rules: ``core/outbox``).

A dossier's changes go out in their order: a change is due only when no earlier change of
the same dossier is still waiting or being sent (``ChangeOutbox.due``), so at most one send
per dossier is in flight and a retry holds back the changes behind it, which its send then
carries. Different dossiers go out side by side (``NATIONAL_PORTAL_WORKERS`` threads on
PostgreSQL; one on SQLite, which has one writer).

A ``SyncWorker`` owns one client (one session) and one circuit breaker: while the breaker is
open nothing is claimed, so an outage uses up no attempts; the drain resumes when it
half-opens and its probe gets through.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    close_old_connections,
    connection,
    connections,
)
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from motcua.core.outbox.engine import DrainReport, Outbox, Outcome
from motcua.dossiers.models import NationalSyncChange
from motcua.dossiers.models.national import UNSENT
from motcua.dossiers.national import ratings
from motcua.dossiers.national.changes import CHANNEL
from motcua.dossiers.national.sender import scrub, send_change
from motcua.integrations.national_portal import CircuitBreaker, NationalPortalClient

logger = logging.getLogger(__name__)

DRAIN_BATCH = 500


# The advisory lock class of the claims of one dossier's changes (PostgreSQL).
CLAIM_LOCK_CLASS = 766_012


class ChangeOutbox(Outbox[NationalSyncChange]):
    def due(self, now: dt.datetime) -> QuerySet[NationalSyncChange]:
        """Due as any outbox row, and first of its dossier: no earlier change still waiting
        or being sent, and no other change being sent (one put back by an operator while a
        later one is on its way waits for it)."""
        mine = NationalSyncChange.objects.filter(dossier_id=OuterRef("dossier_id"))
        earlier = mine.filter(seq__lt=OuterRef("seq"), status__in=UNSENT)
        in_flight = mine.filter(status="sending", next_attempt_at__gt=now).exclude(
            pk=OuterRef("pk")
        )
        return super().due(now).filter(~Exists(earlier), ~Exists(in_flight))

    def serialise_claim(self, pk: int) -> None:
        """Claims of the same dossier's changes one after the other (PostgreSQL; SQLite has
        one writer at a time): each then sees the other's "sending" in ``due``."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                # One bigint key: the lock class in the high 32 bits, the dossier below.
                "SELECT pg_advisory_xact_lock(%s::bigint * 4294967296 + dossier_id) FROM "  # noqa: S608
                f"{connection.ops.quote_name(NationalSyncChange._meta.db_table)} WHERE id = %s",
                [CLAIM_LOCK_CLASS, pk],
            )

    def current_lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=settings.NATIONAL_PORTAL_LEASE_SECONDS)

    def backoff(self, attempts: int) -> dt.timedelta:
        """From NATIONAL_PORTAL_RETRY_SECONDS (never under the timeout: an abandoned call has
        been handled before the dossier's next state goes), doubling up to the cap."""
        first = max(
            settings.NATIONAL_PORTAL_RETRY_SECONDS, settings.NATIONAL_PORTAL_TIMEOUT_SECONDS
        )
        seconds = min(first * 2 ** max(attempts - 1, 0), settings.NATIONAL_PORTAL_RETRY_CAP_SECONDS)
        return dt.timedelta(seconds=seconds)

    def scrub(self, row: NationalSyncChange, text: str) -> str:
        return scrub(text)


CHANGES = ChangeOutbox(
    NationalSyncChange,
    name="national_sync",
    max_attempts_setting="NATIONAL_PORTAL_MAX_ATTEMPTS",
)


@dataclass
class RoundReport(DrainReport):
    held: int = 0  # due, but not claimed: the breaker was open
    breaker_open: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, int]:
        return {**super().as_dict(), "held": self.held}


class Wakeup:
    """Waiting for the next change: on PostgreSQL, woken by the NOTIFY of the action that
    wrote it (``changes.CHANNEL``) on a connection of its own; elsewhere, or if listening
    fails, after the poll interval."""

    def __init__(self) -> None:
        self._listener: BaseDatabaseWrapper | None = None
        if connection.vendor != "postgresql":
            return
        listener = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            listener.ensure_connection()
            listener.connection.execute(f"LISTEN {CHANNEL}")
        except DatabaseError:
            logger.warning("national_sync: cannot LISTEN, polling instead", exc_info=True)
            listener.close()
            return
        self._listener = listener

    def wait(self, seconds: float, stop: threading.Event) -> None:
        if self._listener is None:
            stop.wait(seconds)
            return
        raw = self._listener.connection
        try:
            woken = any(True for _ in raw.notifies(timeout=seconds, stop_after=1))
            if woken:  # the others queued meanwhile wake nothing more
                any(True for _ in raw.notifies(timeout=0))
        except (DatabaseError, psycopg.Error):
            logger.warning("national_sync: lost the LISTEN connection, polling", exc_info=True)
            self.close()
            stop.wait(seconds)

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None


class SyncWorker:
    """Drains the changes with one session and one breaker (``drain``; ``run`` loops)."""

    def __init__(
        self,
        client: NationalPortalClient | None = None,
        *,
        workers: int | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.breaker = breaker or CircuitBreaker(
            threshold=settings.NATIONAL_PORTAL_BREAKER_FAILURES,
            cooldown=settings.NATIONAL_PORTAL_BREAKER_SECONDS,
        )
        self.client = client or NationalPortalClient.from_settings(breaker=self.breaker)
        if self.client.breaker is None:
            self.client.breaker = self.breaker
        wanted = workers or settings.NATIONAL_PORTAL_WORKERS
        self.workers = 1 if connection.vendor == "sqlite" else wanted
        self._pool = (
            ThreadPoolExecutor(self.workers, thread_name_prefix="national-sync")
            if self.workers > 1
            else None
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def drain(self, *, limit: int = DRAIN_BATCH) -> RoundReport:
        """Send the changes due now, at most ``limit`` dossiers, oldest first."""
        started = time.monotonic()
        now = timezone.now()
        report = RoundReport(abandoned=CHANGES.sweep_abandoned(now))
        if self.breaker.is_open:
            report.breaker_open = True
            report.held = CHANGES.due(now).count()
            return report
        # Half-open after an outage: one change goes first, as the breaker's probe; the rest
        # wait for its answer instead of each spending an attempt on a refusal.
        probing = not self.breaker.is_closed
        report.ids = list(
            CHANGES.due(now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[: 1 if probing else limit]
        )
        if probing:
            outcomes = [self._deliver(pk, probe=True) for pk in report.ids]
        elif self._pool is None:
            outcomes = [self._deliver(pk) for pk in report.ids]
        else:
            outcomes = list(self._pool.map(self._deliver_in_thread, report.ids))
        for outcome in outcomes:
            if outcome is None:
                report.held += 1
            else:
                report.add(outcome)
        report.breaker_open = self.breaker.is_open
        report.seconds = time.monotonic() - started
        return report

    def _deliver(self, pk: int, *, probe: bool = False) -> Outcome | None:
        # Once the breaker has opened in this round, nothing more is claimed in it; the probe,
        # alone in its round, goes while the breaker is half-open.
        if self.breaker.is_open or not (probe or self.breaker.is_closed):
            return None
        return CHANGES.deliver(pk, lambda change: send_change(change, self.client))

    def _deliver_in_thread(self, pk: int) -> Outcome | None:
        close_old_connections()
        try:
            return self._deliver(pk)
        except Exception:  # the database went away mid-send: the lease brings the row back
            logger.exception("national_sync %s: could not record the outcome", pk)
            return None

    def run(
        self,
        *,
        every: float,
        stop: threading.Event | None = None,
        on_round: Callable[[RoundReport], object] | None = None,
    ) -> None:
        """Drain (and queue and send the previous month's ratings once it is over), then wait
        ``every`` seconds when there was nothing to send (or until the breaker half-opens),
        until ``stop`` is set."""
        stop = stop or threading.Event()
        wakeup = Wakeup()
        try:
            self._run(every=every, stop=stop, on_round=on_round, wakeup=wakeup)
        finally:
            wakeup.close()
            connection.close()  # this thread's, which the loop kept open

    def _run(
        self,
        *,
        every: float,
        stop: threading.Event,
        on_round: Callable[[RoundReport], object] | None,
        wakeup: Wakeup,
    ) -> None:
        queued: dt.date | None = None
        while not stop.is_set():
            # A long-lived process: drop connections broken by a database restart.
            close_old_connections()
            try:
                report = self.drain()
            except DatabaseError:
                # The database went away (a restart, a failover): nothing was lost, the
                # changes wait in it; try again after the interval.
                logger.exception("national_sync: the round failed; trying again")
                stop.wait(every)
                continue
            if (month := ratings.previous_month()) != queued:
                ratings.queue_month(month)
                queued = month
            if self.breaker.is_closed:
                ratings.drain(self.client)
            if on_round is not None:
                on_round(report)
            if report.ids and not report.breaker_open:
                continue
            if report.breaker_open:
                stop.wait(max(self.breaker.seconds_left(), 0.05))
            else:
                wakeup.wait(every, stop)
