"""Messenger: the subscription handshake, webhook events verified and read as Meta sends them,
and replies through the Send API, here the fake one, which checks the Page token."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.core.outbox.errors import DeliveryError
from motcua.devtools.fakes.chat import SentMessage
from motcua.devtools.fakes.messenger import FakeMessengerApi
from motcua.hotline.channels.facebook import (
    MAX_TEXT_CHARS,
    MAX_WEBHOOK_BYTES,
    MessengerClient,
    parse_webhook,
    send_reply,
    verify_signature,
    verify_subscription,
)

APP_SECRET, PAGE_TOKEN, VERIFY_TOKEN = "app-secret", "page-token", "verify-me"
PAGE, PSID = "104857600000001", "6543210987654321"


def webhook(*events: dict) -> bytes:
    """A webhook body shaped like the samples in Meta's Messenger Platform docs."""
    return json.dumps(
        {
            "object": "page",
            "entry": [{"id": PAGE, "time": 1748505600000, "messaging": list(events)}],
        },
        ensure_ascii=False,
    ).encode()


def from_person(**message: object) -> dict:
    return {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE},
        "timestamp": 1748505600000,
        "message": message,
    }


def hub_signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def messenger():
    with FakeMessengerApi(app_secret=APP_SECRET, page_access_token=PAGE_TOKEN) as api:
        api.meet(PSID)
        yield api


@pytest.fixture
def client(messenger):
    return MessengerClient(
        graph_url=messenger.url, page_access_token=PAGE_TOKEN, app_secret=APP_SECRET, timeout=2
    )


def test_the_subscription_challenge_is_echoed_for_our_verify_token():
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    assert verify_subscription(params, verify_token=VERIFY_TOKEN) == "1158201444"


@pytest.mark.parametrize(
    "change",
    [
        {"hub.verify_token": "guessed"},
        {"hub.verify_token": "é"},
        {"hub.mode": "unsubscribe"},
        {"hub.challenge": "<script>alert(1)</script>"},
        {"hub.challenge": ""},
    ],
)
def test_any_other_subscription_request_is_refused(change):
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"}
    assert verify_subscription({**params, **change}, verify_token=VERIFY_TOKEN) is None
    assert verify_subscription(params, verify_token="") is None


def test_metas_signature_is_accepted():
    body = webhook(from_person(mid="m_1", text="Xin chào"))
    assert verify_signature(body, hub_signature(body), app_secret=APP_SECRET)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256=",
        hub_signature(b"{}", secret="guessed"),
        "sha1=" + hmac.new(APP_SECRET.encode(), b"{}", hashlib.sha1).hexdigest(),
        "sha256=" + "é" * 64,
    ],
    ids=["missing", "empty", "no-hash", "forged", "sha1", "non-ascii"],
)
def test_anything_else_is_refused(header):
    assert not verify_signature(b"{}", header, app_secret=APP_SECRET)


def test_a_changed_body_or_an_empty_secret_is_refused():
    assert not verify_signature(b"{} ", hub_signature(b"{}"), app_secret=APP_SECRET)
    assert not verify_signature(b"{}", hub_signature(b"{}", secret=""), app_secret="")


def test_text_messages_are_read_in_order():
    body = webhook(from_person(mid="m_1", text="Hồ sơ"), from_person(mid="m_2", text="của tôi?"))

    first, second = parse_webhook(body)
    assert (first.channel, first.external_id, first.sender_id, first.text) == (
        "facebook",
        "m_1",
        PSID,
        "Hồ sơ",
    )
    assert first.sent_at == dt.datetime(2025, 5, 29, 8, 0, tzinfo=dt.UTC)
    assert second.external_id == "m_2"


def test_attachments_become_their_kind_and_address():
    attachments = [
        {"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/a.jpg"}},
        {"type": "image", "payload": {"url": "https://x/s.png", "sticker_id": 369239263222822}},
        {"type": "location", "payload": {"coordinates": {"lat": 10.46, "long": 105.63}}},
    ]
    [message] = parse_webhook(webhook(from_person(mid="m_3", attachments=attachments)))

    assert message.text.splitlines() == [
        "[Ảnh] https://scontent.xx.fbcdn.net/a.jpg",
        "[Nhãn dán] https://x/s.png",
        "[Vị trí] 10.46,105.63",
    ]


def test_a_script_tag_stays_text():
    [message] = parse_webhook(webhook(from_person(mid="m_4", text="<script>x()</script>")))
    assert message.text == "<script>x()</script>"


def test_echoes_and_other_events_are_ignored():
    body = webhook(
        from_person(mid="m_5", text="Trả lời của trang", is_echo=True, app_id=123),
        {
            "sender": {"id": PSID},
            "recipient": {"id": PAGE},
            "timestamp": 1,
            "read": {"watermark": 1},
        },
        {
            "sender": {"id": PSID},
            "recipient": {"id": PAGE},
            "timestamp": 1,
            "postback": {"payload": "P"},
        },
    )
    assert parse_webhook(body) == []
    assert parse_webhook(b'{"object": "instagram", "entry": []}') == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"object": "page"}',
        b'{"object": "page", "entry": [1]}',
        webhook(from_person(text="no mid")),
        webhook(from_person(mid="m_6", text=7)),
        webhook({**from_person(mid="m_7", text="x"), "timestamp": "hôm qua"}),
        webhook({**from_person(mid="m_8", text="x"), "sender": None}),
        b'{"object": "page", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b" " * (MAX_WEBHOOK_BYTES + 1),
    ],
    ids=[
        "not-json",
        "not-object",
        "no-entry",
        "bad-entry",
        "no-mid",
        "text-not-string",
        "bad-timestamp",
        "no-sender",
        "deep",
        "too-big",
    ],
)
def test_malformed_bodies_are_refused(body):
    with pytest.raises(ValueError, match=r"\w"):
        parse_webhook(body)


