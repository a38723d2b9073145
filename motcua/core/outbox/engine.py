"""The engine that sends an outbox's rows: claim, send, record, retry, sweep (the rules are
in this package's docstring)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from motcua.core.outbox.errors import DeliveryError
from motcua.core.outbox.models import OutboxRow, OutboxStatus

if TYPE_CHECKING:
    from django_tasks.base import Task

logger = logging.getLogger(__name__)

# A claimed row belongs to its worker this long; longer than any sender's timeout.
SENDING_LEASE = dt.timedelta(minutes=5)
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=1)
DRAIN_BATCH = 500
ERROR_CHARS = 2000
ABANDONED = "người gửi dừng giữa chừng ở lần gửi cuối"


Row = TypeVar("Row", bound=OutboxRow)
Sender = Callable[[Row], str]


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1 minute × 2^(attempts − 1),
    capped at an hour (1, 2, 4, 8, 16, 32, 60, 60 … minutes)."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


@dataclass(frozen=True)
class Outcome:
    status: Literal["sent", "retrying", "failed", "skipped"]
    retry_at: dt.datetime | None = None


@dataclass
class DrainReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    abandoned: int = 0
    ids: list[int] = field(default_factory=list)  # the rows this drain found due

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed": self.failed,
            "skipped": self.skipped,
            "abandoned": self.abandoned,
        }


class Outbox(Generic[Row]):
    """The sending of one outbox model's rows. ``name`` labels the log lines; ``related``
    is what a sender reads besides the row (loaded with it once claimed); the number of
    attempts comes from the ``max_attempts_setting`` setting, read at each use."""

    def __init__(
        self,
        model: type[Row],
        *,
        name: str,
        related: Sequence[str] = (),
        max_attempts_setting: str = "NOTIFY_MAX_ATTEMPTS",
        lease: dt.timedelta = SENDING_LEASE,
    ) -> None:
        self.model = model
        self.name = name
        self.related = tuple(related)
        self.max_attempts_setting = max_attempts_setting
        self.lease = lease

    @property
    def max_attempts(self) -> int:
        return int(getattr(settings, self.max_attempts_setting))

    def _status(self, *values: str) -> dict[str, Any]:
        """A filter (or update) on the model's status field."""
        name = self.model.status_field
        return {name: values[0]} if len(values) == 1 else {f"{name}__in": list(values)}

    def rows(self) -> QuerySet[Row]:
        return self.model._default_manager.all()

    def due(self, now: dt.datetime) -> QuerySet[Row]:
        """Rows a worker may claim at ``now``: pending or with an expired lease, due, with
        attempts left."""
        return self.rows().filter(
            **self._status(OutboxStatus.PENDING, OutboxStatus.SENDING),
            next_attempt_at__lte=now,
            attempts__lt=self.max_attempts,
        )

    def claim(self, pk: int) -> Row | None:
        """Take the row for this worker (the conditional UPDATE of the module's rules), or
        None if it is not due, already sent, failed, or held by another worker. Committed
        before it returns: it must not be called inside a transaction (RuntimeError)."""
        now = timezone.now()
        attempt = {
            **self._status(OutboxStatus.SENDING),
            "attempts": F("attempts") + 1,
            "next_attempt_at": now + self.current_lease(),
            "attempted_at": now,
        }
        with transaction.atomic(durable=True):
            self.serialise_claim(pk)
            row = self.due(now).filter(pk=pk)
            # The common case first: a row waiting. Else from "sending": the last attempt's
            # worker died after it may have handed the row over.
            retaken = False
            if not row.filter(**self._status(OutboxStatus.PENDING)).update(**attempt):
                retaken = bool(
                    row.filter(**self._status(OutboxStatus.SENDING)).update(
                        **attempt, maybe_duplicate=True
                    )
                )
                if not retaken:
                    return None
        if retaken:
            logger.warning(
                "%s %s: the previous attempt stopped mid-send; sending again with the same "
                "id (may reach the recipient twice)",
                self.name,
                pk,
            )
        claimed = self.rows()
        if self.related:
            claimed = claimed.select_related(*self.related)
        return claimed.get(pk=pk)

    def deliver(self, pk: int, send: Sender[Row]) -> Outcome:
        """Claim the row, hand it to ``send``, record the outcome. Safe to call any number
        of times, from any number of workers at once."""
        row = self.claim(pk)
        if row is None:
            return Outcome("skipped")
        try:
            provider_id = send(row)
        except DeliveryError as exc:
            return self.record_failure(row, exc)
        except Exception as exc:  # a bug or an unforeseen library error: keep the row alive
            logger.error(
                "%s %s: unexpected %s",
                self.name,
                row.pk,
                type(exc).__name__,
                exc_info=self.may_log_traceback(row),
            )
            return self.record_failure(row, DeliveryError(repr(exc), retryable=True))
        self._mine(row).update(
            **self._status(OutboxStatus.SENT),
            sent_at=timezone.now(),
            provider_message_id=provider_id[:255],
            last_error="",
            **self.erase_when_sent(row),
        )
        return Outcome("sent")

    def record_failure(self, row: Row, error: DeliveryError) -> Outcome:
        text = self.scrub(row, str(error))[:ERROR_CHARS]
        if error.retryable and row.attempts < self.max_attempts:
            retry_at = timezone.now() + self.backoff(row.attempts)
            self._mine(row).update(
                **self._status(OutboxStatus.PENDING), next_attempt_at=retry_at, last_error=text
            )
            logger.info("%s %s: retry at %s: %s", self.name, row.pk, retry_at, text)
            return Outcome("retrying", retry_at)
        self._mine(row).update(**self._status(OutboxStatus.FAILED), last_error=text)
        logger.warning("%s %s failed: %s", self.name, row.pk, text)
        return Outcome("failed")

    def sweep_abandoned(self, now: dt.datetime) -> int:
        """Fail the rows a dead worker left "sending" on their last attempt, once their
        lease is over: whether they went out is unknown, and an operator can send them
        again. The others left "sending" are claimed again by ``drain``."""
        return (
            self.rows()
            .filter(
                **self._status(OutboxStatus.SENDING),
                next_attempt_at__lte=now,
                attempts__gte=self.max_attempts,
            )
            .update(**self._status(OutboxStatus.FAILED), last_error=ABANDONED)
        )

    def drain(self, send: Sender[Row], *, limit: int = DRAIN_BATCH) -> DrainReport:
        """Send every row due now, oldest first, at most ``limit``, after the sweep. Two
        drains at once send each row once: each row is claimed."""
        now = timezone.now()
        report = DrainReport(abandoned=self.sweep_abandoned(now))
        report.ids = list(
            self.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
        )
        for pk in report.ids:
            report.add(self.deliver(pk, send))
        return report

    @transaction.atomic
    def reset_failed(self, rows: QuerySet[Row]) -> list[int]:
        """Give the failed rows among ``rows`` a fresh round of attempts (an operator's
        "Gửi lại"); rows sent or still in flight are left alone, so nothing is sent twice by
        this either. Returns the ids found failed: queue their send on commit (a send queued
        twice, by two operators at once, still sends once)."""
        failed = self._status(OutboxStatus.FAILED)
        ids = list(rows.filter(**failed).values_list("pk", flat=True))
        self.rows().filter(pk__in=ids, **failed).update(
            **self._status(OutboxStatus.PENDING), attempts=0, next_attempt_at=timezone.now()
        )
        return ids

    def _mine(self, row: Row) -> QuerySet[Row]:
        """The row, only while this worker's claim on it stands."""
        return self.rows().filter(
            pk=row.pk, **self._status(OutboxStatus.SENDING), attempts=row.attempts
        )

    def serialise_claim(self, pk: int) -> None:
        """Called in the claim's transaction before the row is taken. An outbox whose rows
        must go one at a time per recipient (the national sync: per dossier) takes its lock
        here, so two claims of the same recipient's rows see each other; by default rows are
        independent and nothing is locked."""

    def current_lease(self) -> dt.timedelta:
        """How long a claim holds the row (an outbox whose lease is a setting reads it here)."""
        return self.lease

    def backoff(self, attempts: int) -> dt.timedelta:
        """The wait after the ``attempts``-th failed attempt (the module's ``backoff``; an
        outbox whose receiver has its own pace changes it)."""
        return backoff(attempts)

    # What an outbox whose rows carry a secret changes (notifications' verification codes).

    def scrub(self, row: Row, text: str) -> str:
        """``text`` (an error, which may quote what was sent) made safe to store and log."""
        return text

    def may_log_traceback(self, row: Row) -> bool:
        """Whether an unexpected error's traceback, which may quote the row, may be logged."""
        return True

    def erase_when_sent(self, row: Row) -> dict[str, Any]:
        """Fields to clear once the row is sent."""
        return {}


def send_on_commit(task: Task[[int], Any], row_id: int) -> None:
    """Queue ``task`` for the row once the transaction that wrote it commits. If queuing
    fails (the broker is down) the error is logged and the row waits for the drain."""
    transaction.on_commit(partial(task.enqueue, row_id), robust=True)


def retry_later(task: Task[[int], Any], row_id: int, outcome: Outcome) -> None:
    """Queue ``task`` again for a retry's due time where the task backend can defer (the
    database backend, RQ); elsewhere the periodic drain picks the row up."""
    if outcome.retry_at is not None and task.get_backend().supports_defer:
        task.using(run_after=outcome.retry_at).enqueue(row_id)
