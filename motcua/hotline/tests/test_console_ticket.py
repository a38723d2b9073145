"""The ticket page (/tong-dai/<code>/) and each of its actions through HTTP, with and without
htmx: allowed actions change the ticket, refusals show their message with 403/409/422 and
change nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import Sector
from motcua.hotline.actions import (
    answer_ticket,
    claim_ticket,
    log_call,
    route_ticket,
)
from motcua.hotline.models import Contact, Delivery, PublicAnswer, Ticket, TicketMessage
from motcua.hotline.status import TicketStatus
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act(client: Client, ticket: Ticket, action: str, **data: Any) -> Any:
    extra = data.pop("extra", {})
    prefixed = {f"{action}-{key}": value for key, value in data.items()}
    return client.post(f"/tong-dai/{ticket.code}/thao-tac/{action}/", prefixed, **extra)


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def ticket() -> Ticket:
    return chat("Xin hỏi thủ tục cấp phiếu lý lịch tư pháp cần giấy tờ gì?", name="Lê Thị Hoa")


@pytest.fixture
def operator(operator_ha: Any) -> Client:
    return login(operator_ha)


@pytest.fixture
def routed(ticket: Ticket, operator_ha: Any, justice: Any) -> Ticket:
    return route_ticket(ticket=ticket, user=operator_ha, agency=justice)


def test_the_page_shows_thread_contact_suggestions_and_actions(operator, ticket):
    html = operator.get(f"/tong-dai/{ticket.code}/").text
    assert "Xin hỏi thủ tục cấp phiếu lý lịch tư pháp" in html and "Lê Thị Hoa" in html
    assert "Gợi ý phân loại khi tiếp nhận" in html and "%" in html
    assert ">Nhận xử lý</button>" in html and "Chuyển cơ quan xử lý" in html
    assert "Trả lời người dân" in html and 'name="tri_thuc"' in html


def test_a_script_in_a_message_is_shown_escaped(operator):
    ticket = chat("<script>alert('xss')</script> đường hỏng", sender="x-1")
    html = operator.get(f"/tong-dai/{ticket.code}/").text
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html


def test_claim_then_release(operator, ticket, operator_ha):
    response = act(operator, ticket, "claim")
    assert response.status_code == 302 and response["Location"] == f"/tong-dai/{ticket.code}/"
    assert fresh(ticket).status == TicketStatus.TRIAGE
    assert fresh(ticket).assignee == operator_ha
    assert "Bạn đang xử lý phản ánh này." in operator.get(response["Location"]).text
    act(operator, ticket, "release")
    assert fresh(ticket).status == TicketStatus.NEW and fresh(ticket).assignee is None


def test_route_with_htmx_swaps_the_page_in(operator, ticket, justice):
    response = act(operator, ticket, "route", agency=str(justice.pk), extra=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert "Đã chuyển phản ánh đến cơ quan xử lý." in response.text
    assert fresh(ticket).agency == justice and fresh(ticket).status == TicketStatus.ROUTED


def test_the_agency_takes_and_answers_on_the_channel(routed, justice_chi):
    client = login(justice_chi)
    assert act(client, routed, "take").status_code == 302
    assert fresh(routed).assignee == justice_chi
    act(client, routed, "answer", body="Mang căn cước và tờ khai.")
    reply = TicketMessage.objects.get(ticket=routed, direction="out")
    assert fresh(routed).status == TicketStatus.ANSWERED
    assert reply.delivery == Delivery.PENDING and reply.channel == "zalo"
    html = client.get(f"/tong-dai/{routed.code}/").text
    assert "Mang căn cước và tờ khai." in html and "Chờ gửi" in html


def test_a_forbidden_action_is_403_with_its_message(routed, justice_chi, police_officer):
    response = act(login(justice_chi), routed, "route", agency=str(routed.agency_id))
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.text
    assert login(police_officer).get(f"/tong-dai/{routed.code}/").status_code == 404
    assert act(login(police_officer), routed, "take").status_code == 404


def test_a_state_conflict_is_409(operator, routed):
    response = act(operator, routed, "claim")
    assert response.status_code == 409
    assert "không thể thực hiện thao tác này" in response.text
    assert fresh(routed).status == TicketStatus.ROUTED


def test_bad_input_is_422_and_changes_nothing(routed, justice_chi, operator):
    client = login(justice_chi)
    response = act(client, routed, "return_to_hotline", reason=" ")
    assert response.status_code == 422 and "Cần nhập thông tin này." in response.text
    assert fresh(routed).status == TicketStatus.ROUTED
    response = act(operator, routed, "close", reason="")
    assert response.status_code == 422
    assert "Phản ánh chưa được trả lời: nêu lý do đóng." in response.text
    assert fresh(routed).status == TicketStatus.ROUTED
    response = act(operator, routed, "merge", into="1022-000000-9999")
    assert (
        response.status_code == 422
        and "Không tìm thấy phản ánh mã 1022-000000-9999" in response.text
    )
    assert act(operator, routed, "route", agency="abc").status_code == 422
    partial = act(client, routed, "return_to_hotline", reason="", extra=HTMX)
    assert partial.status_code == 422 and "<html" not in partial.text
    assert "Thông tin chưa hợp lệ" in partial.text


def test_return_to_hotline_sends_the_agency_back_to_its_queue(routed, justice_chi):
    response = act(login(justice_chi), routed, "return_to_hotline", reason="Thuộc Công an.")
    assert response.status_code == 302 and response["Location"] == "/tong-dai/"
    assert fresh(routed).status == TicketStatus.NEW and fresh(routed).agency is None


def test_classify_note_escalate_and_link(operator, ticket, received):
    dossier = received()
    sector = Sector.objects.get(name="Lý lịch tư pháp")
    act(operator, ticket, "classify", kind="feedback", sector=str(sector.pk), procedure="1.000426")
    ticket = fresh(ticket)
    assert ticket.kind == "feedback" and ticket.sector == sector
    assert ticket.procedure.code == "1.000426"
    act(operator, ticket, "note", body="Đã gọi lại, không nghe máy.")
    assert ticket.messages.filter(direction="note").count() == 1
    act(operator, ticket, "escalate", reason="Gọi lần thứ ba")
    assert fresh(ticket).escalation_level == 1
    act(operator, ticket, "link", dossier=dossier.code)
    assert list(ticket.dossiers.all()) == [dossier]
    assert act(operator, ticket, "classify", kind="question", procedure="9.999").status_code == 422


def test_close_reopen_and_merge(operator, ticket):
    act(operator, ticket, "close", reason="Gọi nhầm số.")
    assert fresh(ticket).status == TicketStatus.CLOSED
    act(operator, ticket, "reopen", reason="Người dân gọi lại.")
    assert fresh(ticket).status == TicketStatus.NEW
    other = chat("Hỏi lại lý lịch tư pháp", sender="other-sender")
    act(operator, other, "merge", into=ticket.code)
    assert fresh(other).status == TicketStatus.MERGED and fresh(other).merged_into == ticket


def test_publish_starts_from_the_redacted_draft(operator, ticket, operator_ha):
    answer_ticket(ticket=ticket, user=operator_ha, body="Chị Hoa mang căn cước đến Sở Tư pháp.")
    html = operator.get(f"/tong-dai/{ticket.code}/").text
    draft = html.split('id="id_publish-answer"')[1].split("</textarea>")[0]
    assert "mang căn cước đến Sở Tư pháp" in draft and "Hoa" not in draft
    act(
        operator,
        ticket,
        "publish",
        title="Lý lịch tư pháp",
        question="Cần giấy tờ gì?",
        answer="Mang căn cước.",
    )
    published = PublicAnswer.objects.get(ticket=ticket)
    assert published.published and published.title == "Lý lịch tư pháp"


def test_merge_contacts_from_the_contact_card(operator, operator_ha):
    first = log_call(operator=operator_ha, phone="0912345678", name="Lê Văn Tám", body="Hỏi A")
    second = log_call(operator=operator_ha, phone="0987654321", body="Hỏi B")
    response = act(operator, first, "merge_contacts", phone="0987 654 321")
    assert response.status_code == 302
    assert fresh(second).contact == fresh(first).contact
    assert Contact.objects.get(phone="0987654321").merged_into_id == first.contact_id
    assert act(operator, first, "merge_contacts", phone="0900000000").status_code == 422


def test_a_failed_reply_is_sent_again(operator, ticket, operator_ha):
    reply = answer_ticket(ticket=ticket, user=operator_ha, body="Đã trả lời.")
    TicketMessage.objects.filter(pk=reply.pk).update(delivery=Delivery.FAILED, last_error="503")
    html = operator.get(f"/tong-dai/{ticket.code}/").text
    assert "Gửi lỗi" in html and ">Gửi lại</button>" in html
    assert act(operator, ticket, "resend", message=str(reply.pk)).status_code == 302
    assert TicketMessage.objects.get(pk=reply.pk).delivery == Delivery.PENDING
    assert act(operator, ticket, "resend", message=str(reply.pk)).status_code == 422


def test_the_knowledge_base_finds_answers_and_procedures(operator, ticket, operator_ha):
    published = PublicAnswer.objects.create(
        title="Làm phiếu lý lịch tư pháp ở đâu?",
        question="Tôi cần phiếu lý lịch tư pháp",
        answer="Nộp tại Trung tâm Phục vụ hành chính công tỉnh hoặc trực tuyến.",
    )
    url = f"/tong-dai/{ticket.code}/tri-thuc/"
    html = operator.post(url, {"tri_thuc": "ly lich tu phap"}, **HTMX).text
    assert "Làm phiếu lý lịch tư pháp ở đâu?" in html
    assert f"chen=a{published.pk}" in html and "/thu-tuc/" in html
    assert "tri_thuc=" not in html  # the words searched never go back into a link
    # Without JavaScript the form posts to the same address and gets the ticket page.
    page = operator.post(url, {"tri_thuc": "ly lich tu phap"})
    assert page.status_code == 200 and "Làm phiếu lý lịch tư pháp ở đâu?" in page.text
    assert 'id="ticket"' in page.text or "Trả lời người dân" in page.text
    page = operator.get(f"/tong-dai/{ticket.code}/", {"chen": f"a{published.pk}"}).text
    assert "Nộp tại Trung tâm Phục vụ hành chính công tỉnh hoặc trực tuyến.</textarea>" in page
    assert f'value="{published.pk}"' in page
    page = operator.get(f"/tong-dai/{ticket.code}/", {"chen": "p1.000426"}).text
    assert "Thủ tục «Cấp thẻ tư vấn viên pháp luật» (mã 1.000426)." in page
    assert "/thu-tuc/1.000426/</textarea>" in page


def test_the_knowledge_search_is_posted_never_in_the_address(operator, ticket):
    html = operator.get(f"/tong-dai/{ticket.code}/").text
    search = re.search(r'<form method="post" action="[^"]*/tri-thuc/[^"]*"[^>]*role="search"', html)
    assert search and 'hx-post="/tong-dai/' in html
    url = f"/tong-dai/{ticket.code}/tri-thuc/"
    assert operator.get(url, {"tri_thuc": "CCCD 087190001111"}, **HTMX).status_code == 405
    page = operator.get(f"/tong-dai/{ticket.code}/", {"tri_thuc": "087190001111"})
    assert page.context["knowledge_query"] == ""  # a search in the address is ignored


def test_the_suggestion_applies_in_one_click(operator, ticket, justice):
    Ticket.objects.filter(pk=ticket.pk).update(
        suggestions=[
            {
                "sector_id": 1,
                "sector": "Lý lịch tư pháp",
                "agency_id": justice.pk,
                "agency": "Sở Tư pháp",
                "confidence": 0.83,
            }
        ]
    )
    html = operator.get(f"/tong-dai/{ticket.code}/").text
    assert "83%" in html and "Áp dụng: chuyển Sở Tư pháp" in html
    act(operator, ticket, "route", agency=str(justice.pk))
    assert fresh(ticket).agency == justice


def test_the_holder_may_release(operator, ticket, operator_ha):
    claim_ticket(ticket=ticket, user=operator_ha)
    assert "Trả lại hàng chờ 1022" in operator.get(f"/tong-dai/{ticket.code}/").text
