"""Zalo OA: webhook events are verified and read as Zalo sends them; replies go out through
the OA send API, here the fake one, which checks the token and keeps what it took."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from motcua.core.outbox.errors import DeliveryError
from motcua.devtools.fakes.chat import SentMessage
from motcua.devtools.fakes.zalo import FakeZaloApi
from motcua.hotline.channels.payload import split_text
from motcua.hotline.channels.zalo import (
    MAX_TEXT_CHARS,
    MAX_WEBHOOK_BYTES,
    ZaloClient,
    parse_webhook,
    send_reply,
    verify_signature,
)

APP_ID, SECRET, TOKEN = "3608465249409", "oa-secret-key", "oa-access-token"
SENT = "1748505600000"  # 29/05/2025 08:00 UTC, in milliseconds


def event(name: str = "user_send_text", **message: object) -> bytes:
    """An event shaped like the samples on developers.zalo.me."""
    return json.dumps(
        {
            "app_id": APP_ID,
            "user_id_by_app": "552177279717587730",
            "event_name": name,
            "timestamp": SENT,
            "sender": {"id": "246845883529197922"},
            "recipient": {"id": "388613280878808645"},
            "message": message or {"msg_id": "96d3cdf3af150460909", "text": "Hồ sơ của tôi?"},
        },
        ensure_ascii=False,
    ).encode()


def zevent_signature(body: bytes, timestamp: str = SENT, secret: str = SECRET) -> str:
    return (
        "mac="
        + hashlib.sha256(APP_ID.encode() + body + timestamp.encode() + secret.encode()).hexdigest()
    )


@pytest.fixture
def zalo():
    with FakeZaloApi(app_id=APP_ID, oa_secret_key=SECRET, access_token=TOKEN) as api:
        api.meet("citizen-an")
        yield api


@pytest.fixture
def client(zalo):
    return ZaloClient(base_url=zalo.url, access_token=TOKEN, timeout=2)


def test_zalos_signature_is_accepted():
    body = event()
    assert verify_signature(body, zevent_signature(body), app_id=APP_ID, secret=SECRET)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "mac=",
        zevent_signature(event(), secret="guessed"),
        zevent_signature(event(), timestamp="1748505600001"),
        zevent_signature(event()).replace("mac=", "sha256="),
        "mac=" + "é" * 64,
    ],
    ids=["missing", "empty", "no-hash", "forged", "other-timestamp", "other-scheme", "non-ascii"],
)
def test_anything_else_is_refused(header):
    assert not verify_signature(event(), header, app_id=APP_ID, secret=SECRET)


def test_a_changed_body_or_an_empty_secret_is_refused():
    body = event()
    assert not verify_signature(body + b" ", zevent_signature(body), app_id=APP_ID, secret=SECRET)
    assert not verify_signature(body, zevent_signature(body, secret=""), app_id=APP_ID, secret="")


def test_a_text_message_is_read():
    [message] = parse_webhook(event())

    assert (message.channel, message.external_id, message.sender_id, message.text) == (
        "zalo",
        "96d3cdf3af150460909",
        "246845883529197922",
        "Hồ sơ của tôi?",
    )
    assert message.sent_at == dt.datetime(2025, 5, 29, 8, 0, tzinfo=dt.UTC)


def test_an_image_becomes_its_caption_and_address():
    image = {"type": "image", "payload": {"thumbnail": "https://z/t.jpg", "url": "https://z/a.jpg"}}
    body = event("user_send_image", msg_id="m2", text="Giấy hẹn", attachments=[image])

    assert parse_webhook(body)[0].text == "Giấy hẹn\n[Ảnh] https://z/a.jpg"


def test_a_file_keeps_its_name_and_a_non_web_address_is_dropped():
    files = [
        {"type": "file", "payload": {"name": "to-khai.pdf", "size": "1024", "url": "https://z/f"}},
        {"type": "file", "payload": {"name": "x.html", "url": "javascript:alert(1)"}},
    ]
    body = event("user_send_file", msg_id="m3", attachments=files)

    assert parse_webhook(body)[0].text == "[Tệp] to-khai.pdf https://z/f\n[Tệp] x.html"


def test_a_script_tag_stays_text():
    body = event(msg_id="m4", text="<script>alert('xss')</script>")
    assert parse_webhook(body)[0].text == "<script>alert('xss')</script>"


@pytest.mark.parametrize(
    "name", ["follow", "user_seen_message", "oa_send_text", "anonymous_send_text"]
)
def test_events_that_are_not_a_persons_message_are_ignored(name):
    assert parse_webhook(event(name)) == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\xfa",
        b"[]",
        b'{"message": {}}',
        event(text="no msg_id"),
        event(msg_id="m5"),
        event(msg_id="m6", text="x").replace(SENT.encode(), b"yesterday"),
        event("user_send_image", msg_id="m7", attachments="a.jpg"),
        b"[" * 100_000 + b"]" * 100_000,
        b" " * (MAX_WEBHOOK_BYTES + 1),
    ],
    ids=[
        "not-json",
        "not-utf8",
        "not-object",
        "no-event-name",
        "no-msg-id",
        "no-text",
        "bad-timestamp",
        "bad-attachments",
        "deep",
        "too-big",
    ],
)
def test_malformed_bodies_are_refused(body):
    with pytest.raises(ValueError, match=r"\w"):
        parse_webhook(body)


def test_a_reply_reaches_the_person(zalo, client):
    message_id = client.send_text("citizen-an", "Hồ sơ đã có kết quả.")

    assert zalo.messages == [SentMessage(message_id, "citizen-an", "Hồ sơ đã có kết quả.")]


def test_the_outbox_sends_a_reply_row_through_the_settings(zalo, settings):
    reply = SimpleNamespace(recipient="citizen-an", body="Chào anh An")
    settings.ZALO_ENABLED = False
    with pytest.raises(DeliveryError, match="ZALO_ENABLED"):
        send_reply(reply)

    settings.ZALO_ENABLED, settings.ZALO_API_URL, settings.ZALO_ACCESS_TOKEN = True, zalo.url, TOKEN
    assert send_reply(reply) == zalo.messages[0].message_id


def test_a_wrong_token_is_refused_and_may_be_retried_after_renewal(zalo):
    with pytest.raises(DeliveryError, match="-216") as refused:
        ZaloClient(base_url=zalo.url, access_token="expired").send_text("citizen-an", "x")
    assert refused.value.retryable
    assert (zalo.rejected, zalo.messages) == (1, [])


@pytest.mark.parametrize(
    ("status", "error", "retryable"),
    [(200, -32, True), (503, -1, True), (200, -213, False), (200, -201, False)],
    ids=["rate-limited", "unavailable", "not-following", "invalid"],
)
def test_failures_say_whether_to_retry(zalo, client, status, error, retryable):
    zalo.fail_next(1, status=status, error=error)
    with pytest.raises(DeliveryError) as failed:
        client.send_text("citizen-an", "x")
    assert failed.value.retryable is retryable
    assert zalo.messages == []


def test_a_person_outside_the_7_day_window_cannot_be_answered(client):
    with pytest.raises(DeliveryError, match="-230") as failed:
        client.send_text("stranger", "x")
    assert not failed.value.retryable


def test_a_timeout_or_a_closed_port_may_be_retried():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(DeliveryError, match="unreachable") as timed_out:
            ZaloClient(base_url=url, access_token=TOKEN, timeout=0.2).send_text("u", "x")
    assert timed_out.value.retryable
    with pytest.raises(DeliveryError) as refused:
        ZaloClient(base_url=url, access_token=TOKEN, timeout=0.2).send_text("u", "x")
    assert refused.value.retryable


def test_a_repeated_send_is_a_second_message(zalo, client):
    first, second = client.send_text("citizen-an", "x"), client.send_text("citizen-an", "x")
    assert first != second
    assert len(zalo.messages) == 2


def test_a_long_reply_goes_in_pieces_and_returns_the_last_id(zalo, client):
    paragraphs = ["Đoạn một " * 150, "Đoạn hai " * 150, "Đoạn ba " * 150]
    message_id = client.send_text("citizen-an", "\n\n".join(paragraphs))

    sent = zalo.messages
    assert [m.text for m in sent] == [p.strip() for p in paragraphs]
    assert all(len(m.text) <= MAX_TEXT_CHARS for m in sent)
    assert message_id == sent[-1].message_id


def test_a_failed_piece_is_named(zalo, client):
    zalo.fail_next(1, error=-32)
    with pytest.raises(DeliveryError, match="piece 1/2"):
        client.send_text("citizen-an", "x" * (MAX_TEXT_CHARS + 1))


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        (" ngắn", [" ngắn"]),  # within the limit: unchanged
        ("   ", []),
        ("aaaa bbbb cc", ["aaaa", "bbbb", "cc"]),
        ("abcdefghij", ["abcde", "fghij"]),
        ("abcde\u0301fg", ["abcd", "e\u0301fg"]),  # an accent stays with its letter
    ],
)
def test_split_text(text, pieces):
    assert split_text(text, 5) == pieces


def test_the_fake_delivers_a_signed_event_that_the_protocol_layer_accepts():
    received = []

    class Webhook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            ok = verify_signature(
                body, self.headers["X-ZEvent-Signature"], app_id=APP_ID, secret=SECRET
            )
            received.extend(parse_webhook(body) if ok else [])
            self.send_response(200 if ok else 401)
            self.end_headers()

        def log_message(self, *args):
            pass

    with (
        ThreadingHTTPServer(("127.0.0.1", 0), Webhook) as server,
        FakeZaloApi(app_id=APP_ID, oa_secret_key=SECRET) as zalo,
    ):
        threading.Thread(target=server.serve_forever, daemon=True).start()
        status, msg_id = zalo.deliver_user_text(
            f"http://127.0.0.1:{server.server_port}/", "u-1", "Chào"
        )
        server.shutdown()

    assert status == 200
    assert [(m.external_id, m.sender_id, m.text) for m in received] == [(msg_id, "u-1", "Chào")]


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZALO_")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[3],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_zalo_switched_on_needs_its_secrets_which_may_be_files(tmp_path):
    assert "ZALO_ENABLED=1 needs" in _start(ZALO_ENABLED="1", ZALO_APP_ID="1").stderr
    (tmp_path / "key").write_text("secret\n")
    (tmp_path / "token").write_text("token\n")
    started = _start(
        ZALO_ENABLED="1",
        ZALO_APP_ID="1",
        ZALO_OA_SECRET_KEY_FILE=str(tmp_path / "key"),
        ZALO_ACCESS_TOKEN_FILE=str(tmp_path / "token"),
    )
    assert started.returncode == 0, started.stderr
