"""A local stand-in for an SMS brandname gateway (protocol: the module docstring of
``motcua/integrations/sms/transport.py``).

It checks what a real gateway checks: the API key, the HMAC signature and a ±5-minute
timestamp window; a forged or stale request gets 401 and is not recorded. It keeps one
message per ``client_id`` (a repeat is answered with the first message's id and
``"duplicate": true``), so ``messages`` is what reached phones and ``requests`` every
authenticated attempt, duplicates and failures included. ``fail_next(n)`` makes the next
``n`` authenticated requests fail, to exercise retries.
"""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from motcua.devtools.loopback import LoopbackServer, Reply, Request, json_reply
from motcua.integrations.sms.transport import sign

# Well-known development credentials (the command's defaults when SMS_API_KEY is unset).
DEV_API_KEY = "dev-key"
DEV_SECRET = "dev-secret"  # noqa: S105 (a fake's public default, never a real secret)
SEND_PATH = "/v1/sms"
TIMESTAMP_WINDOW_SECONDS = 300
_MSISDN = re.compile(r"^84[35789]\d{8}$")


@dataclass(frozen=True)
class ReceivedSms:
    message_id: str
    client_id: str
    phone: str
    message: str
    brandname: str


class FakeSmsGateway(LoopbackServer):
    server_version = "motcua-fake-sms/1"

    def __init__(
        self,
        *,
        api_key: str = DEV_API_KEY,
        secret: str = DEV_SECRET,
        host: str = "127.0.0.1",
        port: int = 0,
        on_message: Callable[[ReceivedSms], None] | None = None,
    ) -> None:
        super().__init__(host=host, port=port)
        self.api_key, self.secret = api_key, secret
        self.on_message = on_message
        self._by_client: dict[str, ReceivedSms] = {}

    @property
    def messages(self) -> list[ReceivedSms]:
        with self._lock:
            return list(self._by_client.values())

    def fail_next(self, count: int, *, code: str = "99", http_status: int = 200) -> None:
        """The next ``count`` authenticated requests fail: with ``{"code": code}`` under HTTP
        200 (a gateway-level error such as "99" rate limited) or with ``http_status``."""
        failure = json_reply(http_status, {"code": code, "message": "lỗi giả lập"})
        self.fail_next_with(count, failure)

    def reply(self, request: Request) -> Reply:
        if request.method != "POST" or request.target.rstrip("/") != SEND_PATH:
            return json_reply(404, {"code": "04", "message": "không có địa chỉ này"})
        if not self._authentic(request.headers, request.body):
            self._reject()
            return json_reply(401, {"code": "01", "message": "chữ ký hoặc khóa không hợp lệ"})
        try:
            payload = request.json()
            client_id, phone = str(payload["client_id"]), str(payload["phone"])
            text, brandname = str(payload["message"]), str(payload["brandname"])
        except (ValueError, KeyError, TypeError):
            return json_reply(400, {"code": "02", "message": "yêu cầu không hợp lệ"})
        with self._lock:
            if failure := self._next_failure():
                return failure
            if client_id in self._by_client:
                first = self._by_client[client_id]
                return json_reply(
                    200, {"code": "00", "message_id": first.message_id, "duplicate": True}
                )
            if not _MSISDN.match(phone):
                return json_reply(200, {"code": "10", "message": "số điện thoại không hợp lệ"})
            sms = ReceivedSms(
                message_id=f"fake-{len(self._by_client) + 1:06d}",
                client_id=client_id,
                phone=phone,
                message=text,
                brandname=brandname,
            )
            self._by_client[client_id] = sms
        if self.on_message:
            self.on_message(sms)
        return json_reply(200, {"code": "00", "message_id": sms.message_id})

    def _authentic(self, headers: Message, body: bytes) -> bool:
        timestamp = headers.get("X-Timestamp", "")
        try:
            fresh = abs(time.time() - int(timestamp)) <= TIMESTAMP_WINDOW_SECONDS
        except ValueError:
            return False
        expected = sign(self.secret, timestamp, body)
        return (
            fresh
            and hmac.compare_digest(headers.get("X-Api-Key", ""), self.api_key)
            and hmac.compare_digest(headers.get("X-Signature", ""), expected)
        )
