"""Answering an email ticket by email, through Django's mail API (the EMAIL_* settings).

The reply is threaded under the citizen's messages (In-Reply-To, References), so their mail
program shows one conversation and their answer to it names our Message-ID, which
``receive_message`` finds in ``provider_message_id``. The Message-ID comes from the reply's
row and is the same on every attempt: a copy sent again after a lost answer from the server
is recognisably the same message. ``Auto-Submitted`` keeps vacation responders quiet.
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from motcua.core.outbox.errors import DeliveryError
from motcua.hotline.models import Direction, TicketMessage
from motcua.hotline.status import TicketChannel
from motcua.integrations.email.transport import deliver

# Well inside the outbox's "sending" lease, so a hung server cannot make two workers send.
SMTP_TIMEOUT_SECONDS = 30
# RFC 5322 §3.6.4 lets a long References list drop middle ids; the first is always kept.
MAX_REFERENCES = 20


def reply_message_id(message: TicketMessage) -> str:
    return f"<ticket-reply.{message.pk}@{_domain()}>"


def send_reply(message: TicketMessage) -> str:
    """The outbox's sender (``replies.SENDERS``): send one reply to the ticket's contact;
    return its Message-ID, or raise ``DeliveryError`` (retryable for a 4xx reply or a
    connection failure, permanent for 5xx or a contact without an address)."""
    if not settings.HOTLINE_EMAIL_ENABLED:
        raise DeliveryError(
            "HOTLINE_EMAIL_ENABLED is off: email replies cannot be sent", retryable=False
        )
    ticket = message.ticket
    recipient = ticket.contact.email
    if not recipient:
        raise DeliveryError("the contact has no email address", retryable=False)
    message_id = reply_message_id(message)
    inbound, thread = _thread(message)
    headers = {"Message-ID": message_id, "Auto-Submitted": "auto-replied"}
    if inbound:
        headers["In-Reply-To"] = inbound[-1]
    if thread:
        kept = (
            thread if len(thread) <= MAX_REFERENCES else thread[:1] + thread[1 - MAX_REFERENCES :]
        )
        headers["References"] = " ".join(kept)
    email = EmailMessage(
        subject=f"Re: {ticket.subject} [{ticket.code}]",
        body=_body(message),
        from_email=_sender(),
        to=[recipient],
        headers=headers,
        connection=get_connection(timeout=SMTP_TIMEOUT_SECONDS),
    )
    deliver(email)
    return message_id


def _thread(message: TicketMessage) -> tuple[list[str], list[str]]:
    """The citizen's Message-IDs, and theirs and our earlier replies' in order of time."""
    rows = (
        message.ticket.messages.filter(channel=TicketChannel.EMAIL, at__lte=message.at)
        .exclude(pk=message.pk)
        .order_by("at", "pk")
        .values_list("direction", "external_id", "provider_message_id")
    )
    inbound: list[str] = []
    thread: list[str] = []
    for direction, external_id, provider_id in rows:
        ident = external_id if direction == Direction.INBOUND else provider_id
        if not ident or direction == Direction.NOTE:
            continue
        if direction == Direction.INBOUND:
            inbound.append(ident)
        if ident not in thread:
            thread.append(ident)
    return inbound, thread


def _body(message: TicketMessage) -> str:
    footer = _(
        "Tổng đài 1022 — mã phản ánh %(code)s. Ông/Bà cần hỏi thêm về việc này xin trả lời thư này."
    ) % {"code": message.ticket.code}
    return f"{message.body}\n\n--\n{footer}\n"


def _sender() -> str:
    name, address = parseaddr(settings.HOTLINE_EMAIL_ADDRESS)
    return formataddr((name or _("Tổng đài 1022"), address or settings.HOTLINE_EMAIL_ADDRESS))


def _domain() -> str:
    for address in (settings.HOTLINE_EMAIL_ADDRESS, settings.DEFAULT_FROM_EMAIL):
        domain = parseaddr(address)[1].rpartition("@")[2]
        if domain:
            return domain
    return "localhost"
