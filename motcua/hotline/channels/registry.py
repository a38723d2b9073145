"""Every channel of the 1022 hotline, described once.

A ticket remembers the channel it came from (``TicketChannel``), and the reply goes back the
same way. What the rest of the hotline needs to know about a channel is here, and nowhere
else:

- ``webhook``: how the platform pushes messages to us (``/kenh/<path>/webhook/``): the switch
  that turns it on, the largest body taken, how its signature is checked and its body read,
  and, for platforms that ask first, the subscription handshake. The URLs and the views are
  derived from it (``urls.py``, ``webhooks.py``);
- ``sender``: the function that delivers one reply of the reply outbox (``replies.py``); a
  channel without one is answered in person (a call, a walk-in, a dialogue) and the reply is
  recorded as given;
- ``recipient``: who the reply is addressed to, fixed when the reply is written.

Adding a channel means one module in this package (its protocol) and one entry below.
Modules and functions are named by their dotted path and imported on first use, so reading
the registry imports no channel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from django.utils.module_loading import import_string

from motcua.hotline.status import TicketChannel


class Recipient(Enum):
    """Where a reply is addressed, decided when the reply is written."""

    PLATFORM_ACCOUNT = "platform_account"  # the contact's account on this platform
    EMAIL = "email"  # the contact's email address
    CHANNEL = "channel"  # the channel finds its own (web form, national Q&A, Open311)


@dataclass(frozen=True)
class Webhook:
    """A platform that pushes messages to ``/kenh/<path>/webhook/`` (URL name
    ``<path>-webhook``). Its ``module`` speaks the platform's protocol:
    ``MAX_WEBHOOK_BYTES``, ``verify_request(raw body, headers) -> bool``,
    ``parse_webhook(raw body) -> list[InboundMessage]`` (``ValueError`` when it is not the
    platform's), and, with ``handshake``, ``subscribe(query) -> challenge | None``."""

    path: str
    label: str  # the platform's name in logs
    enabled: str  # the setting that switches the channel on
    module: str
    handshake: bool = False  # the platform subscribes with a GET first

    @property
    def max_bytes(self) -> int:
        return int(_load(f"{self.module}.MAX_WEBHOOK_BYTES"))

    def verify(self, raw_body: bytes, headers: Mapping[str, str]) -> bool:
        return bool(_load(f"{self.module}.verify_request")(raw_body, headers))

    def parse(self, raw_body: bytes) -> list[Any]:
        return list(_load(f"{self.module}.parse_webhook")(raw_body))

    def subscribe(self, params: Mapping[str, str]) -> str | None:
        challenge = _load(f"{self.module}.subscribe")(params)
        return None if challenge is None else str(challenge)


@dataclass(frozen=True)
class Channel:
    code: str  # a TicketChannel value
    sender: str = ""  # (TicketMessage) -> the platform's message id; "" when answered in person
    recipient: Recipient = Recipient.CHANNEL
    webhook: Webhook | None = None

    @property
    def delivered(self) -> bool:
        """Whether the software delivers the replies itself."""
        return bool(self.sender)

    def send(self, message: Any) -> str:
        return str(_load(self.sender)(message))


_CHANNELS = "motcua.hotline.channels"

CHANNELS: dict[str, Channel] = {
    channel.code: channel
    for channel in (
        Channel(TicketChannel.PHONE),
        Channel(TicketChannel.WALK_IN),
        Channel(TicketChannel.DIALOGUE),
        Channel(
            TicketChannel.ZALO,
            sender=f"{_CHANNELS}.zalo.send_reply",
            recipient=Recipient.PLATFORM_ACCOUNT,
            webhook=Webhook("zalo", "Zalo", "ZALO_ENABLED", f"{_CHANNELS}.zalo"),
        ),
        Channel(
            TicketChannel.FACEBOOK,
            sender=f"{_CHANNELS}.facebook.send_reply",
            recipient=Recipient.PLATFORM_ACCOUNT,
            webhook=Webhook(
                "facebook",
                "Messenger",
                "FACEBOOK_ENABLED",
                f"{_CHANNELS}.facebook",
                handshake=True,
            ),
        ),
        Channel(
            TicketChannel.EMAIL,
            sender=f"{_CHANNELS}.email.send_reply",
            recipient=Recipient.EMAIL,
        ),
        Channel(TicketChannel.WEB, sender=f"{_CHANNELS}.web.send_reply"),
        Channel(TicketChannel.NATIONAL_QA, sender=f"{_CHANNELS}.national_qa.send_reply"),
        Channel(TicketChannel.OPEN311, sender=f"{_CHANNELS}.open311_reply.send_reply"),
    )
}

# Channels whose replies the software delivers itself.
DELIVERED_CHANNELS = frozenset(code for code, channel in CHANNELS.items() if channel.delivered)


def channel(code: str) -> Channel | None:
    return CHANNELS.get(code)


def with_webhooks() -> list[Channel]:
    return [c for c in CHANNELS.values() if c.webhook is not None]


@cache
def _load(path: str) -> Any:
    return import_string(path)
