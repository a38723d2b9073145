"""The loopback test server every fake platform stands on (docs/devtools.md).

A fake is a ``LoopbackServer`` that answers ``reply(request)``. It listens on loopback only,
on a threaded HTTP server bound at first use (``port=0`` takes a free port), run in the
background for a test (``with FakeZaloApi() as zalo: ...``) or in the foreground by
``manage.py fake_platform``. Besides the misbehaviours of its own platform, every fake can be
told to fail the next requests that reach its logic (``fail_next_with``) and to answer the
next requests late (``delay_next``). A fake's ``reply`` may raise ``Hangup`` to close the
connection without an HTTP answer (a dropped connection), or after writing a broken one.

``post`` and ``get`` play the platform's side towards the site: a webhook event, a
subscription check.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

LOOPBACK = ("127.0.0.1", "localhost")
JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the path with its query string, as sent
    headers: Message
    body: bytes = b""

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.target).query))

    def json(self) -> Any:
        """The body as JSON; ValueError if it is not JSON."""
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        """The body as an HTML form (application/x-www-form-urlencoded)."""
        return dict(urllib.parse.parse_qsl(self.body.decode("utf-8", "replace")))


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


class Hangup(Exception):  # noqa: N818 (an instruction to the handler, not an error)
    """Raised by ``reply``: the server closes the connection without an HTTP answer, as a
    platform or its gateway does when it crashes or drops the connection. ``raw``, if given,
    is written first as it is: the start of an answer that breaks off."""

    def __init__(self, raw: bytes = b"") -> None:
        super().__init__("connection dropped")
        self.raw = raw


def json_reply(status: int, answer: Any, *, headers: Iterable[tuple[str, str]] = ()) -> Reply:
    data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
    return Reply(status, data, JSON, tuple(headers))


def text_reply(status: int, text: str, *, content_type: str = "text/plain") -> Reply:
    return Reply(status, text.encode("utf-8"), f"{content_type}; charset=utf-8")


def redirect(location: str) -> Reply:
    return Reply(302, headers=(("Location", location),))


def with_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` added to its query string."""
    return url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)


class LoopbackServer(ABC):
    """A platform's HTTP API on loopback. ``requests`` counts the requests that reached the
    platform's logic (each fake's docstring says which), ``rejected`` those refused for their
    credentials or signature."""

    server_version = "motcua-fake/1"
    max_body = 1_048_576  # bytes of a request body read at most

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in LOOPBACK:
            raise ValueError(f"a fake platform listens on loopback only, not on {host!r}")
        self.host, self.port = host, port
        self.requests = 0
        self.rejected = 0
        self._lock = threading.RLock()
        self._failures: deque[Callable[[], Reply]] = deque()
        self._delays: deque[float] = deque()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @abstractmethod
    def reply(self, request: Request) -> Reply:
        """The platform's answer to one request."""

    # ---- misbehaving on demand -------------------------------------------------------------

    def fail_next_with(self, count: int, reply: Reply | Callable[[], Reply]) -> None:
        """The next ``count`` requests that reach the platform's logic get ``reply`` (or what
        ``reply()`` makes, afresh each time) instead of their answer."""
        make = reply if callable(reply) else (lambda: reply)
        with self._lock:
            self._failures.extend([make] * count)

    def delay_next(self, count: int, seconds: float) -> None:
        """The next ``count`` requests are answered ``seconds`` late: a slow platform, for the
        site's timeouts."""
        with self._lock:
            self._delays.extend([seconds] * count)

    def _next_failure(self) -> Reply | None:
        """Count a request that reached the platform's logic; the failure it was told to give."""
        with self._lock:
            self.requests += 1
            return self._failures.popleft()() if self._failures else None

    def _reject(self) -> None:
        with self._lock:
            self.rejected += 1

    def _dispatch(self, request: Request) -> Reply:
        with self._lock:
            delay = self._delays.popleft() if self._delays else 0.0
        if delay:
            time.sleep(delay)
        return self.reply(request)

    # ---- the server --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._bound().server_port}"

    def _bound(self) -> _Server:
        if self._server is None:
            self._server = _Server(self)
        return self._server

    def start(self) -> Self:
        """Serve in a background thread (``stop`` ends it)."""
        # A short poll: ``stop`` waits for the loop to notice, and a test stops its fake.
        self._thread = threading.Thread(
            target=self._bound().serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (Ctrl-C)."""
        self._bound().serve_forever()

    def stop(self) -> None:
        if self._server is None:
            return
        if self._thread is not None:  # serving in the background: end serve_forever first
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: LoopbackServer) -> None:
        self.fake = fake
        super().__init__((fake.host, fake.port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._respond("GET", b"")

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length") or 0), self.server.fake.max_body)
        self._respond("POST", self.rfile.read(length))

    def version_string(self) -> str:
        return f"{self.server.fake.server_version} {self.sys_version}"

    def _respond(self, method: str, body: bytes) -> None:
        try:
            reply = self.server.fake._dispatch(Request(method, self.path, self.headers, body))
        except Hangup as hangup:
            self._hang_up(hangup.raw)
            return
        try:
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            # The site stopped waiting (its timeout ran out before a late answer): nobody is
            # left to answer, which is no error of the fake's.
            self.close_connection = True

    def _hang_up(self, raw: bytes) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            if raw:
                self.wfile.write(raw)
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log: ``manage.py fake_platform`` prints what matters, tests want silence."""


def post(url: str, body: bytes, headers: Mapping[str, str]) -> int:
    """POST as the platform would (a webhook event); the HTTP status the site answered."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) address: {url!r}")
    request = urllib.request.Request(url, data=body, method="POST", headers=dict(headers))  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def get(url: str, params: Mapping[str, str]) -> tuple[int, str]:
    """GET as the platform would (a subscription check); the site's status and text."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) address: {url!r}")
    try:
        with urllib.request.urlopen(with_query(url, params), timeout=10) as response:  # noqa: S310
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
