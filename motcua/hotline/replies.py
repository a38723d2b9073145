"""Delivering answers on the channel each ticket came from: the outbound ``TicketMessage``
rows are the outbox (DESIGN.md rule 7).

The same rules as the notification outbox (``integrations/notifications/delivery.py``): a
worker sends a reply only after claiming it with one conditional UPDATE (pending, or sending
with an expired lease → sending, lease set, attempt counted and timed), committed on its own
before the channel is called; success records the platform's message id, a retryable failure
backs off exponentially, anything else fails the row for an operator to look at.

A crash between the platform's answer and the record leaves the row "sending"; once its lease
ends it is claimed again, marked ``maybe_duplicate``, and sent again: delivery is at least
once (docs/decisions/outbox.md). Email (and the web form's email) carries the same
Message-ID on every attempt, so mail servers and clients keep one copy; the web form's SMS
carries the reply's id as the gateway's client id, which the gateway keeps once; Zalo,
Messenger and the national Q&A have no idempotency key, so there the citizen may see the
reply twice, and the row says so.

Each channel module exposes ``send_reply(message) -> provider message id``; ``SENDERS``
maps channels to them. ``deliver_reply`` is the task queued on commit for one reply,
``drain_replies`` the periodic sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from motcua.hotline.channels import DeliveryError
from motcua.hotline.models import Delivery, TicketMessage

# The notification outbox's lease and backoff: one retry policy for everything we send.
from motcua.integrations.notifications.delivery import SENDING_LEASE, backoff

logger = logging.getLogger(__name__)


SENDERS: dict[str, str] = {
    "zalo": "motcua.hotline.channels.zalo.send_reply",
    "facebook": "motcua.hotline.channels.facebook.send_reply",
    "email": "motcua.hotline.channels.email.send_reply",
    "web": "motcua.hotline.channels.web.send_reply",
    "national_qa": "motcua.hotline.channels.national_qa.send_reply",
    "open311": "motcua.hotline.channels.open311_reply.send_reply",
}


def sender_for(channel: str) -> Callable[[TicketMessage], str]:
    try:
        return import_string(SENDERS[channel])
    except KeyError as exc:
        raise DeliveryError(f"kênh {channel!r} không gửi được trả lời", retryable=False) from exc


def due(at: dt.datetime) -> QuerySet[TicketMessage]:
    return TicketMessage.objects.filter(
        delivery__in=[Delivery.PENDING, Delivery.SENDING],
        next_attempt_at__lte=at,
        attempts__lt=settings.NOTIFY_MAX_ATTEMPTS,
    )


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | retrying | failed | skipped
    retry_at: dt.datetime | None = None


def claim(message_id: int) -> TicketMessage | None:
    """Take the reply for this worker, or None if it is not due or another worker holds it.
    Committed before it returns, so the attempt is on record before the channel is called:
    it must not be called inside a transaction (RuntimeError)."""
    at = timezone.now()
    attempt = {
        "delivery": Delivery.SENDING,
        "attempts": F("attempts") + 1,
        "next_attempt_at": at + SENDING_LEASE,
        "attempted_at": at,
    }
    with transaction.atomic(durable=True):
        row = due(at).filter(pk=message_id)
        # From "sending": the last attempt's worker died after it may have sent the reply.
        retaken = row.filter(delivery=Delivery.SENDING).update(**attempt, maybe_duplicate=True)
        if not retaken and not row.filter(delivery=Delivery.PENDING).update(**attempt):
            return None
    if retaken:
        logger.warning(
            "reply %s: the previous attempt stopped mid-send; sending again (may be seen twice)",
            message_id,
        )
    return TicketMessage.objects.select_related("ticket", "ticket__contact").get(pk=message_id)


def deliver(message_id: int) -> Outcome:
    """Claim the reply, send it, record the outcome; safe to run any number of times."""
    message = claim(message_id)
    if message is None:
        return Outcome("skipped")
    try:
        provider_id = sender_for(message.channel)(message)
    except DeliveryError as exc:
        return _failure(message, exc)
    except Exception as exc:  # a bug or an unforeseen library error: keep the row alive
        logger.exception("reply %s: unexpected error", message.pk)
        return _failure(message, DeliveryError(repr(exc), retryable=True))
    _mine(message).update(
        delivery=Delivery.SENT,
        sent_at=timezone.now(),
        provider_message_id=provider_id[:255],
        last_error="",
    )
    return Outcome("sent")


def _mine(message: TicketMessage) -> QuerySet[TicketMessage]:
    return TicketMessage.objects.filter(
        pk=message.pk, delivery=Delivery.SENDING, attempts=message.attempts
    )


def _failure(message: TicketMessage, error: DeliveryError) -> Outcome:
    text = str(error)[:2000]
    if error.retryable and message.attempts < settings.NOTIFY_MAX_ATTEMPTS:
        retry_at = timezone.now() + backoff(message.attempts)
        _mine(message).update(delivery=Delivery.PENDING, next_attempt_at=retry_at, last_error=text)
        return Outcome("retrying", retry_at)
    _mine(message).update(delivery=Delivery.FAILED, last_error=text)
    logger.warning("reply %s failed: %s", message.pk, text)
    return Outcome("failed")


def drain(*, limit: int = 500) -> dict[str, int]:
    """Deliver every reply due now (retries, lost tasks, rows of dead workers)."""
    at = timezone.now()
    counts = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    counts["abandoned"] = TicketMessage.objects.filter(
        delivery=Delivery.SENDING,
        next_attempt_at__lte=at,
        attempts__gte=settings.NOTIFY_MAX_ATTEMPTS,
    ).update(delivery=Delivery.FAILED, last_error="người gửi dừng giữa chừng ở lần gửi cuối")
    for pk in due(at).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]:
        counts[deliver(pk).status] += 1
    return counts


def resend(message: TicketMessage) -> bool:
    """An operator sends a failed reply again ("Gửi lại")."""
    return bool(
        TicketMessage.objects.filter(pk=message.pk, delivery=Delivery.FAILED).update(
            delivery=Delivery.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
    )


@task()
def deliver_reply(message_id: int) -> str:
    """Deliver one reply on its channel; queued on commit by ``answer_ticket`` and by an
    operator's "resend"."""
    outcome = deliver(message_id)
    if outcome.retry_at is not None and deliver_reply.get_backend().supports_defer:
        deliver_reply.using(run_after=outcome.retry_at).enqueue(message_id)
    return outcome.status


@task()
def drain_replies() -> dict[str, int]:
    return drain()
