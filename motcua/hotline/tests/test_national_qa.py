"""The national portal's Q&A end to end through its fake: questions pulled into the queue,
answers pushed back once, refusals and broken answers handled."""

from __future__ import annotations

import datetime as dt
import io
import urllib.error
import urllib.request

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.devtools.fakes.national_qa import DEV_CLIENT_ID, DEV_SECRET, FakeNationalQa
from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline import replies
from motcua.hotline.actions import answer_ticket, receive_message, route_ticket
from motcua.hotline.channels.national_qa import (
    QUESTIONS_PATH,
    Asker,
    NationalQaClient,
    NationalQaError,
    Question,
    signed_headers,
    sync_questions,
)
from motcua.hotline.inbound import InboundMessage
from motcua.hotline.models import Delivery, Ticket, TicketMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal():
    with FakeNationalQa(page_size=2) as fake:
        yield fake


@pytest.fixture
def client(portal):
    return NationalQaClient(base_url=portal.url, client_id=DEV_CLIENT_ID, secret=DEV_SECRET)


@pytest.fixture
def enabled(portal, settings):
    settings.NATIONAL_QA_ENABLED = True
    settings.NATIONAL_QA_URL = portal.url
    settings.NATIONAL_QA_CLIENT_ID, settings.NATIONAL_QA_SECRET = DEV_CLIENT_ID, DEV_SECRET


def ask_three(portal) -> list[str]:
    return [
        portal.add_question(
            "Cấp lại khai sinh", "Mất giấy khai sinh thì làm sao?", email="an@x.vn"
        ),
        portal.add_question("Lý lịch tư pháp", "Mấy ngày có phiếu?", phone="0912 345 678"),
        portal.add_question("Hộ kinh doanh", "Nộp qua mạng được không?", name="Lê Cường"),
    ]


def national_tickets():
    return Ticket.objects.filter(channel="national_qa")


def test_two_pages_of_questions_become_tickets_and_a_second_sync_adds_nothing(portal, client):
    ids = ask_three(portal)

    report = sync_questions(client)

    assert (report.pages, report.opened, report.rejected) == (2, 3, [])
    tickets = national_tickets().order_by("received_at", "pk")
    assert [t.subject for t in tickets] == ["Cấp lại khai sinh", "Lý lịch tư pháp", "Hộ kinh doanh"]
    assert [t.messages.get().external_id for t in tickets] == [f"qa:{i}" for i in ids]
    assert tickets[0].contact.email == "an@x.vn"
    assert tickets[1].contact.phone == "0912345678"

    again = sync_questions(client)

    assert (again.opened, again.added, again.duplicates) == (0, 0, 3)
    assert again.since is not None
    assert national_tickets().count() == 3


def test_a_later_sync_resumes_from_the_latest_question_held(portal, client):
    with clock(at(2026, 11, 2, 9, 0)):
        portal.add_question("Câu cũ", email="a@x.vn")
        sync_questions(client)
    with clock(at(2026, 11, 25, 9, 0)):
        portal.add_question("Câu mới", email="b@x.vn")
        report = sync_questions(client)
    assert report.since == "2026-11-02T08:00:00+07:00"  # the latest held, less an hour
    assert (report.opened, report.duplicates) == (1, 1)


def test_an_answer_reaches_the_question_once_even_when_delivered_again(
    portal, client, enabled, operator_ha, justice
):
    first, *_ = ask_three(portal)
    sync_questions(client)
    ticket = Ticket.objects.get(messages__external_id=f"qa:{first}")
    route_ticket(ticket=ticket, user=operator_ha, agency=justice)
    reply = answer_ticket(ticket=ticket, user=operator_ha, body="Nộp tại UBND xã nơi đăng ký.")

    assert replies.deliver(reply.pk).status == "sent"

    [answer] = portal.answers_for(first)
    assert (answer.answer_id, answer.content) == (f"motcua-{reply.pk}", reply.body)
    assert answer.answered_by == "Sở Tư pháp"
    reply.refresh_from_db()
    assert reply.provider_message_id == answer.answer_ref

    # The portal took it but our record was lost: the row is sent again.
    TicketMessage.objects.filter(pk=reply.pk).update(
        delivery=Delivery.PENDING, next_attempt_at=timezone.now()
    )
    assert replies.deliver(reply.pk).status == "sent"
    assert portal.answers == [answer]
    assert portal.requests == 4  # two pages, two pushes


def test_an_answer_from_the_hotline_is_signed_by_it(portal, client, enabled, operator_ha):
    question = portal.add_question("Giờ làm việc của Trung tâm?")
    sync_questions(client)
    reply = answer_ticket(ticket=national_tickets().get(), user=operator_ha, body="7g đến 17g.")
    replies.deliver(reply.pk)
    assert portal.answers_for(question)[0].answered_by == "Tổng đài 1022"


