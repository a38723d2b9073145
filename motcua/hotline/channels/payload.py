"""What the chat platforms (Zalo, Messenger) share: shape checks of the JSON they send and
answer (one clear ``ValueError`` for a webhook body, a ``DeliveryError`` for a send API's
answer), and long replies sent as several messages."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable
from typing import Any

from motcua.core.outbox.errors import DeliveryError


def child(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"{key} is missing or not an object")
    return value


def ident(parent: dict[str, Any], key: str) -> str:
    value = parent.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise ValueError(f"{key} is missing or not an id")
    return str(value).strip()


def from_millis(value: Any) -> dt.datetime:
    try:
        if isinstance(value, bool):
            raise TypeError
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise ValueError(f"timestamp is not Unix milliseconds: {value!r}") from exc


def json_answer(raw: bytes, platform: str) -> dict[str, Any]:
    """A send API's answer as an object; anything else is worth retrying."""
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise DeliveryError(f"{platform} answered non-JSON: {raw[:200]!r}", retryable=True) from exc
    if not isinstance(answer, dict):
        raise DeliveryError(f"{platform} answered {answer!r}", retryable=True)
    return answer


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, in order, cut at a paragraph, line
    or word break in the second half of a piece when there is one. A text within the limit
    is one piece, unchanged; a blank text is none."""
    if not text.strip():
        return []
    if len(text) <= limit:
        return [text]
    pieces, rest = [], text.strip()
    while len(rest) > limit:
        cut = _break_before(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _break_before(text: str, limit: int) -> int:
    for separator in ("\n\n", "\n", " "):
        at = text.rfind(separator, limit // 2, limit + 1)
        if at > 0:
            return at
    cut = limit
    while cut > 1 and unicodedata.combining(text[cut]):  # keep a letter with its accent
        cut -= 1
    return cut


def send_in_pieces(text: str, limit: int, send_one: Callable[[str], str]) -> str:
    """Send ``text`` as pieces of at most ``limit`` characters, in order; return the last
    piece's message id. If a later piece fails the earlier ones have been sent (the error
    says which piece), and a retry sends them again: neither platform has an idempotency
    key."""
    pieces = split_text(text, limit)
    if not pieces:
        raise DeliveryError("empty reply: nothing to send", retryable=False)
    message_id = ""
    for number, piece in enumerate(pieces, start=1):
        try:
            message_id = send_one(piece)
        except DeliveryError as exc:
            if len(pieces) == 1:
                raise
            raise DeliveryError(
                f"piece {number}/{len(pieces)}: {exc}", retryable=exc.retryable
            ) from exc
    return message_id
