"""The hotline's reply outbox when a worker dies after the mail server took an email answer
and before the reply was recorded sent (docs/decisions/outbox.md): the retry sends the same
Message-ID and the reply says the citizen may have it twice."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from motcua.core.outbox.engine import SENDING_LEASE
from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline import replies
from motcua.hotline.actions import answer_ticket
from motcua.hotline.channels.email import receive_email
from motcua.hotline.models import Delivery, TicketMessage

pytestmark = pytest.mark.django_db
T0 = at(2026, 11, 26, 9, 0)


class WorkerKilled(BaseException):
    """A killed worker: nothing after the send runs."""


@pytest.fixture
def reply(settings: Any, operator_ha: Any) -> TicketMessage:
    settings.HOTLINE_EMAIL_ENABLED = True
    settings.HOTLINE_EMAIL_ADDRESS = "1022@dongthap.gov.vn"
    question = EmailMessage()
    question["From"] = "Nguyễn Văn An <an@example.vn>"
    question["To"] = "1022@dongthap.gov.vn"
    question["Subject"] = "Hỏi về cấp lại giấy khai sinh"
    question["Message-ID"] = make_msgid(domain="example.vn")
    question.set_content("Cấp lại giấy khai sinh cần giấy tờ gì?")
    with clock(T0):
        ticket = receive_email(question.as_bytes()).ticket
        return answer_ticket(ticket=ticket, user=operator_ha, body="Mang căn cước đến UBND xã.")


def test_a_retry_after_a_crash_sends_the_same_message_id_and_says_so(reply, monkeypatch):
    real_sender_for = replies.sender_for

    def dying_sender(channel: str) -> Any:
        send = real_sender_for(channel)

        def send_then_die(message: TicketMessage) -> str:
            send(message)
            raise WorkerKilled

        return send_then_die

    monkeypatch.setattr(replies, "sender_for", dying_sender)
    with clock(T0), pytest.raises(WorkerKilled):
        replies.deliver(reply.pk)
    reply.refresh_from_db()
    assert (reply.delivery, reply.attempts, reply.attempted_at) == (Delivery.SENDING, 1, T0)

    monkeypatch.setattr(replies, "sender_for", real_sender_for)
    later = T0 + SENDING_LEASE + dt.timedelta(seconds=1)
    with clock(later):
        assert replies.drain()["sent"] == 1

    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    reply.refresh_from_db()
    assert (reply.delivery, reply.attempts, reply.maybe_duplicate) == (Delivery.SENT, 2, True)
    assert reply.provider_message_id == first.extra_headers["Message-ID"]


def test_a_reply_sent_at_the_first_attempt_is_not_a_possible_duplicate(reply):
    with clock(T0):
        assert replies.deliver(reply.pk).status == "sent"
    reply.refresh_from_db()
    assert (reply.attempts, reply.attempted_at, reply.maybe_duplicate) == (1, T0, False)


def test_the_claim_is_committed_on_its_own(reply):
    with pytest.raises(RuntimeError), transaction.atomic():
        replies.deliver(reply.pk)
