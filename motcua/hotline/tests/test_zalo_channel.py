"""The Zalo OA channel end to end: a signed event from the fake Zalo into the webhook, the
ticket routed and answered by the agency, the reply delivered to the fake Zalo API; and
every bad request refused without changing anything."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from motcua.devtools.fakes.chat import SentMessage
from motcua.devtools.fakes.zalo import FakeZaloApi
from motcua.dossiers.tests.fixtures import at, clock, make_user
from motcua.hotline import replies
from motcua.hotline.actions import answer_ticket, claim_ticket, route_ticket, take_ticket
from motcua.hotline.channels import webhooks
from motcua.hotline.channels.zalo import (
    MAX_WEBHOOK_BYTES,
    SIGNATURE_HEADER,
    mac,
)
from motcua.hotline.models import Delivery, Ticket, TicketMessage
from motcua.org.models import Agency, Role

URL = reverse("hotline-channels:zalo-webhook")
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def zalo(settings) -> Iterator[FakeZaloApi]:
    with FakeZaloApi() as api:
        settings.ZALO_ENABLED = True
        settings.ZALO_APP_ID, settings.ZALO_OA_SECRET_KEY = api.app_id, api.oa_secret_key
        settings.ZALO_ACCESS_TOKEN, settings.ZALO_API_URL = api.access_token, api.url
        yield api


def post(client, body: bytes, headers: dict[str, str], **extra):
    return client.post(URL, body, content_type="application/json", headers=headers, **extra)


def send(client, zalo: FakeZaloApi, user: str, text: str, **kwargs):
    return post(client, *zalo.signed_event(user, text, **kwargs))


def answered(ticket: Ticket, *, operator, agency, officer, text: str) -> TicketMessage:
    claim_ticket(ticket=ticket, user=operator)
    route_ticket(ticket=ticket, user=operator, agency=agency)
    take_ticket(ticket=ticket, user=officer)
    return answer_ticket(ticket=ticket, user=officer, body=text)


@pytest.mark.django_db
def test_a_message_is_routed_answered_and_the_reply_reaches_the_person(
    client, zalo, settings, operator_ha, justice, justice_chi, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    response = send(client, zalo, "zalo-an", "Cho em hỏi chứng thực bản sao cần gì ạ?")
    assert (response.status_code, response.json()) == (
        200,
        {"received": 1, "duplicates": 0, "refused": 0},
    )
    ticket = Ticket.objects.get(channel="zalo")
    assert ticket.contact.identities.get(channel="zalo").external_id == "zalo-an"

    with django_capture_on_commit_callbacks(execute=True):  # runs the queued delivery task
        reply = answered(
            ticket,
            operator=operator_ha,
            agency=justice,
            officer=justice_chi,
            text="Mang bản chính và bản sao đến UBND xã.",
        )

    reply.refresh_from_db()
    assert (reply.delivery, reply.last_error) == (Delivery.SENT, "")
    assert zalo.messages == [
        SentMessage(reply.provider_message_id, "zalo-an", "Mang bản chính và bản sao đến UBND xã.")
    ]


@pytest.mark.django_db(transaction=True)
def test_over_http_both_ways(live_server, zalo, settings):
    """The one committing test: Django empties the database after it, so it puts back the
    demo province it needs when an earlier committing test has emptied it."""
    from motcua.demo.seed import seed_demo

    if not Agency.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    settings.TASKS = IMMEDIATE_TASKS
    justice = Agency.objects.get(name="Sở Tư pháp")
    operator = get_user_model().objects.get(username="tongdai")
    officer = make_user("tuphap_chi", justice, Role.SPECIALIST)

    status, msg_id = zalo.deliver_user_text(live_server.url + URL, "zalo-binh", "Xin chào")
    assert status == 200
    ticket = Ticket.objects.get(messages__external_id=msg_id)
    answered(ticket, operator=operator, agency=justice, officer=officer, text="Chào anh Bình.")

    [sent] = zalo.messages
    assert (sent.recipient, sent.text) == ("zalo-binh", "Chào anh Bình.")
    assert TicketMessage.objects.get(provider_message_id=sent.message_id).delivery == "sent"


@pytest.mark.django_db
def test_switched_off_it_is_not_there(client, zalo, settings):
    settings.ZALO_ENABLED = False
    assert send(client, zalo, "zalo-an", "Xin chào").status_code == 404
    assert not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("forgery", ["missing", "other-secret", "changed-body"])
def test_a_forged_signature_is_refused_and_logged_without_the_body(client, zalo, caplog, forgery):
    event = zalo.user_text_event("zalo-an", "Nội dung bí mật")
    body, headers = zalo.sign(event)
    if forgery == "missing":
        del headers[SIGNATURE_HEADER]
    elif forgery == "other-secret":
        forged = mac(body, app_id=zalo.app_id, timestamp=event["timestamp"], secret="guessed")
        headers[SIGNATURE_HEADER] = f"mac={forged}"
    else:
        body = body.replace("bí mật".encode(), "giả mạo".encode())

    response = post(client, body, headers, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert not Ticket.objects.exists()
    assert "203.0.113.9" in caplog.text
    assert "bí mật" not in caplog.text and "giả mạo" not in caplog.text


@pytest.mark.django_db
def test_a_replayed_message_is_stored_once_and_still_answered_200(client, zalo):
    body, headers = zalo.signed_event("zalo-an", "Hỏi lệ phí", msg_id="zmsg-1")

    assert post(client, body, headers).json() == {"received": 1, "duplicates": 0, "refused": 0}
    again = post(client, body, headers)

    assert (again.status_code, again.json()) == (
        200,
        {"received": 0, "duplicates": 1, "refused": 0},
    )
    assert TicketMessage.objects.filter(external_id="zmsg-1").count() == 1
    assert Ticket.objects.get().events.count() == 1


@pytest.mark.django_db
def test_an_old_event_the_platform_kept_retrying_is_still_taken(client, zalo):
    three_days_ago = int((time.time() - 3 * 86400) * 1000)
    event = zalo.user_text_event("zalo-an", "Gửi từ hôm thứ Hai", timestamp_ms=three_days_ago)

    assert post(client, *zalo.sign(event)).json()["received"] == 1
    assert post(client, *zalo.sign(event)).json()["duplicates"] == 1
    ticket = Ticket.objects.get()
    assert ticket.received_at == dt.datetime.fromtimestamp(three_days_ago / 1000, tz=dt.UTC)


@pytest.mark.django_db
def test_a_10_mb_body_is_refused(client, zalo):
    event = zalo.user_text_event("zalo-an", "x" * 10_000_000)

    response = post(client, *zalo.sign(event))

    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "too_large",
        "message": "Nội dung gửi đến vượt quá 1.000.000 byte.",
        "details": {},
    }
    assert not Ticket.objects.exists()


def test_a_body_without_a_length_is_read_no_further_than_the_limit(zalo):
    request = RequestFactory().post(URL, b"", content_type="application/json")
    stream = io.BytesIO(b"{" + b" " * 10_000_000)
    request._stream, request.META["CONTENT_LENGTH"] = stream, ""  # as ASGI, chunked

    assert webhooks.view_for("zalo")(request).status_code == 413
    assert stream.tell() == MAX_WEBHOOK_BYTES + 1


@pytest.mark.django_db
def test_a_body_that_is_not_json_cannot_even_be_verified(client, zalo):
    # Zalo signs with the body's own timestamp: without JSON there is nothing to check.
    assert post(client, b"{not json", {SIGNATURE_HEADER: "mac=" + "0" * 64}).status_code == 401


@pytest.mark.django_db
def test_a_signed_event_of_the_wrong_shape_is_a_400(client, zalo):
    event = zalo.user_text_event("zalo-an", "Xin chào")
    del event["message"]["msg_id"]

    response = post(client, *zalo.sign(event))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_a_script_tag_is_stored_as_text_and_escaped_when_shown(client, zalo):
    text = "<script>alert('xss')</script> đường ấp 3 sạt lở"
    send(client, zalo, "zalo-an", text)

    stored = TicketMessage.objects.get()
    assert stored.body == text
    shown = Template("{{ message.body }}").render(Context({"message": stored}))
    assert "<script>" not in shown and "&lt;script&gt;" in shown


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["follow", "oa_send_text", "user_seen_message"])
def test_events_that_are_not_a_persons_message_are_ignored(client, zalo, name):
    event = {**zalo.user_text_event("zalo-an", "x"), "event_name": name}

    response = post(client, *zalo.sign(event))

    assert (response.status_code, response.json()["received"]) == (200, 0)
    assert not Ticket.objects.exists()


def _reply_to_a_new_ticket(client, zalo, operator) -> TicketMessage:
    send(client, zalo, "zalo-an", "Hỏi thủ tục")
    return answer_ticket(ticket=Ticket.objects.get(), user=operator, body="Đã có hướng dẫn.")


@pytest.mark.django_db
def test_a_retryable_failure_waits_then_the_reply_goes_once(client, zalo, operator_ha):
    with clock(at(2026, 11, 25, 9, 0)):
        reply = _reply_to_a_new_ticket(client, zalo, operator_ha)
        zalo.fail_next(1, error=-32)  # rate limited
        assert replies.deliver(reply.pk).status == "retrying"
    reply.refresh_from_db()
    assert (reply.delivery, reply.next_attempt_at) == (Delivery.PENDING, at(2026, 11, 25, 9, 1))
    assert "-32" in reply.last_error and zalo.messages == []

    with clock(at(2026, 11, 25, 9, 2)):
        assert replies.deliver(reply.pk).status == "sent"
        assert replies.deliver(reply.pk).status == "skipped"
    assert [m.text for m in zalo.messages] == ["Đã có hướng dẫn."]


@pytest.mark.django_db
def test_a_person_zalo_no_longer_reaches_fails_the_reply_for_the_operator(
    client, zalo, operator_ha
):
    reply = _reply_to_a_new_ticket(client, zalo, operator_ha)
    zalo.fail_next(1, error=-230)  # no interaction with the OA in the past 7 days

    assert replies.deliver(reply.pk).status == "failed"
    reply.refresh_from_db()
    assert reply.delivery == Delivery.FAILED
    assert "-230" in reply.last_error
    assert zalo.messages == []
