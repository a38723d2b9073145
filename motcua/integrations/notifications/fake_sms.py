"""A local stand-in for an SMS brandname gateway, for the tests and for development
(``manage.py fake_sms_gateway --port 8025``).

It speaks the protocol of ``transport/sms.py`` and checks what a real gateway checks: the API
key, the HMAC signature and a ±5-minute timestamp window; a forged or stale request gets 401
and is not recorded. It keeps one message per ``client_id`` (a repeat is answered with the
first message's id and ``"duplicate": true``), so ``messages`` is what reached phones and
``requests`` every authenticated attempt. ``fail_next(n)`` makes the next ``n`` authenticated
requests fail, to exercise retries. It listens on loopback only.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from motcua.integrations.sms.transport import sign

LOOPBACK = ("127.0.0.1", "localhost")
# Well-known development credentials (the command's defaults when SMS_API_KEY is unset).
DEV_API_KEY = "dev-key"
DEV_SECRET = "dev-secret"  # noqa: S105 (a fake's public default, never a real secret)
TIMESTAMP_WINDOW_SECONDS = 300
_MSISDN = re.compile(r"^84[35789]\d{8}$")


@dataclass(frozen=True)
class ReceivedSms:
    message_id: str
    client_id: str
    phone: str
    message: str
    brandname: str


class FakeSmsGateway:
    def __init__(
        self,
        *,
        api_key: str = DEV_API_KEY,
        secret: str = DEV_SECRET,
        host: str = "127.0.0.1",
        port: int = 0,
        on_message: Callable[[ReceivedSms], None] | None = None,
    ) -> None:
        if host not in LOOPBACK:
            raise ValueError("the fake gateway listens on loopback only")
        self.host, self.api_key, self.secret = host, api_key, secret
        self.on_message = on_message
        self._lock = threading.Lock()
        self._by_client: dict[str, ReceivedSms] = {}
        self._failures: list[tuple[int, str]] = []
        self.requests = 0  # authenticated requests, duplicates and failures included
        self.rejected = 0  # requests refused with 401
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._server.gateway = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._server.server_port}"

    @property
    def messages(self) -> list[ReceivedSms]:
        with self._lock:
            return list(self._by_client.values())

    def start(self) -> FakeSmsGateway:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:  # started in the background: stop serve_forever first
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FakeSmsGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail_next(self, count: int, *, code: str = "99", http_status: int = 200) -> None:
        """The next ``count`` authenticated requests fail: with ``{"code": code}`` under HTTP
        200 (a gateway-level error such as "99" rate limited) or with ``http_status``."""
        with self._lock:
            self._failures.extend([(http_status, code)] * count)

    def handle(self, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        """Answer one POST /v1/sms: (HTTP status, JSON answer)."""
        if not self._authentic(headers, body):
            with self._lock:
                self.rejected += 1
            return 401, {"code": "01", "message": "chữ ký hoặc khóa không hợp lệ"}
        try:
            payload = json.loads(body)
            client_id, phone = str(payload["client_id"]), str(payload["phone"])
            text, brandname = str(payload["message"]), str(payload["brandname"])
        except (ValueError, KeyError, TypeError):
            return 400, {"code": "02", "message": "yêu cầu không hợp lệ"}
        with self._lock:
            self.requests += 1
            if self._failures:
                http_status, code = self._failures.pop(0)
                return http_status, {"code": code, "message": "lỗi giả lập"}
            if client_id in self._by_client:
                first = self._by_client[client_id]
                return 200, {"code": "00", "message_id": first.message_id, "duplicate": True}
            if not _MSISDN.match(phone):
                return 200, {"code": "10", "message": "số điện thoại không hợp lệ"}
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
        return 200, {"code": "00", "message_id": sms.message_id}

    def _authentic(self, headers: Any, body: bytes) -> bool:
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


class _Handler(BaseHTTPRequestHandler):
    server_version = "motcua-fake-sms/1"

    def do_POST(self) -> None:
        gateway: FakeSmsGateway = self.server.gateway  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path.rstrip("/") != "/v1/sms":
            status, answer = 404, {"code": "04", "message": "không có địa chỉ này"}
        else:
            status, answer = gateway.handle(self.headers, body)
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log: the command prints each message itself, and tests want silence."""
