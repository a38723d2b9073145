"""Email through Django's mail API (SMTP when EMAIL_HOST is set, see config/settings.py).

Every message carries a Message-ID made from the notification's id, the same on every
attempt: if a worker dies after the SMTP server accepted a message but before the row was
marked sent, the copy sent on the retry is recognisably the same message (mail servers and
clients drop a second copy by Message-ID; docs/decisions/outbox.md).
"""

from __future__ import annotations

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from motcua.integrations.notifications.models import Notification
from motcua.integrations.notifications.transport import DeliveryError

# Well inside the outbox's "sending" lease, so a hung server cannot make two workers send.
SMTP_TIMEOUT_SECONDS = 30


def message_id_for(notification: Notification) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification.{notification.pk}.{notification.event_seq}@{domain}>"


def send_email(notification: Notification, *, body: str) -> str:
    """Send the notification's subject and ``body`` (the stored body with any secret put in,
    ``delivery.body_to_send``) to its recipient; return the Message-ID."""
    message_id = message_id_for(notification)
    message = EmailMessage(
        subject=notification.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
        connection=get_connection(timeout=SMTP_TIMEOUT_SECONDS),
    )
    deliver(message)
    return message_id


def deliver(message: EmailMessage) -> None:
    """Hand one message to the mail backend; DeliveryError says whether a retry could work
    (a 4xx reply, a connection error) or not (a 5xx reply: no such mailbox, refused)."""
    try:
        accepted = message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        raise DeliveryError(
            f"SMTP refused the recipient: {exc.recipients}",
            retryable=any(code < 500 for code in codes),
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", retryable=exc.smtp_code < 500
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP: {exc!r}", retryable=True) from exc
    if not accepted:
        raise DeliveryError("the mail backend accepted no message", retryable=True)
