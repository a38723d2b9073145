"""Zalo Official Account: the webhook that brings citizens' messages and the send API for replies.

Inbound, Zalo POSTs one JSON event per request to the OA's webhook: ``app_id``,
``event_name`` (``user_send_text``, ``user_send_image``, …), ``sender.id`` (the person's id,
scoped to the OA), ``recipient.id`` (the OA), ``message.msg_id``, ``message.text``,
``message.attachments[].payload`` and ``timestamp`` (Unix milliseconds, a string). The header
``X-ZEvent-Signature: mac=<hex>`` carries SHA-256 (a plain hash, not an HMAC) of
``app_id + raw body + timestamp + OA secret key``; the timestamp is the body's own. A replayed
event carries the same ``msg_id`` and is stored once, so there is no freshness window.

Outbound, a "tin tư vấn" (customer-service message): ``POST {ZALO_API_URL}/v3.0/oa/message/cs``
with header ``access_token`` and ``{"recipient": {"user_id"}, "message": {"text"}}``. Zalo
answers HTTP 200 with ``{"error": 0, "data": {"message_id"}}`` or a negative error code. It
takes at most ``MAX_TEXT_CHARS`` characters and has no idempotency key: a retry after a lost
answer sends the message twice, which is why the caller's outbox sends each reply once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

from motcua.core.outbox.errors import DeliveryError
from motcua.hotline.channels.payload import (
    child,
    from_millis,
    ident,
    json_answer,
    send_in_pieces,
)
from motcua.hotline.inbound import InboundMessage

if TYPE_CHECKING:
    from motcua.hotline.models import TicketMessage

CHANNEL = "zalo"
SIGNATURE_HEADER = "X-ZEvent-Signature"
MAX_WEBHOOK_BYTES = 1_000_000
MAX_TEXT_CHARS = 2000
TIMEOUT_SECONDS = 10.0
SEND_PATH = "/v3.0/oa/message/cs"

# What a person sends the OA. Not: anonymous_send_* (no user id a reply can reach),
# oa_send_* (the OA's own messages), follow/unfollow, user_received/seen_message.
USER_MESSAGE_EVENTS = frozenset(
    {
        "user_send_text",
        "user_send_image",
        "user_send_gif",
        "user_send_sticker",
        "user_send_file",
        "user_send_audio",
        "user_send_video",
        "user_send_link",
        "user_send_location",
        "user_send_business_card",
    }
)
_ATTACHMENT_LABELS = {
    "image": "Ảnh",
    "gif": "Ảnh GIF",
    "sticker": "Nhãn dán",
    "file": "Tệp",
    "audio": "Tin nhắn thoại",
    "video": "Video",
    "link": "Liên kết",
    "location": "Vị trí",
}
# Error codes another attempt can get past: rate limit, quotas that refill, and the access
# token, which expires every 25 hours and is renewed outside this module (the reply itself is
# fine). Every other code (-213 not following the OA, -230 no interaction in 7 days, -201
# invalid parameter, …) is permanent.
RETRYABLE_CODES = {
    -32: "vượt giới hạn gọi API",
    -211: "hết hạn mức gửi tin",
    -216: "access token không hợp lệ",
    -218: "hết hạn mức gửi tin đến người dùng này",
    -220: "access token đã hết hạn",
}
RETRYABLE_HTTP = {408, 425, 429}
_MAC = re.compile(r"mac=([0-9a-fA-F]{64})")


def mac(raw_body: bytes, *, app_id: str, timestamp: str, secret: str) -> str:
    """The hex SHA-256 of app id + raw body + timestamp + OA secret key."""
    return hashlib.sha256(
        app_id.encode("utf-8") + raw_body + timestamp.encode("utf-8") + secret.encode("utf-8")
    ).hexdigest()


def verify_signature(raw_body: bytes, header: str | None, *, app_id: str, secret: str) -> bool:
    """Whether ``X-ZEvent-Signature`` is Zalo's for this body, under our app id and OA secret
    key. A missing or malformed header, an unreadable body or an empty secret is a no."""
    match = _MAC.fullmatch((header or "").strip())
    if not (match and secret and app_id) or len(raw_body) > MAX_WEBHOOK_BYTES:
        return False
    try:
        timestamp = _event(raw_body).get("timestamp")
    except ValueError:
        return False
    if not isinstance(timestamp, str | int) or isinstance(timestamp, bool):
        return False
    expected = mac(raw_body, app_id=app_id, timestamp=str(timestamp), secret=secret)
    return hmac.compare_digest(match.group(1).lower(), expected)


def verify_request(raw_body: bytes, headers: Mapping[str, str]) -> bool:
    """The webhook's check (``registry``): the request's signature under this site's Zalo
    app id and OA secret key."""
    return verify_signature(
        raw_body,
        headers.get(SIGNATURE_HEADER),
        app_id=settings.ZALO_APP_ID,
        secret=settings.ZALO_OA_SECRET_KEY,
    )


def parse_webhook(raw_body: bytes) -> list[InboundMessage]:
    """The person's message in one webhook event, or ``[]`` for events that are not one.

    Attachments are not downloaded: their kind, name and address become the message's text.
    Raises ``ValueError`` on a body that is too large, not JSON, or not shaped like Zalo's.
    """
    event = _event(raw_body)
    name = event.get("event_name")
    if not isinstance(name, str):
        raise ValueError("Zalo event without event_name")
    if name not in USER_MESSAGE_EVENTS:
        return []
    message = child(event, "message")
    text = message.get("text")
    if name == "user_send_text" and not isinstance(text, str):
        raise ValueError("user_send_text without message.text")
    parts = [text.strip()] if isinstance(text, str) and text.strip() else []
    attachments = message.get("attachments") or []
    if not isinstance(attachments, list):
        raise ValueError("message.attachments is not a list")
    parts += [_describe(attachment) for attachment in attachments]
    return [
        InboundMessage(
            channel=CHANNEL,
            external_id=ident(message, "msg_id"),
            sender_id=ident(child(event, "sender"), "id"),
            text="\n".join(part for part in parts if part),
            sent_at=from_millis(event.get("timestamp")),
        )
    ]


def send_reply(message: TicketMessage) -> str:
    """The outbox's sender (``replies.SENDERS``): one reply to its recipient, through the
    client built from the settings; the platform's message id, or ``DeliveryError``."""
    if not settings.ZALO_ENABLED:
        raise DeliveryError("ZALO_ENABLED is off: Zalo replies cannot be sent", retryable=False)
    return ZaloClient.from_settings().send_text(message.recipient, message.body)


