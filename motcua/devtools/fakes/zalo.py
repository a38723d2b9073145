"""A local stand-in for Zalo's OA Open API and webhook sender (protocol: the module docstring
of ``motcua/hotline/channels/zalo.py``).

It checks the ``access_token`` header (a wrong one is answered ``-216`` and not recorded),
takes ``POST /v3.0/oa/message/cs`` with at most 2,000 characters, answers ``-230`` for a
person who never wrote to the OA, and keeps every message it took: with no idempotency key a
repeated send is a second message, as on Zalo. ``fail_next(n)`` makes the next ``n``
authenticated sends fail. It also plays Zalo's side of the webhook: ``signed_event`` builds a
``user_send_text`` event and its ``X-ZEvent-Signature`` header, ``deliver_user_text`` POSTs it.
"""

from __future__ import annotations

import hmac
import itertools
import json
import time
from collections.abc import Callable
from typing import Any

from motcua.devtools.fakes.chat import ChatPlatform, SentMessage
from motcua.devtools.loopback import Reply, Request, json_reply, post
from motcua.hotline.channels.zalo import MAX_TEXT_CHARS, SEND_PATH, SIGNATURE_HEADER, mac

# Well-known development credentials (never a real app's).
DEV_APP_ID = "1234567890123456789"
DEV_OA_ID = "9876543210987654321"
DEV_OA_SECRET_KEY = "dev-zalo-oa-secret-key"  # noqa: S105 (a fake's public default)
DEV_ACCESS_TOKEN = "dev-zalo-access-token"  # noqa: S105 (a fake's public default)
_messages = {
    -32: "Your application reached limit call api",
    -201: "Parameters are invalid",
    -210: "Parameter exceeds allowable limit",
    -213: "User has not followed OA",
    -216: "Access token is invalid",
    -230: "User has not interacted with the OA in the past 7 days",
}


class FakeZaloApi(ChatPlatform):
    server_version = "motcua-fake-zalo/1"

    def __init__(
        self,
        *,
        app_id: str = DEV_APP_ID,
        oa_secret_key: str = DEV_OA_SECRET_KEY,
        access_token: str = DEV_ACCESS_TOKEN,
        oa_id: str = DEV_OA_ID,
        host: str = "127.0.0.1",
        port: int = 0,
        on_message: Callable[[SentMessage], None] | None = None,
    ) -> None:
        super().__init__(host=host, port=port, on_message=on_message)
        self.app_id, self.oa_secret_key, self.oa_id = app_id, oa_secret_key, oa_id
        self.access_token = access_token
        self._msg_ids = itertools.count(1)

    def fail_next(self, count: int, *, status: int = 200, error: int = -32) -> None:
        """The next ``count`` authenticated sends fail: with ``{"error": error}`` under HTTP
        200, as Zalo reports its errors (default: -32, rate limited), or with ``status``."""
        message = _messages.get(error, "lỗi giả lập")
        self.fail_next_with(count, json_reply(status, {"error": error, "message": message}))

    def reply(self, request: Request) -> Reply:
        if (request.method, request.path.rstrip("/")) != ("POST", SEND_PATH):
            return json_reply(404, {"error": -404, "message": "Not found"})
        token = request.headers.get("access_token") or ""
        if not hmac.compare_digest(token.encode(), self.access_token.encode()):
            self._reject()
            return _error(-216)
        try:
            payload = request.json()
            user_id, text = payload["recipient"]["user_id"], payload["message"]["text"]
        except (ValueError, KeyError, TypeError):
            return _error(-201)
        if not (isinstance(user_id, str) and isinstance(text, str) and text):
            return _error(-201)
        if failure := self._next_failure():
            return failure
        if len(text) > MAX_TEXT_CHARS:
            return _error(-210)
        if not self._knows(user_id):
            return _error(-230)
        sent = self._record(user_id, text, prefix="zmsg")
        return json_reply(
            200,
            {
                "error": 0,
                "message": "Success",
                "data": {"message_id": sent.message_id, "user_id": user_id},
            },
        )

    def user_text_event(
        self, user_id: str, text: str, *, msg_id: str | None = None, timestamp_ms: int | None = None
    ) -> dict[str, Any]:
        """A ``user_send_text`` event as Zalo sends it; the person can then be answered."""
        self.meet(user_id)
        return {
            "app_id": self.app_id,
            "user_id_by_app": f"app-{user_id}",
            "event_name": "user_send_text",
            "timestamp": str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)),
            "sender": {"id": user_id},
            "recipient": {"id": self.oa_id},
            "message": {"msg_id": msg_id or f"zin{next(self._msg_ids):06d}", "text": text},
        }

    def sign(self, event: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        """Any event as Zalo would POST it: the body's bytes and the request headers."""
        body = json.dumps(event, ensure_ascii=False).encode("utf-8")
        signature = mac(
            body, app_id=self.app_id, timestamp=str(event["timestamp"]), secret=self.oa_secret_key
        )
        return body, {"Content-Type": "application/json", SIGNATURE_HEADER: f"mac={signature}"}

    def signed_event(
        self, user_id: str, text: str, *, msg_id: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """A signed ``user_send_text`` event, for the Django test client:
        ``client.post(url, body, content_type="application/json", headers=headers)``."""
        return self.sign(self.user_text_event(user_id, text, msg_id=msg_id))

    def deliver_user_text(
        self, webhook_url: str, user_id: str, text: str, *, msg_id: str | None = None
    ) -> tuple[int, str]:
        """POST a signed ``user_send_text`` event to ``webhook_url``: (HTTP status, msg_id)."""
        event = self.user_text_event(user_id, text, msg_id=msg_id)
        body, headers = self.sign(event)
        return post(webhook_url, body, headers), event["message"]["msg_id"]


def _error(code: int) -> Reply:
    return json_reply(200, {"error": code, "message": _messages[code]})
