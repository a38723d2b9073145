"""Sending outbox rows: claim, hand to the transport, record the outcome.

The rules that make a message go out once:

- **Claim.** A worker sends a row only after moving it, in one conditional UPDATE, from
  ``pending`` (or from ``sending`` whose lease has run out: its worker died) with
  ``next_attempt_at`` reached and attempts left, to ``sending``, with ``next_attempt_at``
  pushed to the end of a lease, the attempt counted and its time in ``attempted_at``. Of two
  workers racing for a row, one UPDATE matches; the other leaves it alone. A ``sent`` row
  matches nothing, ever. The claim is committed on its own (a durable transaction) before
  the provider is called, so a crash after the call leaves the attempt on record.
- **Record.** Success → ``sent`` with the provider's id. A retryable error with attempts left
  → ``pending`` again, due after an exponential backoff. Otherwise → ``failed``. The write is
  conditional on the claim still being this worker's (same status and attempt number).
- **Crash between send and record.** The lease runs out and the row is claimed again from
  ``sending``: that claim marks it ``maybe_duplicate``, because the provider may have taken
  the first copy. The copy sent again is the same message to the provider: SMS carries the
  notification's id as the gateway's ``client_id`` (the gateway keeps one message); email
  carries the same Message-ID on every attempt (``transport/email.py``), which mail servers
  and clients use to drop the second copy. Delivery is at least once
  (docs/decisions/outbox.md).
- **Secrets.** A verification code is not in the stored body; ``body_to_send`` puts it in,
  in memory, at send time, and the sealed copy is erased once the message is sent
  (``sealed.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from motcua.integrations.notifications import sealed
from motcua.integrations.notifications.models import (
    Notification,
    NotificationChannel,
    NotificationStatus,
)
from motcua.integrations.notifications.transport import DeliveryError, email, sms

logger = logging.getLogger(__name__)

# A claimed row belongs to its worker this long; longer than any transport's timeout.
SENDING_LEASE = dt.timedelta(minutes=5)
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=1)
DRAIN_BATCH = 500

S = NotificationStatus


def channel_enabled(channel: str) -> bool:
    """Every integration has its ``<NAME>_ENABLED`` switch (docs/architecture.md "Conventions")."""
    if channel == NotificationChannel.EMAIL:
        return bool(settings.NOTIFY_EMAIL_ENABLED)
    if channel == NotificationChannel.SMS:
        return bool(settings.SMS_ENABLED)
    return False


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1 minute × 2^(attempts − 1),
    capped at an hour (1, 2, 4, 8, 16, 32, 60, 60 … minutes)."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def due(now: dt.datetime) -> QuerySet[Notification]:
    """Rows a worker may claim at ``now``: pending or with an expired lease, due, with
    attempts left."""
    return Notification.objects.filter(
        status__in=[S.PENDING, S.SENDING],
        next_attempt_at__lte=now,
        attempts__lt=settings.NOTIFY_MAX_ATTEMPTS,
    )


def claim(notification_id: int) -> Notification | None:
    """Take the row for this worker (the conditional UPDATE above), or None if it is not
    due, already sent, failed, or held by another worker. Committed before it returns: it
    must not be called inside a transaction (RuntimeError)."""
    now = timezone.now()
    attempt = {
        "status": S.SENDING,
        "attempts": F("attempts") + 1,
        "next_attempt_at": now + SENDING_LEASE,
        "attempted_at": now,
    }
    with transaction.atomic(durable=True):
        row = due(now).filter(pk=notification_id)
        # From "sending": the last attempt's worker died after it may have handed the
        # message over.
        retaken = row.filter(status=S.SENDING).update(**attempt, maybe_duplicate=True)
        if not retaken and not row.filter(status=S.PENDING).update(**attempt):
            return None
    if retaken:
        logger.warning(
            "notification %s: the previous attempt stopped mid-send; sending again with the "
            "same message id (may reach the recipient twice)",
            notification_id,
        )
    return Notification.objects.select_related("dossier").get(pk=notification_id)


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | retrying | failed | skipped
    retry_at: dt.datetime | None = None


def deliver(notification_id: int) -> Outcome:
    """Claim the row, send it, record the outcome. Safe to call any number of times, from
    any number of workers at once."""
    notification = claim(notification_id)
    if notification is None:
        return Outcome("skipped")
    if not channel_enabled(notification.channel):
        return _record_failure(
            notification,
            DeliveryError(f"kênh {notification.channel} đang tắt", retryable=False),
        )
    try:
        provider_id = send(notification)
    except DeliveryError as exc:
        return _record_failure(notification, exc)
    except Exception as exc:  # a bug or an unforeseen library error: keep the row alive
        # No traceback for a message with a secret: the exception's text may quote it.
        logger.error(
            "notification %s: unexpected %s",
            notification.pk,
            type(exc).__name__,
            exc_info=not notification.sealed_secret,
        )
        return _record_failure(notification, DeliveryError(repr(exc), retryable=True))
    _mine(notification).update(
        status=S.SENT,
        sent_at=timezone.now(),
        provider_message_id=provider_id,
        last_error="",
        sealed_secret="",  # sent: the code has nothing left to do here
    )
    return Outcome("sent")


def body_to_send(notification: Notification) -> str:
    """The body as the recipient reads it: a sealed secret put in place of its placeholder.
    In memory only; never assign it to the row or save it."""
    try:
        return sealed.reveal(notification.body, notification.sealed_secret)
    except sealed.SealError as exc:
        raise DeliveryError(str(exc), retryable=False) from exc


def send(notification: Notification) -> str:
    """Hand the row to its channel's transport; return the provider's message id."""
    if notification.channel == NotificationChannel.EMAIL:
        return email.send_email(notification, body=body_to_send(notification))
    if notification.channel == NotificationChannel.SMS:
        return sms.SmsGateway.from_settings().send(
            phone=notification.recipient,
            message=body_to_send(notification),
            client_id=sms.client_id_for(notification),
        )
    raise DeliveryError(f"unknown channel {notification.channel!r}", retryable=False)


def _mine(notification: Notification) -> QuerySet[Notification]:
    """The row, only while this worker's claim on it stands."""
    return Notification.objects.filter(
        pk=notification.pk, status=S.SENDING, attempts=notification.attempts
    )


