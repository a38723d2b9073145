"""Delivering answers on the channel each ticket came from: the outbound ``TicketMessage``
rows are an outbox (docs/architecture.md rule 7) on the engine every outbox shares
(``core/outbox/``): a worker sends a reply only after claiming it with one conditional UPDATE
committed on its own; success records the platform's message id, a retryable failure backs
off exponentially, anything else fails the row for an operator to look at.

A crash between the platform's answer and the record leaves the row "sending"; once its lease
ends it is claimed again, marked ``maybe_duplicate``, and sent again: delivery is at least
once (docs/decisions/outbox.md). Email (and the web form's email) carries the same
Message-ID on every attempt, so mail servers and clients keep one copy; the web form's SMS
carries the reply's id as the gateway's client id, which the gateway keeps once; Zalo,
Messenger and the national Q&A have no idempotency key, so there the citizen may see the
reply twice, and the row says so.

Each channel module exposes ``send_reply(message) -> provider message id``; the channel
registry (``channels/registry.py``) names it. ``deliver_reply`` is the task queued on commit
for one reply, ``drain_replies`` the periodic sweep.
"""

from __future__ import annotations

from collections.abc import Callable

from django_tasks import task

from motcua.core.outbox.engine import DRAIN_BATCH, Outbox, Outcome, retry_later
from motcua.core.outbox.errors import DeliveryError
from motcua.hotline.channels import registry
from motcua.hotline.models import TicketMessage

OUTBOX = Outbox(TicketMessage, name="reply", related=["ticket", "ticket__contact"])


def sender_for(channel: str) -> Callable[[TicketMessage], str]:
    """The channel's sender, from the channel registry."""
    found = registry.channel(channel)
    if found is None or not found.delivered:
        raise DeliveryError(f"kênh {channel!r} không gửi được trả lời", retryable=False)
    return found.send


def send(message: TicketMessage) -> str:
    """Send one claimed reply on its ticket's channel; the platform's message id."""
    return sender_for(message.channel)(message)


def deliver(message_id: int) -> Outcome:
    """Claim the reply, send it, record the outcome; safe to run any number of times."""
    return OUTBOX.deliver(message_id, send)


def drain(*, limit: int = DRAIN_BATCH) -> dict[str, int]:
    """Deliver every reply due now (retries, lost tasks, rows of dead workers)."""
    return OUTBOX.drain(send, limit=limit).as_dict()


def resend(message: TicketMessage) -> bool:
    """An operator sends a failed reply again ("Gửi lại"); queue its delivery on commit."""
    return bool(OUTBOX.reset_failed(TicketMessage.objects.filter(pk=message.pk)))


@task()
def deliver_reply(message_id: int) -> str:
    """Deliver one reply on its channel; queued on commit by ``answer_ticket`` and by an
    operator's "resend"."""
    outcome = deliver(message_id)
    retry_later(deliver_reply, message_id, outcome)
    return outcome.status


@task()
def drain_replies() -> dict[str, int]:
    return drain()
