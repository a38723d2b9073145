"""The test gateway's credentials, shared with the payment domain's tests, and a free port
for the fake gateway run by hand."""

from __future__ import annotations

import socket

TMN_CODE = "TESTTMN1"
HASH_SECRET = "test-hash-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
