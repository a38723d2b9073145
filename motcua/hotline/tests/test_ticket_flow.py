"""The ticket's life through its actions: intake, claim, route, answer, reopen, close."""

from __future__ import annotations

import pytest
from django.http import Http404

from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline import access
from motcua.hotline.actions import (
    ActionError,
    answer_ticket,
    claim_ticket,
    close_ticket,
    log_call,
    merge_ticket,
    route_ticket,
    take_ticket,
)
from motcua.hotline.audit import verify_ticket
from motcua.hotline.models import Delivery, TicketOutcome
from motcua.hotline.status import TicketStatus
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db


def test_a_chat_message_opens_a_ticket_due_in_two_working_days():
    with clock(at(2026, 11, 27, 15, 0)):  # Friday afternoon
        ticket = chat("Cho em hỏi làm lại giấy khai sinh bị mất cần gì ạ?")
    assert ticket.code.startswith("1022-261127-")
    assert ticket.status == TicketStatus.NEW
    assert ticket.kind == "question"
    # 16 working hours from Friday 15:00: Friday 2 h, Monday 8 h, Tuesday 6 h → 15:00.
    assert ticket.due_at == at(2026, 12, 1, 15, 0)
    assert ticket.contact.name == "Nguyễn Văn An"


def test_the_same_platform_message_twice_is_stored_once():
    first = chat("Đường ấp 3 bị sạt lở", message_id="m-1")
    again = chat("Đường ấp 3 bị sạt lở", message_id="m-1")
    assert again.pk == first.pk
    assert first.messages.count() == 1
    assert first.events.count() == 1


def test_a_second_chat_message_continues_the_open_ticket():
    first = chat("Cho em hỏi", sender="u-9")
    second = chat("thủ tục cấp lại sổ hộ nghèo ạ", sender="u-9")
    assert second.pk == first.pk
    assert second.messages.count() == 2


def test_operator_routes_and_agency_answers_on_time(operator_ha, justice, justice_chi):
    with clock(at(2026, 11, 25, 9, 0)):
        ticket = chat("Xin hỏi thủ tục chứng thực bản sao")
        claim_ticket(ticket=ticket, user=operator_ha)
        route_ticket(ticket=ticket, user=operator_ha, agency=justice)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ROUTED
    assert ticket.assignee is None
    assert access.ticket_for_user(justice_chi, ticket.code) == ticket
    with clock(at(2026, 11, 26, 10, 0)):
        take_ticket(ticket=ticket, user=justice_chi)
        reply = answer_ticket(ticket=ticket, user=justice_chi, body="Mang bản chính và bản sao.")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ANSWERED
    assert ticket.outcome == TicketOutcome.ON_TIME
    assert reply.delivery in {Delivery.PENDING, Delivery.SENT, Delivery.FAILED}
    assert verify_ticket(ticket) == []


def test_an_answer_after_the_due_moment_is_late(operator_ha):
    with clock(at(2026, 11, 25, 9, 0)):
        ticket = log_call(operator=operator_ha, phone="0912 345 678", body="Hỏi về hộ khẩu")
    with clock(at(2026, 12, 2, 9, 0)):
        answer_ticket(ticket=ticket, user=operator_ha, body="Đã gọi lại hướng dẫn.", in_person=True)
    ticket.refresh_from_db()
    assert ticket.outcome == TicketOutcome.LATE


def test_a_call_answered_on_the_line_is_answered_at_once(operator_ha):
    ticket = log_call(
        operator=operator_ha,
        phone="+84 912 345 678",
        name="Trần Thị Bích",
        body="Giờ làm việc của Trung tâm?",
        answer="Sáng 7:00–11:30, chiều 13:30–17:00.",
    )
    assert ticket.status == TicketStatus.ANSWERED
    assert ticket.contact.phone == "0912345678"
    assert ticket.messages.get(direction="out").delivery == Delivery.IN_PERSON
    again = log_call(operator=operator_ha, phone="0912345678", body="Hỏi thêm")
    assert again.contact == ticket.contact


def test_other_agencies_see_nothing(operator_ha, justice, police_officer):
    ticket = chat("Hỏi chứng thực")
    route_ticket(ticket=ticket, user=operator_ha, agency=justice)
    with pytest.raises(Http404):
        access.ticket_for_user(police_officer, ticket.code)


def test_answered_ticket_reopens_when_the_citizen_writes_again(operator_ha):
    ticket = chat("Hỏi lệ phí", sender="u-7")
    answer_ticket(ticket=ticket, user=operator_ha, body="Miễn lệ phí.")
    again = chat("Vậy nộp ở đâu ạ?", sender="u-7")
    assert again.pk == ticket.pk
    again.refresh_from_db()
    assert again.status == TicketStatus.NEW


def test_closing_an_unanswered_ticket_needs_a_reason(operator_ha):
    ticket = chat("alo")
    with pytest.raises(ActionError) as error:
        close_ticket(ticket=ticket, user=operator_ha)
    assert error.value.status == 422
    close_ticket(ticket=ticket, user=operator_ha, reason="Gọi nhầm.")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED


def test_a_duplicate_is_merged_and_cannot_be_answered(operator_ha):
    first = chat("Đèn đường khu 2 bị hỏng", sender="a")
    second = chat("Đèn đường khu 2 không sáng", sender="b")
    merge_ticket(ticket=second, into=first, user=operator_ha)
    second.refresh_from_db()
    assert second.status == TicketStatus.MERGED
    with pytest.raises(ActionError):
        answer_ticket(ticket=second, user=operator_ha, body="x")
    assert first.events.last().kind == "merged_in"


def test_only_the_ticket_s_own_contact_continues_an_email_thread():
    def mail(sender, message_id, thread=()):
        return chat(
            "Nội dung",
            channel="email",
            sender=sender,
            email=sender,
            message_id=message_id,
            thread_ids=thread,
        )

    first = mail("an@example.vn", "<a@example.vn>")
    stranger = mail("ke@example.vn", "<b@example.vn>", thread=("<a@example.vn>",))
    owner = mail("an@example.vn", "<c@example.vn>", thread=("<a@example.vn>",))
    assert stranger.pk != first.pk
    assert owner.pk == first.pk


def test_a_chat_reply_goes_to_the_contact_s_account(operator_ha):
    ticket = chat("Hỏi", sender="zalo-reply-1")
    reply = answer_ticket(ticket=ticket, user=operator_ha, body="Đáp")
    assert reply.recipient == "zalo-reply-1"