def test_a_portal_unavailable_is_retried_then_drained(portal, client, enabled, operator_ha):
    with clock(at(2026, 11, 25, 9, 0)):
        question = portal.add_question("Phí chứng thực bản sao?")
        sync_questions(client)
        reply = answer_ticket(ticket=national_tickets().get(), user=operator_ha, body="2.000 đ.")
        portal.fail_next(1, status=503)

        assert replies.deliver(reply.pk).status == "retrying"

    reply.refresh_from_db()
    assert (reply.delivery, portal.answers) == (Delivery.PENDING, [])
    assert "503" in reply.last_error
    with clock(at(2026, 11, 25, 9, 5)):
        assert replies.drain()["sent"] == 1
    assert [a.question_id for a in portal.answers] == [question]


@pytest.mark.parametrize(("closed", "status"), [(False, "404"), (True, "409")])
def test_an_unknown_or_closed_question_fails_for_good(
    portal, client, enabled, operator_ha, closed, status
):
    if closed:
        portal.close_question(portal.add_question("Hỏi rồi thôi"))
        sync_questions(client)
        ticket = national_tickets().get()
    else:  # a question the portal no longer knows
        ticket = receive_message(
            message=InboundMessage(
                channel="national_qa", external_id="qa:HD-404", sender_id="qa-asker:x", text="?"
            )
        ).ticket
    reply = answer_ticket(ticket=ticket, user=operator_ha, body="Trả lời.")

    assert replies.deliver(reply.pk).status == "failed"

    reply.refresh_from_db()
    assert status in reply.last_error
    assert portal.answers == []


def test_a_forged_signature_is_refused_and_nothing_is_stored(portal):
    portal.add_question("Câu hỏi")
    forger = NationalQaClient(base_url=portal.url, client_id=DEV_CLIENT_ID, secret="đoán bừa")

    with pytest.raises(NationalQaError, match="401"):
        sync_questions(forger)

    assert (portal.rejected, portal.requests) == (1, 0)
    assert not national_tickets().exists()


def test_a_stale_timestamp_is_refused(portal):
    target = QUESTIONS_PATH + "?limit=10"
    stale = timezone.now().timestamp() - 301
    headers = signed_headers(
        client_id=DEV_CLIENT_ID, secret=DEV_SECRET, method="GET", target=target, body=b"", at=stale
    )
    request = urllib.request.Request(portal.url + target, headers=headers)  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310
    assert refused.value.code == 401
    assert portal.rejected == 1


@pytest.mark.parametrize(
    "body", [b'{"items": [', b"<html>502</html>", b'{"items": {}}', b'["a"]', b"\xff\xfe"]
)
def test_a_broken_answer_is_a_clear_error_and_stores_nothing(portal, client, body):
    portal.add_question("Câu hỏi")
    portal.fail_next(1, status=200, body=body)

    with pytest.raises(NationalQaError, match="Cổng DVC quốc gia"):
        sync_questions(client)

    assert not national_tickets().exists()
    assert sync_questions(client).opened == 1  # the next sync is not stuck


def test_an_item_that_is_not_a_question_is_left_out_and_the_rest_is_taken(portal, client):
    portal.add_question("Câu tốt")
    portal.fail_next(
        1,
        status=200,
        body=b'{"items": [{"id": "HD-9", "title": "x", "created_at": "h\xc3\xb4m qua"}, '
        b'{"id": "HD-8", "title": "Ok", "content": "Ok", "created_at": "2026-11-25T09:00:00+07:00"}'
        b'], "next_cursor": null}',
    )

    report = sync_questions(client)

    assert report.opened == 1
    assert [r.split(":")[0] for r in report.rejected] == ["HD-9"]
    assert national_tickets().get().messages.get().external_id == "qa:HD-8"


def test_a_question_becomes_one_inbound_message():
    question = Question(
        id="HD-1",
        created_at=dt.datetime(2026, 11, 25, 9, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        title="Tiêu đề",
        content="Nội dung",
        asker=Asker(name="An", phone="0912345678"),
    )
    message = question.inbound()
    assert (message.external_id, message.sender_id) == ("qa:HD-1", "qa-asker:0912345678")
    assert (message.subject, message.text, message.sent_at) == (
        "Tiêu đề",
        "Nội dung",
        question.created_at,
    )


def test_two_questions_from_one_asker_are_two_tickets(portal, client):
    portal.add_question("Câu một", email="an@x.vn")
    portal.add_question("Câu hai", email="an@x.vn")
    assert sync_questions(client).opened == 2


def test_the_command_refuses_to_run_while_switched_off(settings):
    settings.NATIONAL_QA_ENABLED = False
    with pytest.raises(CommandError, match="NATIONAL_QA_ENABLED"):
        call_command("hotline_sync_national_qa", "--once")


def test_the_command_pulls_once(portal, enabled):
    ask_three(portal)
    out = io.StringIO()
    call_command("hotline_sync_national_qa", "--once", stdout=out)
    assert "3 phản ánh mới" in out.getvalue()
    portal.fail_next(1, status=500)
    with pytest.raises(CommandError, match="500"):
        call_command("hotline_sync_national_qa", "--once", stdout=out)
