"""A local stand-in for the Messenger Send API and Meta's webhook sender (protocol: the module
docstring of ``motcua/hotline/channels/facebook.py``).

It checks the Page token in the query (and ``appsecret_proof`` when given; a wrong one is
answered with code 190 or 100 and not recorded), takes ``POST /v*/me/messages`` with a
``messaging_type`` and at most 2,000 characters, answers "No matching user found" for a PSID
that never wrote to the Page, and keeps every message it took: with no idempotency key a
repeated send is a second message, as on Messenger. ``fail_next(n)`` makes the next ``n``
authenticated sends fail. It plays Meta's side of the webhook too: the subscription request
(``subscription_params``, ``subscribe``) and signed message events (``signed_event``,
``deliver_user_text``), serialised as Meta does, with non-ASCII and "/" escaped.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from motcua.devtools.fakes.chat import ChatPlatform, SentMessage
from motcua.devtools.loopback import Reply, Request, get, json_reply, post
from motcua.hotline.channels.facebook import MAX_TEXT_CHARS, SIGNATURE_HEADER, signature

# Well-known development credentials (never a real app's).
DEV_PAGE_ID = "104857600000001"
DEV_APP_SECRET = "dev-facebook-app-secret"  # noqa: S105 (a fake's public default)
DEV_PAGE_ACCESS_TOKEN = "dev-facebook-page-access-token"  # noqa: S105 (a fake's public default)
DEV_VERIFY_TOKEN = "dev-facebook-verify-token"  # noqa: S105 (a fake's public default)
MESSAGING_TYPES = {"RESPONSE", "UPDATE", "MESSAGE_TAG"}
_SEND_PATH = re.compile(r"/v\d+\.\d+/me/messages/?")
_messages = {
    2: "An unexpected error has occurred. Please retry your request later.",
    4: "(#4) Application request limit reached",
    10: "(#10) This message is sent outside of allowed window.",
    100: "(#100) Invalid parameter",
    190: "Invalid OAuth access token.",
    551: "(#551) This person isn't available right now.",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    1200: "Temporary send message failure. Please try again later",
}


class FakeMessengerApi(ChatPlatform):
    server_version = "motcua-fake-messenger/1"

    def __init__(
        self,
        *,
        app_secret: str = DEV_APP_SECRET,
        page_access_token: str = DEV_PAGE_ACCESS_TOKEN,
        verify_token: str = DEV_VERIFY_TOKEN,
        page_id: str = DEV_PAGE_ID,
        host: str = "127.0.0.1",
        port: int = 0,
        on_message: Callable[[SentMessage], None] | None = None,
    ) -> None:
        super().__init__(host=host, port=port, on_message=on_message)
        self.app_secret, self.page_access_token = app_secret, page_access_token
        self.verify_token, self.page_id = verify_token, page_id
        self._mids = itertools.count(1)
        self._traces = itertools.count(1)

    def fail_next(self, count: int, *, status: int = 500, code: int = 2) -> None:
        """The next ``count`` authenticated sends fail with HTTP ``status`` and a Graph error
        of ``code`` (default: 500, code 2 "unexpected error, retry later")."""
        self.fail_next_with(count, lambda: self._error(status, code))

    def reply(self, request: Request) -> Reply:
        if request.method != "POST" or not _SEND_PATH.fullmatch(request.path):
            return self._error(404, 100, "Unknown path components")
        query = request.query
        token = query.get("access_token", "")
        proof = query.get("appsecret_proof")
        expected_proof = hmac.new(
            self.app_secret.encode(), token.encode(), hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(token.encode(), self.page_access_token.encode()):
            self._reject()
            return self._error(400, 190, type_="OAuthException")
        if proof is not None and not hmac.compare_digest(proof.encode(), expected_proof.encode()):
            self._reject()
            return self._error(400, 100, "Invalid appsecret_proof provided in the API argument")
        try:
            payload = request.json()
            psid, text = payload["recipient"]["id"], payload["message"]["text"]
            messaging_type = payload.get("messaging_type")
        except (ValueError, KeyError, TypeError, AttributeError):
            return self._error(400, 100)
        if not (isinstance(psid, str) and isinstance(text, str) and text):
            return self._error(400, 100)
        if messaging_type not in MESSAGING_TYPES:
            return self._error(400, 100, "(#100) messaging_type is required")
        if failure := self._next_failure():
            return failure
        if len(text) > MAX_TEXT_CHARS:
            return self._error(
                400,
                100,
                f"(#100) Length of param message[text] must be less than or equal to "
                f"{MAX_TEXT_CHARS}",
            )
        if not self._knows(psid):
            return self._error(400, 100, "(#100) No matching user found", subcode=2018001)
        sent = self._record(psid, text, prefix="m_fake")
        return json_reply(200, {"recipient_id": psid, "message_id": sent.message_id})

    def _error(
        self,
        status: int,
        code: int,
        message: str = "",
        *,
        subcode: int | None = None,
        type_: str = "OAuthException",
    ) -> Reply:
        error: dict[str, Any] = {
            "message": message or _messages.get(code, f"(#{code}) simulated error"),
            "type": type_,
            "code": code,
            "fbtrace_id": f"FakeTrace{next(self._traces):06d}",
        }
        if subcode is not None:
            error["error_subcode"] = subcode
        return json_reply(status, {"error": error})

    def subscription_params(self, *, challenge: str | None = None) -> dict[str, str]:
        """The query of Meta's subscription request (GET to the webhook)."""
        return {
            "hub.mode": "subscribe",
            "hub.verify_token": self.verify_token,
            "hub.challenge": challenge or str(secrets.randbelow(10**9)),
        }

    def subscribe(self, webhook_url: str) -> bool:
        """Whether the webhook accepts the subscription: HTTP 200 echoing the challenge."""
        params = self.subscription_params()
        status, text = get(webhook_url, params)
        return status == 200 and text == params["hub.challenge"]

    def user_text_event(
        self, psid: str, text: str, *, mid: str | None = None, timestamp_ms: int | None = None
    ) -> dict[str, Any]:
        """A webhook body with one text message from ``psid``, who can then be answered."""
        self.meet(psid)
        now = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
        return {
            "object": "page",
            "entry": [
                {
                    "id": self.page_id,
                    "time": now,
                    "messaging": [
                        {
                            "sender": {"id": psid},
                            "recipient": {"id": self.page_id},
                            "timestamp": now,
                            "message": {"mid": mid or f"m_in{next(self._mids):06d}", "text": text},
                        }
                    ],
                }
            ],
        }

    def sign(self, payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        """Any webhook body as Meta would POST it: the bytes and the request headers."""
        body = json.dumps(payload, separators=(",", ":")).replace("/", "\\/").encode("ascii")
        header = f"sha256={signature(body, app_secret=self.app_secret)}"
        return body, {"Content-Type": "application/json", SIGNATURE_HEADER: header}

    def signed_event(
        self, psid: str, text: str, *, mid: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """A signed text message event, for the Django test client:
        ``client.post(url, body, content_type="application/json", headers=headers)``."""
        return self.sign(self.user_text_event(psid, text, mid=mid))

    def deliver_user_text(
        self, webhook_url: str, psid: str, text: str, *, mid: str | None = None
    ) -> tuple[int, str]:
        """POST a signed text message event to ``webhook_url``: (HTTP status, mid)."""
        payload = self.user_text_event(psid, text, mid=mid)
        body, headers = self.sign(payload)
        message_id = payload["entry"][0]["messaging"][0]["message"]["mid"]
        return post(webhook_url, body, headers), message_id
