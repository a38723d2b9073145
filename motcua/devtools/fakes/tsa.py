"""A local RFC 3161 timestamp authority (docs/devtools.md "Signing"): POST a DER
``TimeStampReq`` with ``Content-Type: application/timestamp-query``, get a DER
``TimeStampResp`` as ``application/timestamp-reply``, signed with a test CA's TSA certificate
by pyHanko's dummy timestamper (the same token format a real authority returns).

Misbehaving on demand, besides ``fail_next_with`` and ``delay_next`` (a slow authority):
``go_down()`` / ``come_back()`` (every connection dropped), ``garbage_next(n)`` (bytes that
are no ASN.1, under the right content type), ``refuse_next(n)`` (a well-formed "rejection"
status). ``issued`` counts the tokens granted."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from asn1crypto import keys, tsp, x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.devtools.loopback import Hangup, LoopbackServer, Reply, Request, text_reply

QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"


class FakeTimestampAuthority(LoopbackServer):
    server_version = "motcua-fake-tsa/1"

    def __init__(
        self,
        *,
        cert: Any,
        key: Any,
        chain: tuple[Any, ...] = (),
        host: str = "127.0.0.1",
        port: int = 0,
        on_issue: Callable[[], None] | None = None,
    ) -> None:
        """``cert`` and ``key``: the TSA's ``cryptography`` certificate and RSA key;
        ``chain``: certificates to embed in each token besides the TSA's own."""
        super().__init__(host=host, port=port)
        der = serialization.Encoding.DER
        self._stamper = DummyTimeStamper(
            tsa_cert=x509.Certificate.load(cert.public_bytes(der)),
            tsa_key=keys.PrivateKeyInfo.load(
                key.private_bytes(
                    der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            ),
            certs_to_embed=SimpleCertificateStore.from_certs(
                [x509.Certificate.load(c.public_bytes(der)) for c in chain]
            ),
        )
        self.issued = 0
        self.on_issue = on_issue
        self._down = False

    def go_down(self) -> None:
        with self._lock:
            self._down = True

    def come_back(self) -> None:
        with self._lock:
            self._down = False

    def garbage_next(self, count: int) -> None:
        self.fail_next_with(count, Reply(200, b"\x30\x82garbage, not DER", REPLY_TYPE))

    def refuse_next(self, count: int) -> None:
        # A TimeStampResp with a status and no token (asn1crypto cannot build one: it takes
        # the token for mandatory), DER by hand.
        status = tsp.PKIStatusInfo({"status": "rejection"}).dump()
        refusal = b"\x30" + bytes([len(status)]) + status
        self.fail_next_with(count, Reply(200, refusal, REPLY_TYPE))

    def reply(self, request: Request) -> Reply:
        with self._lock:
            down = self._down
        if down:
            raise Hangup()
        if request.method != "POST":
            return text_reply(405, "POST a TimeStampReq")
        if (failure := self._next_failure()) is not None:
            return failure
        if request.headers.get("Content-Type", "").split(";")[0].strip() != QUERY_TYPE:
            return text_reply(415, f"Content-Type must be {QUERY_TYPE}")
        try:
            query = tsp.TimeStampReq.load(request.body)
            query.native  # noqa: B018 (parses it all: a broken query is refused here)
        except ValueError:
            return text_reply(400, "not a TimeStampReq")
        answer = asyncio.run(self._stamper.async_request_tsa_response(query))
        with self._lock:
            self.issued += 1
        if self.on_issue is not None:
            self.on_issue()
        return Reply(200, answer.dump(), REPLY_TYPE)
