"""What the fake platforms share: a loopback HTTP server, the record of sent messages,
injected failures, and posting a signed webhook event like the platform would."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

LOOPBACK = ("127.0.0.1", "localhost")
Answer = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    recipient: str
    text: str


class LoopbackApi(ABC):
    """A platform's API on loopback. Subclasses answer ``handle``. A platform only lets an
    account answer people who have written to it, so a fake refuses recipients it has not
    met: a webhook event it built (``signed_event``/``deliver_user_text``) or ``meet()``
    introduces one."""

    def __init__(self, *, host: str, port: int) -> None:
        if host not in LOOPBACK:
            raise ValueError("a fake platform listens on loopback only")
        self.host = host
        self._lock = threading.Lock()
        self._sent: list[SentMessage] = []
        self._failures: list[tuple[int, int]] = []
        self._people: set[str] = set()
        self.requests = 0  # authenticated send requests, failures included
        self.rejected = 0  # send requests refused for their credentials
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._server.api = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._server.server_port}"

    @property
    def messages(self) -> list[SentMessage]:
        """Every message that reached a person, in order; a repeated send is a second one."""
        with self._lock:
            return list(self._sent)

    def meet(self, *people: str) -> None:
        with self._lock:
            self._people.update(people)

    def start(self) -> Self:
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

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @abstractmethod
    def handle(
        self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes
    ) -> Answer:
        """The platform's answer to one request."""

    def _next_failure(self) -> tuple[int, int] | None:
        """Called under the lock by an authenticated send request."""
        self.requests += 1
        return self._failures.pop(0) if self._failures else None

    def _record(self, recipient: str, text: str, prefix: str) -> SentMessage:
        """Called under the lock: keep one delivered message under a new id."""
        sent = SentMessage(f"{prefix}{len(self._sent) + 1:06d}", recipient, text)
        self._sent.append(sent)
        return sent


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST a webhook event as the platform would; the HTTP status it got back."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) address: {url!r}")
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def get(url: str, params: dict[str, str]) -> tuple[int, str]:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) address: {url!r}")
    separator = "&" if "?" in url else "?"
    full = url + separator + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(full, timeout=10) as response:  # noqa: S310
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


class _Handler(BaseHTTPRequestHandler):
    server_version = "motcua-fake-platform/1"

    def do_GET(self) -> None:
        self._answer("GET", b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer("POST", self.rfile.read(length))

    def _answer(self, method: str, body: bytes) -> None:
        api: LoopbackApi = self.server.api  # type: ignore[attr-defined]
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        status, answer = api.handle(method, parts.path, query, self.headers, body)
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log: tests want silence."""