def test_a_reply_reaches_the_person(messenger, client):
    message_id = client.send_text(PSID, "Hồ sơ đã có kết quả.")
    assert messenger.messages == [SentMessage(message_id, PSID, "Hồ sơ đã có kết quả.")]


def test_the_outbox_sends_a_reply_row_through_the_settings(messenger, settings):
    reply = SimpleNamespace(recipient=PSID, body="Chào chị")
    settings.FACEBOOK_ENABLED = False
    with pytest.raises(DeliveryError, match="FACEBOOK_ENABLED"):
        send_reply(reply)

    settings.FACEBOOK_ENABLED, settings.FACEBOOK_GRAPH_URL = True, messenger.url
    settings.FACEBOOK_PAGE_ACCESS_TOKEN, settings.FACEBOOK_APP_SECRET = PAGE_TOKEN, APP_SECRET
    assert send_reply(reply) == messenger.messages[0].message_id


@pytest.mark.parametrize(
    ("token", "secret", "code"),
    [("stolen", APP_SECRET, "code 190"), (PAGE_TOKEN, "wrong-secret", "code 100")],
    ids=["token", "appsecret-proof"],
)
def test_wrong_credentials_are_refused(messenger, token, secret, code):
    client = MessengerClient(graph_url=messenger.url, page_access_token=token, app_secret=secret)
    with pytest.raises(DeliveryError, match=code):
        client.send_text(PSID, "x")
    assert (messenger.rejected, messenger.messages) == (1, [])


def test_the_token_never_appears_in_an_error(messenger):
    client = MessengerClient(graph_url=messenger.url, page_access_token="stolen")
    with pytest.raises(DeliveryError) as refused:
        client.send_text(PSID, "x")
    assert "stolen" not in str(refused.value)


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (500, 2, True),
        (400, 4, True),
        (400, 613, True),
        (500, 1200, True),
        (400, 10, False),
        (400, 551, False),
        (400, 100, False),
    ],
)
def test_failures_say_whether_to_retry(messenger, client, status, code, retryable):
    messenger.fail_next(1, status=status, code=code)
    with pytest.raises(DeliveryError, match=f"code {code}") as failed:
        client.send_text(PSID, "x")
    assert failed.value.retryable is retryable


def test_a_stranger_cannot_be_answered(client):
    with pytest.raises(DeliveryError, match="No matching user") as failed:
        client.send_text("1111", "x")
    assert not failed.value.retryable


def test_a_closed_port_may_be_retried(messenger):
    client = MessengerClient(graph_url=messenger.url, page_access_token=PAGE_TOKEN, timeout=1)
    messenger.stop()
    with pytest.raises(DeliveryError, match="unreachable") as failed:
        client.send_text(PSID, "x")
    assert failed.value.retryable


def test_a_long_reply_goes_in_pieces_and_returns_the_last_id(messenger, client):
    text = "Kết quả giải quyết hồ sơ. " * 200  # 5,200 characters
    message_id = client.send_text(PSID, text)

    sent = messenger.messages
    assert len(sent) == 3
    assert all(len(m.text) <= MAX_TEXT_CHARS for m in sent)
    assert " ".join(m.text for m in sent) == text.strip()
    assert message_id == sent[-1].message_id


def test_a_repeated_send_is_a_second_message(messenger, client):
    assert client.send_text(PSID, "x") != client.send_text(PSID, "x")
    assert len(messenger.messages) == 2


def test_the_fake_subscribes_and_delivers_what_the_protocol_layer_accepts():
    received, challenges = [], []

    class Webhook(BaseHTTPRequestHandler):
        def do_GET(self):
            echo = verify_subscription(
                dict(parse_qsl(urlsplit(self.path).query)), verify_token=VERIFY_TOKEN
            )
            challenges.append(echo)
            self._reply(200 if echo else 403, (echo or "").encode())

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            ok = verify_signature(body, self.headers["X-Hub-Signature-256"], app_secret=APP_SECRET)
            received.extend(parse_webhook(body) if ok else [])
            self._reply(200 if ok else 401, b"EVENT_RECEIVED")

        def _reply(self, status, data):
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    with (
        ThreadingHTTPServer(("127.0.0.1", 0), Webhook) as server,
        FakeMessengerApi(app_secret=APP_SECRET, verify_token=VERIFY_TOKEN) as messenger,
    ):
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/hook/"
        subscribed = messenger.subscribe(url)
        status, mid = messenger.deliver_user_text(url, PSID, "Hồ sơ https://dichvucong.gov.vn/x")
        server.shutdown()

    assert subscribed and challenges[0]
    assert status == 200
    assert [(m.external_id, m.text) for m in received] == [
        (mid, "Hồ sơ https://dichvucong.gov.vn/x")
    ]


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FACEBOOK_")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[3],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_messenger_switched_on_needs_its_secrets_which_may_be_files(tmp_path):
    assert "FACEBOOK_ENABLED=1 needs" in _start(FACEBOOK_ENABLED="1").stderr
    (tmp_path / "secret").write_text("app-secret\n")
    started = _start(
        FACEBOOK_ENABLED="1",
        FACEBOOK_APP_SECRET_FILE=str(tmp_path / "secret"),
        FACEBOOK_PAGE_ACCESS_TOKEN="token",
        FACEBOOK_VERIFY_TOKEN="verify",
    )
    assert started.returncode == 0, started.stderr
