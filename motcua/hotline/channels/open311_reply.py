"""Replies on channel open311: nothing to send.

An Open311 client learns the answer by reading the request again (``GET requests/{id}``),
where the latest reply is its ``status_notes``; delivering a reply therefore only marks it as
published there. The id returned is ours, for the outbox's record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from motcua.hotline.models import TicketMessage


def send_reply(message: TicketMessage) -> str:
    return f"open311:{message.pk}"
