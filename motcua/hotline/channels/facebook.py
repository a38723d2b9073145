"""Facebook Messenger (a Page's inbox): the webhook that brings messages and the Send API.

Subscription: Meta GETs the webhook with ``hub.mode=subscribe``, ``hub.verify_token`` (ours,
set in the app dashboard) and ``hub.challenge``, which the webhook echoes as plain text.

Inbound, Meta POSTs ``{"object": "page", "entry": [{"id", "time", "messaging": [event, …]}]}``,
several events per request; a message event is ``{"sender": {"id": PSID}, "recipient":
{"id": PAGE_ID}, "timestamp" (ms), "message": {"mid", "text", "attachments": [{"type",
"payload": {"url"}}]}}``. The header ``X-Hub-Signature-256: sha256=<hex>`` is the HMAC-SHA256 of
the raw body (Meta escapes non-ASCII and "/" in it) under the app secret. Echoes of the Page's
own messages (``message.is_echo``), deliveries, reads, postbacks and reactions are not messages
from a person and are ignored.

Outbound: ``POST {FACEBOOK_GRAPH_URL}/v21.0/me/messages?access_token=<page token>`` (with
``appsecret_proof``) and ``{"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
"message": {"text"}}``; the answer is ``{"recipient_id", "message_id"}`` or, with an HTTP error
status, ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``. A RESPONSE
must come within 24 hours of the person's last message (later: code 10, subcode 2018278). Texts
are at most ``MAX_TEXT_CHARS`` characters. There is no idempotency key: a retry after a lost
answer sends the message twice, which is why the caller's outbox sends each reply once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import urllib.error
import urllib.parse
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

CHANNEL = "facebook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
GRAPH_VERSION = "v21.0"
MAX_WEBHOOK_BYTES = 1_000_000
MAX_TEXT_CHARS = 2000
TIMEOUT_SECONDS = 10.0

_ATTACHMENT_LABELS = {
    "image": "Ảnh",
    "video": "Video",
    "audio": "Tin nhắn thoại",
    "file": "Tệp",
    "location": "Vị trí",
    "fallback": "Liên kết",
    "template": "Nội dung chia sẻ",
}
# Codes another attempt can get past: unknown/unexpected errors (1, 2), rate limits (4, 17,
# 32, 613), temporary send failure (1200), and the Page token (190), which is renewed outside
# this module (the reply itself is fine). Anything else (10 outside the 24-hour window, 551
# person unavailable, 100 invalid parameter or no matching user, 200 permissions, …) is
# permanent unless Meta marks it ``is_transient``.
RETRYABLE_CODES = {1, 2, 4, 17, 32, 190, 613, 1200}
RETRYABLE_HTTP = {408, 425, 429}
_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")
# Meta's challenge is a number; anything else is not echoed back into a response.
_CHALLENGE = re.compile(r"[0-9A-Za-z_.\-]{1,256}")


def signature(raw_body: bytes, *, app_secret: str) -> str:
    """The hex HMAC-SHA256 of the raw body under the app secret."""
    return hmac.new(app_secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()


def verify_signature(raw_body: bytes, header: str | None, *, app_secret: str) -> bool:
    """Whether ``X-Hub-Signature-256`` is Meta's for this body under our app secret. A missing
    or malformed header (or the old SHA-1 ``X-Hub-Signature`` form), or an empty secret, is a
    no."""
    match = _SIGNATURE.fullmatch((header or "").strip())
    if not (match and app_secret):
        return False
    return hmac.compare_digest(match.group(1).lower(), signature(raw_body, app_secret=app_secret))


def verify_subscription(params: Mapping[str, str], *, verify_token: str) -> str | None:
    """The challenge to echo (as ``text/plain``) when Meta's subscription request carries our
    verify token; ``None`` otherwise (answer 403). ``params`` is the query, e.g. ``request.GET``."""
    mode, token = params.get("hub.mode"), params.get("hub.verify_token") or ""
    challenge = params.get("hub.challenge") or ""
    if mode != "subscribe" or not verify_token or not _CHALLENGE.fullmatch(challenge):
        return None
    if not hmac.compare_digest(token.encode("utf-8"), verify_token.encode("utf-8")):
        return None
    return challenge


def verify_request(raw_body: bytes, headers: Mapping[str, str]) -> bool:
    """The webhook's check (``registry``): the request's signature under this site's app
    secret."""
    return verify_signature(
        raw_body, headers.get(SIGNATURE_HEADER), app_secret=settings.FACEBOOK_APP_SECRET
    )


def subscribe(params: Mapping[str, str]) -> str | None:
    """The webhook's subscription handshake (``registry``), under this site's verify token."""
    return verify_subscription(params, verify_token=settings.FACEBOOK_VERIFY_TOKEN)


def parse_webhook(raw_body: bytes) -> list[InboundMessage]:
    """The people's messages in one webhook request, in order; other events are left out, and
    so is a body whose ``object`` is not ``page``. Attachments are not downloaded: their kind
    and address become the message's text. Raises ``ValueError`` on a body that is too large,
    not JSON, or not shaped like Meta's."""
    if len(raw_body) > MAX_WEBHOOK_BYTES:
        raise ValueError(f"webhook body over {MAX_WEBHOOK_BYTES} bytes")
    try:
        body = json.loads(raw_body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ValueError(f"webhook body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ValueError("webhook body is not a JSON object")
    if body.get("object") != "page":
        return []
    entries = body.get("entry")
    if not isinstance(entries, list):
        raise ValueError("entry is missing or not a list")
    messages = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValueError("an entry is not an object")
        events = entry.get("messaging") or []  # feed changes and standby events have none
        if not isinstance(events, list):
            raise ValueError("entry.messaging is not a list")
        messages += [message for event in events if (message := _message(event))]
    return messages


def send_reply(message: TicketMessage) -> str:
    """The outbox's sender (``replies.SENDERS``): one reply to its recipient, through the
    client built from the settings; the platform's message id, or ``DeliveryError``."""
    if not settings.FACEBOOK_ENABLED:
        raise DeliveryError(
            "FACEBOOK_ENABLED is off: Messenger replies cannot be sent", retryable=False
        )
    return MessengerClient.from_settings().send_text(message.recipient, message.body)


@dataclass(frozen=True)
class MessengerClient:
    graph_url: str
    page_access_token: str
    app_secret: str = ""
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls) -> MessengerClient:
        return cls(
            graph_url=settings.FACEBOOK_GRAPH_URL.rstrip("/"),
            page_access_token=settings.FACEBOOK_PAGE_ACCESS_TOKEN,
            app_secret=settings.FACEBOOK_APP_SECRET,
        )

    def send_text(self, psid: str, text: str) -> str:
        """Send ``text`` to the person ``psid`` as a RESPONSE; return Meta's message id or
        raise ``DeliveryError``. A text over ``MAX_TEXT_CHARS`` goes as several messages, in
        order, and the id returned is the last one's; if a later piece fails the earlier ones
        have been sent (the error says which piece), and a retry sends them again."""
        if not self.graph_url.startswith(("http://", "https://")):
            raise DeliveryError("FACEBOOK_GRAPH_URL is not an http(s) address", retryable=False)
        return send_in_pieces(text, MAX_TEXT_CHARS, lambda piece: self._send_one(psid, piece))

    def _url(self) -> str:
        query = {"access_token": self.page_access_token}
        if self.app_secret:  # required when the app has "Require App Secret" switched on
            query["appsecret_proof"] = hmac.new(
                self.app_secret.encode("utf-8"),
                self.page_access_token.encode("utf-8"),
                hashlib.sha256,
            ).hexdigest()
        return f"{self.graph_url}/{GRAPH_VERSION}/me/messages?{urllib.parse.urlencode(query)}"

    def _send_one(self, psid: str, text: str) -> str:
        body = json.dumps(
            {"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": text}},
            ensure_ascii=False,
        ).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            self._url(),
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        # Error texts never include the URL: it carries the Page token.
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json_answer(response.read(), "Messenger")
        except urllib.error.HTTPError as exc:
            raise _graph_error(exc.code, exc.read()[:2000]) from exc
        except (urllib.error.URLError, OSError) as exc:  # refused, reset, timed out
            raise DeliveryError(f"Messenger unreachable: {exc}", retryable=True) from exc
        if not answer.get("message_id"):
            raise DeliveryError(
                f"Messenger answered without a message id: {answer!r}", retryable=True
            )
        return str(answer["message_id"])


