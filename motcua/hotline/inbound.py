"""What every channel hands to the queue: one message from a person, platform-neutral."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class InboundAttachment:
    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class InboundMessage:
    """One message as a channel received it.

    ``external_id`` is the platform's own id for the message (Zalo ``msg_id``, Messenger
    ``mid``, the email's Message-ID): the same id twice is the same message, stored once.
    ``sender_id`` is the person's id on that platform (Zalo user id, Messenger PSID, email
    address); ``thread_ids`` are ids of earlier messages this one answers (email
    In-Reply-To/References), used to find the ticket it belongs to.
    """

    channel: str
    external_id: str
    sender_id: str
    text: str
    sender_name: str = ""
    phone: str = ""
    email: str = ""
    subject: str = ""
    sent_at: dt.datetime | None = None
    thread_ids: tuple[str, ...] = ()
    attachments: tuple[InboundAttachment, ...] = field(default=())
