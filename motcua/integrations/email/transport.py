"""Hand one email to Django's mail backend (SMTP when EMAIL_HOST is set).

Senders build the ``EmailMessage`` with a Message-ID that is the same on every attempt of the
same message, so a copy sent again after a worker died mid-send is recognisably the same
message (mail servers and clients drop a second copy by Message-ID; docs/decisions/outbox.md),
and open the connection with ``SMTP_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMessage

from motcua.core.outbox.errors import DeliveryError

# Well inside the outbox's "sending" lease, so a hung server cannot make two workers send.
SMTP_TIMEOUT_SECONDS = 30


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