@dataclass(frozen=True)
class ZaloClient:
    base_url: str
    access_token: str
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls) -> ZaloClient:
        return cls(
            base_url=settings.ZALO_API_URL.rstrip("/"), access_token=settings.ZALO_ACCESS_TOKEN
        )

    def send_text(self, user_id: str, text: str) -> str:
        """Send ``text`` to the person ``user_id``; return Zalo's message id or raise
        ``DeliveryError``. A text over ``MAX_TEXT_CHARS`` goes as several messages, in order,
        and the id returned is the last one's; if a later piece fails the earlier ones have
        been sent (the error says which piece), and a retry sends them again."""
        if not self.base_url.startswith(("http://", "https://")):
            raise DeliveryError("ZALO_API_URL is not an http(s) address", retryable=False)
        return send_in_pieces(text, MAX_TEXT_CHARS, lambda piece: self._send_one(user_id, piece))

    def _send_one(self, user_id: str, text: str) -> str:
        body = json.dumps(
            {"recipient": {"user_id": user_id}, "message": {"text": text}}, ensure_ascii=False
        ).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            self.base_url + SEND_PATH,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "access_token": self.access_token,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json_answer(response.read(), "Zalo")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            retryable = exc.code >= 500 or exc.code in RETRYABLE_HTTP
            raise DeliveryError(f"Zalo HTTP {exc.code}: {detail}", retryable=retryable) from exc
        except (urllib.error.URLError, OSError) as exc:  # refused, reset, timed out
            raise DeliveryError(f"Zalo unreachable: {exc}", retryable=True) from exc
        return _message_id(answer)


def _event(raw_body: bytes) -> dict[str, Any]:
    if len(raw_body) > MAX_WEBHOOK_BYTES:
        raise ValueError(f"webhook body over {MAX_WEBHOOK_BYTES} bytes")
    try:
        event = json.loads(raw_body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ValueError(f"webhook body is not JSON: {exc}") from exc
    if not isinstance(event, dict):
        raise ValueError("webhook body is not a JSON object")
    return event


def _describe(attachment: Any) -> str:
    """One attachment as a line of text: "[Ảnh] https://…", "[Tệp] to-khai.pdf https://…"."""
    if not isinstance(attachment, dict):
        raise ValueError("an attachment is not an object")
    kind = str(attachment.get("type") or "")
    payload = attachment.get("payload")
    payload = payload if isinstance(payload, dict) else {}
    details = [str(payload[key]).strip() for key in ("name", "description") if payload.get(key)]
    coordinates = payload.get("coordinates")
    if isinstance(coordinates, dict):
        details.append(f"{coordinates.get('latitude')},{coordinates.get('longitude')}")
    url = payload.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        details.append(url)
    label = _ATTACHMENT_LABELS.get(kind, kind or "Đính kèm")
    return " ".join([f"[{label}]", *details])


def _message_id(answer: dict[str, Any]) -> str:
    try:
        code = int(answer.get("error", -1))
    except (TypeError, ValueError):
        code = -1
    data = answer.get("data")
    if code == 0 and isinstance(data, dict) and data.get("message_id"):
        return str(data["message_id"])
    if code == 0:
        raise DeliveryError(
            f"Zalo answered success without a message id: {answer!r}", retryable=True
        )
    text = RETRYABLE_CODES.get(code) or str(answer.get("message", ""))[:200]
    raise DeliveryError(f"Zalo error {code}: {text}", retryable=code in RETRYABLE_CODES)
