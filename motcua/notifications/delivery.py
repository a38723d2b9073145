"""Sending notifications: the outbox engine (``core/outbox/``) with email and SMS as senders.

The engine claims a row, calls ``send``, and records the outcome; crash safety, retries and
``maybe_duplicate`` are its rules. What is particular to notifications:

- **The same message on every attempt.** SMS carries the notification's id as the gateway's
  ``client_id`` (the gateway keeps one message); email carries the same Message-ID on every
  attempt, which mail servers and clients use to drop a second copy. Delivery is at least
  once (docs/decisions/outbox.md).
- **Secrets.** A verification code is not in the stored body; ``body_to_send`` puts it in,
  in memory, at send time, and the sealed copy is erased once the message is sent
  (``sealed.py``). Errors are scrubbed of it before they are stored or logged, and a failing
  send of such a message logs no traceback.
- **Switches.** A message on a channel switched off since it was written fails at once.
"""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from motcua.core.outbox.engine import DRAIN_BATCH, DrainReport, Outbox, Outcome
from motcua.core.outbox.errors import DeliveryError
from motcua.integrations.email import transport as mail
from motcua.integrations.sms import senders as sms
from motcua.notifications import sealed
from motcua.notifications.models import Notification, NotificationChannel


class NotificationOutbox(Outbox[Notification]):
    """The engine, kept away from a verification code wherever it could leak."""

    def scrub(self, row: Notification, text: str) -> str:
        return sealed.scrub(text, row.sealed_secret)

    def may_log_traceback(self, row: Notification) -> bool:
        # The exception's text may quote the code.
        return not row.sealed_secret

    def erase_when_sent(self, row: Notification) -> dict[str, Any]:
        return {"sealed_secret": ""}  # sent: the code has nothing left to do here


OUTBOX = NotificationOutbox(Notification, name="notification", related=["dossier"])


def channel_enabled(channel: str) -> bool:
    """Every integration has its ``<NAME>_ENABLED`` switch (docs/architecture.md "Conventions")."""
    if channel == NotificationChannel.EMAIL:
        return bool(settings.NOTIFY_EMAIL_ENABLED)
    if channel == NotificationChannel.SMS:
        return bool(settings.SMS_ENABLED)
    return False


def deliver(notification_id: int) -> Outcome:
    """Claim the row, send it, record the outcome. Safe to call any number of times, from
    any number of workers at once."""
    return OUTBOX.deliver(notification_id, send)


def drain(*, limit: int = DRAIN_BATCH) -> DrainReport:
    """Send every row due now (retries, lost tasks, rows of dead workers), oldest first."""
    return OUTBOX.drain(send, limit=limit)


def send(notification: Notification) -> str:
    """Hand the row to its channel's transport; return the provider's message id."""
    if not channel_enabled(notification.channel):
        raise DeliveryError(f"kênh {notification.channel} đang tắt", retryable=False)
    if notification.channel == NotificationChannel.EMAIL:
        return send_email(notification)
    if notification.channel == NotificationChannel.SMS:
        return sms.configured().send(
            phone=notification.recipient,
            message=body_to_send(notification),
            client_id=client_id_for(notification),
        )
    raise DeliveryError(f"unknown channel {notification.channel!r}", retryable=False)


def body_to_send(notification: Notification) -> str:
    """The body as the recipient reads it: a sealed secret put in place of its placeholder.
    In memory only; never assign it to the row or save it."""
    try:
        return sealed.reveal(notification.body, notification.sealed_secret)
    except sealed.SealError as exc:
        raise DeliveryError(str(exc), retryable=False) from exc


def message_id_for(notification: Notification) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification.{notification.pk}.{notification.event_seq}@{domain}>"


def client_id_for(notification: Notification) -> str:
    return f"motcua-{notification.pk}"


def send_email(notification: Notification) -> str:
    """Send the notification's subject and body (any secret put in) to its recipient;
    return the Message-ID."""
    message_id = message_id_for(notification)
    mail.deliver(
        EmailMessage(
            subject=notification.subject,
            body=body_to_send(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient],
            headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
            connection=get_connection(timeout=mail.SMTP_TIMEOUT_SECONDS),
        )
    )
    return message_id