def _record_failure(notification: Notification, error: DeliveryError) -> Outcome:
    # A provider's error may quote the message it refused: never store or log its secret.
    message = sealed.scrub(str(error), notification.sealed_secret)[:2000]
    if error.retryable and notification.attempts < settings.NOTIFY_MAX_ATTEMPTS:
        retry_at = timezone.now() + backoff(notification.attempts)
        _mine(notification).update(status=S.PENDING, next_attempt_at=retry_at, last_error=message)
        logger.info("notification %s: retry at %s: %s", notification.pk, retry_at, message)
        return Outcome("retrying", retry_at)
    _mine(notification).update(status=S.FAILED, last_error=message)
    logger.warning("notification %s failed: %s", notification.pk, message)
    return Outcome("failed")


@dataclass
class DrainReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    abandoned: int = 0
    ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed": self.failed,
            "skipped": self.skipped,
            "abandoned": self.abandoned,
        }


def drain(*, limit: int = DRAIN_BATCH) -> DrainReport:
    """Send every row due now, oldest first, at most ``limit``. Rows left ``sending`` by a
    dead worker on their last attempt are marked failed (their fate is unknown; an operator
    can send them again). Two drains at once send each row once: each row is claimed."""
    now = timezone.now()
    report = DrainReport()
    report.abandoned = Notification.objects.filter(
        status=S.SENDING,
        next_attempt_at__lte=now,
        attempts__gte=settings.NOTIFY_MAX_ATTEMPTS,
    ).update(status=S.FAILED, last_error="người gửi dừng giữa chừng ở lần gửi cuối")
    report.ids = list(
        due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    for pk in report.ids:
        outcome = deliver(pk)
        setattr(report, outcome.status, getattr(report, outcome.status) + 1)
    return report
