"""The Messenger channel end to end: Meta's subscription handshake, a signed event from the
fake Messenger into the webhook, the ticket routed and answered by the agency, the reply
delivered to the fake Send API; and every bad request refused without changing anything."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.template import Context, Template
from django.urls import reverse

from motcua.devtools.fakes.chat import SentMessage
from motcua.devtools.fakes.messenger import FakeMessengerApi
from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline import replies
from motcua.hotline.actions import answer_ticket, claim_ticket, route_ticket, take_ticket
from motcua.hotline.channels.facebook import (
    SIGNATURE_HEADER,
    signature,
)
from motcua.hotline.models import Delivery, Ticket, TicketMessage

URL = reverse("hotline-channels:facebook-webhook")
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PSID = "6543210987654321"


@pytest.fixture
def messenger(settings) -> Iterator[FakeMessengerApi]:
    with FakeMessengerApi() as api:
        settings.FACEBOOK_ENABLED = True
        settings.FACEBOOK_APP_SECRET = api.app_secret
        settings.FACEBOOK_VERIFY_TOKEN = api.verify_token
        settings.FACEBOOK_PAGE_ACCESS_TOKEN = api.page_access_token
        settings.FACEBOOK_GRAPH_URL = api.url
        yield api


def post(client, body: bytes, headers: dict[str, str], **extra):
    return client.post(URL, body, content_type="application/json", headers=headers, **extra)


def send(client, messenger: FakeMessengerApi, text: str, **kwargs):
    return post(client, *messenger.signed_event(PSID, text, **kwargs))


def signed(messenger: FakeMessengerApi, body: bytes) -> tuple[bytes, dict[str, str]]:
    return body, {SIGNATURE_HEADER: "sha256=" + signature(body, app_secret=messenger.app_secret)}


@pytest.mark.django_db
def test_a_message_is_routed_answered_and_the_reply_reaches_the_person(
    client,
    messenger,
    settings,
    operator_ha,
    justice,
    justice_chi,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = IMMEDIATE_TASKS
    response = send(client, messenger, "Cho hỏi đăng ký kết hôn ở đâu ạ?")
    assert (response.status_code, response.json()) == (
        200,
        {"received": 1, "duplicates": 0, "refused": 0},
    )
    ticket = Ticket.objects.get(channel="facebook")
    assert ticket.body == "Cho hỏi đăng ký kết hôn ở đâu ạ?"  # Meta sent it \u-escaped
    assert ticket.contact.identities.get(channel="facebook").external_id == PSID

    claim_ticket(ticket=ticket, user=operator_ha)
    route_ticket(ticket=ticket, user=operator_ha, agency=justice)
    take_ticket(ticket=ticket, user=justice_chi)
    with django_capture_on_commit_callbacks(execute=True):  # runs the queued delivery task
        reply = answer_ticket(ticket=ticket, user=justice_chi, body="Tại UBND xã nơi cư trú.")

    reply.refresh_from_db()
    assert (reply.delivery, reply.last_error) == (Delivery.SENT, "")
    assert messenger.messages == [
        SentMessage(reply.provider_message_id, PSID, "Tại UBND xã nơi cư trú.")
    ]


def test_the_subscription_challenge_is_echoed_as_text(client, messenger):
    response = client.get(URL, messenger.subscription_params(challenge="1158201444"))

    assert (response.status_code, response.content) == (200, b"1158201444")
    assert response["Content-Type"].startswith("text/plain")


def test_a_subscription_with_another_token_is_refused(client, messenger, caplog):
    params = {**messenger.subscription_params(), "hub.verify_token": "guessed"}

    response = client.get(URL, params, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 403
    assert "203.0.113.9" in caplog.text


@pytest.mark.django_db
def test_switched_off_it_is_not_there(client, messenger, settings):
    settings.FACEBOOK_ENABLED = False
    assert client.get(URL, messenger.subscription_params()).status_code == 404
    assert send(client, messenger, "Xin chào").status_code == 404
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_several_messages_in_one_request_are_each_stored(client, messenger):
    payload = messenger.user_text_event(PSID, "Hồ sơ của tôi")
    second = json.loads(json.dumps(payload["entry"][0]["messaging"][0]))
    second["message"] = {"mid": "m_second", "text": "đến đâu rồi?"}
    payload["entry"][0]["messaging"].append(second)

    assert post(client, *messenger.sign(payload)).json()["received"] == 2
    assert list(Ticket.objects.get().messages.values_list("body", flat=True)) == [
        "Hồ sơ của tôi",
        "đến đâu rồi?",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("forgery", ["missing", "other-secret", "changed-body", "sha1"])
def test_a_forged_signature_is_refused_and_logged_without_the_body(
    client, messenger, caplog, forgery
):
    body, headers = messenger.signed_event(PSID, "Noi dung bi mat")
    if forgery == "missing":
        del headers[SIGNATURE_HEADER]
    elif forgery == "other-secret":
        headers[SIGNATURE_HEADER] = "sha256=" + signature(body, app_secret="guessed")
    elif forgery == "changed-body":
        body = body.replace(b"bi mat", b"gia mao")
    else:
        headers = {"X-Hub-Signature": "sha1=" + "0" * 40}

    response = post(client, body, headers, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert not Ticket.objects.exists()
    assert "203.0.113.9" in caplog.text
    assert "bi mat" not in caplog.text and "gia mao" not in caplog.text


@pytest.mark.django_db
def test_a_replayed_message_is_stored_once_and_still_answered_200(client, messenger):
    body, headers = messenger.signed_event(PSID, "Hỏi lệ phí", mid="m_1")

    assert post(client, body, headers).json() == {"received": 1, "duplicates": 0, "refused": 0}
    again = post(client, body, headers)

    assert (again.status_code, again.json()) == (
        200,
        {"received": 0, "duplicates": 1, "refused": 0},
    )
    assert TicketMessage.objects.filter(external_id="m_1").count() == 1


@pytest.mark.django_db
def test_a_10_mb_body_is_refused(client, messenger):
    response = post(client, *messenger.signed_event(PSID, "x" * 10_000_000))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"object": "page"}', b'{"object": "page", "entry": [{"messaging": [1]}]}'],
    ids=["not-json", "no-entry", "bad-event"],
)
def test_a_signed_malformed_body_is_a_400(client, messenger, body):
    response = post(client, *signed(messenger, body))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_a_script_tag_is_stored_as_text_and_escaped_when_shown(client, messenger):
    text = "<script>alert('xss')</script> đèn đường khu 2 hỏng"
    send(client, messenger, text)

    stored = TicketMessage.objects.get()
    assert stored.body == text
    shown = Template("{{ message.body }}").render(Context({"message": stored}))
    assert "<script>" not in shown and "&lt;script&gt;" in shown


@pytest.mark.django_db
def test_echoes_and_other_events_are_ignored(client, messenger):
    payload = messenger.user_text_event(PSID, "Trả lời của trang")
    messaging = payload["entry"][0]["messaging"]
    messaging[0]["message"]["is_echo"] = True  # the Page's own reply, sent back to us
    read = {"sender": {"id": PSID}, "recipient": {"id": messenger.page_id}, "timestamp": 1}
    messaging.append({**read, "read": {"watermark": 1}})

    response = post(client, *messenger.sign(payload))

    assert (response.status_code, response.json()["received"]) == (200, 0)
    assert not Ticket.objects.exists()


def _reply_to_a_new_ticket(client, messenger, operator) -> TicketMessage:
    send(client, messenger, "Hỏi thủ tục")
    return answer_ticket(ticket=Ticket.objects.get(), user=operator, body="Đã có hướng dẫn.")


@pytest.mark.django_db
def test_a_retryable_failure_waits_then_the_reply_goes_once(client, messenger, operator_ha):
    with clock(at(2026, 11, 25, 9, 0)):
        reply = _reply_to_a_new_ticket(client, messenger, operator_ha)
        messenger.fail_next(1, status=500, code=1200)  # temporary send failure
        assert replies.deliver(reply.pk).status == "retrying"
    reply.refresh_from_db()
    assert (reply.delivery, reply.next_attempt_at) == (Delivery.PENDING, at(2026, 11, 25, 9, 1))
    assert "code 1200" in reply.last_error and messenger.messages == []

    with clock(at(2026, 11, 25, 9, 2)):
        assert replies.deliver(reply.pk).status == "sent"
        assert replies.deliver(reply.pk).status == "skipped"
    assert [m.text for m in messenger.messages] == ["Đã có hướng dẫn."]


@pytest.mark.django_db
def test_a_reply_outside_the_24_hour_window_fails_for_the_operator(client, messenger, operator_ha):
    reply = _reply_to_a_new_ticket(client, messenger, operator_ha)
    messenger.fail_next(1, status=400, code=10)

    assert replies.deliver(reply.pk).status == "failed"
    reply.refresh_from_db()
    assert reply.delivery == Delivery.FAILED
    assert "code 10" in reply.last_error
    assert messenger.messages == []