def _message(event: Any) -> InboundMessage | None:
    if not isinstance(event, dict):
        raise ValueError("a messaging event is not an object")
    message = event.get("message")
    if message is None:  # delivery, read, postback, reaction, optin, referral
        return None
    if not isinstance(message, dict):
        raise ValueError("message is not an object")
    if message.get("is_echo"):  # the Page's own message, sent from here or from the inbox
        return None
    text = message.get("text")
    if text is not None and not isinstance(text, str):
        raise ValueError("message.text is not a string")
    attachments = message.get("attachments") or []
    if not isinstance(attachments, list):
        raise ValueError("message.attachments is not a list")
    parts = [text.strip()] if text and text.strip() else []
    parts += [_describe(attachment) for attachment in attachments]
    return InboundMessage(
        channel=CHANNEL,
        external_id=ident(message, "mid"),
        sender_id=ident(child(event, "sender"), "id"),
        text="\n".join(parts),
        sent_at=from_millis(event.get("timestamp")),
    )


def _describe(attachment: Any) -> str:
    """One attachment as a line of text: "[Ảnh] https://…", "[Vị trí] 10.46,105.63"."""
    if not isinstance(attachment, dict):
        raise ValueError("an attachment is not an object")
    kind = str(attachment.get("type") or "")
    payload = attachment.get("payload")
    payload = payload if isinstance(payload, dict) else {}
    title = payload.get("title") or attachment.get("title")  # fallback: a shared link
    details = [str(title).strip()] if title else []
    coordinates = payload.get("coordinates")
    if isinstance(coordinates, dict):
        details.append(f"{coordinates.get('lat')},{coordinates.get('long')}")
    url = payload.get("url") or attachment.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        details.append(url)
    label = "Nhãn dán" if payload.get("sticker_id") else _ATTACHMENT_LABELS.get(kind, kind)
    return " ".join([f"[{label or 'Đính kèm'}]", *details])


def _graph_error(status: int, raw: bytes) -> DeliveryError:
    """The Graph API's ``{"error": {…}}`` (or whatever came with the HTTP error) as a
    ``DeliveryError``, retryable by code, by ``is_transient`` or by HTTP status."""
    try:
        error = json.loads(raw).get("error")
    except (ValueError, AttributeError):
        error = None
    if not isinstance(error, dict):
        detail = raw[:300].decode("utf-8", "replace")
        retryable = status >= 500 or status in RETRYABLE_HTTP
        return DeliveryError(f"Messenger HTTP {status}: {detail}", retryable=retryable)
    code, subcode = error.get("code"), error.get("error_subcode")
    retryable = (
        code in RETRYABLE_CODES
        or error.get("is_transient") is True
        or (code is None and (status >= 500 or status in RETRYABLE_HTTP))
    )
    reference = f"code {code}" + (f"/{subcode}" if subcode else "")
    message = str(error.get("message", ""))[:200]
    trace = f" (fbtrace_id {error['fbtrace_id']})" if error.get("fbtrace_id") else ""
    return DeliveryError(
        f"Messenger HTTP {status}, {reference}: {message}{trace}", retryable=retryable
    )
