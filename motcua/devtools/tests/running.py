"""Running ``manage.py fake_platform`` by hand, in a subprocess: a stand-in for the site's
webhook, the command itself typed into and read line by line, a free loopback port."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Webhook:
    """A stand-in for the site's webhook: keeps what was POSTed and answers 200; echoes a
    GET's ``hub.challenge`` and keeps its query."""

    def __init__(self) -> None:
        posts: list[tuple[Message, bytes]] = []
        gets: list[dict[str, str]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                gets.append(dict(parse_qsl(urlsplit(self.path).query)))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(gets[-1].get("hub.challenge", "").encode())

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                posts.append((self.headers, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.posts, self.gets = posts, gets
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"

    def __enter__(self) -> Webhook:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class ManagePy:
    """``manage.py <command> … --port 0`` in a subprocess, typed into and read line by line."""

    def __init__(self, *command: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ZALO_", "FACEBOOK_"))}
        self.process = subprocess.Popen(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *command, "--port", "0"],
            cwd=Path(__file__).resolve().parents[3],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            encoding="utf-8",
            env={**env, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def line(self) -> str:
        return self.lines.get(timeout=60)

    def line_starting(self, prefix: str) -> str:
        while not (line := self.line()).startswith(prefix):
            pass
        return line

    def type(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def __enter__(self) -> ManagePy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=10)
