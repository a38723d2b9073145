"""What every channel hands to the queue: one message from a person, platform-neutral.

A platform forwards what a person typed, whatever it is: the message is accepted, but what
the database cannot hold (NUL, lone surrogates) is dropped and identifiers are cut to their
columns here, the one place every channel's message passes (docs/security.md "Bad input").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from motcua.core.inputs import strip_unstorable

# Columns of TicketMessage / ContactIdentity / TicketAttachment the fields end in.
_COLUMN = {"external_id": 255, "sender_id": 255, "sender_name": 255, "phone": 20, "email": 254}


def _storable(value: str, limit: int | None = None) -> str:
    value = strip_unstorable(value)
    return value[:limit] if limit else value


@dataclass(frozen=True)
class InboundAttachment:
    name: str
    content_type: str
    content: bytes

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _storable(self.name, 255))
        object.__setattr__(self, "content_type", _storable(self.content_type, 100))


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

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, str):
                object.__setattr__(self, spec.name, _storable(value, _COLUMN.get(spec.name)))
        object.__setattr__(self, "thread_ids", tuple(_storable(t, 255) for t in self.thread_ids))
