"""A ticket's attachments on the console (/tong-dai/<code>/tep/<id>/): opened by those who
see the ticket, through its door; checked on the way in like every upload."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.core.tests import samples
from motcua.hotline.actions import route_ticket
from motcua.hotline.inbound import InboundAttachment
from motcua.hotline.models import Ticket, TicketAttachment
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_files(*attachments: InboundAttachment) -> Ticket:
    return chat(
        "Tôi gửi kèm đơn.", channel="email", sender="an@example.vn", attachments=attachments
    )


def url(ticket: Ticket, attachment: TicketAttachment) -> str:
    return f"/tong-dai/{ticket.code}/tep/{attachment.pk}/"


@pytest.fixture
def ticket() -> Ticket:
    return with_files(InboundAttachment("Đơn đề nghị.pdf", "application/pdf", samples.PDF))


def test_the_operator_downloads_the_attachment(operator_ha, ticket):
    attachment = TicketAttachment.objects.get(message__ticket=ticket)
    response = login(operator_ha).get(url(ticket, attachment))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # "Đơn_đề_nghị.pdf": the name the intake kept (get_valid_filename), with its code first.
    assert "%C4%90%C6%A1n_%C4%91%E1%BB%81_ngh%E1%BB%8B.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == samples.PDF
    assert url(ticket, attachment) in login(operator_ha).get(f"/tong-dai/{ticket.code}/").text


def test_an_agency_sees_the_files_of_tickets_routed_to_it_only(
    operator_ha, justice, justice_chi, police_officer, ticket
):
    attachment = TicketAttachment.objects.get(message__ticket=ticket)
    assert login(justice_chi).get(url(ticket, attachment)).status_code in {403, 404}
    route_ticket(ticket=ticket, user=operator_ha, agency=justice)
    assert login(justice_chi).get(url(ticket, attachment)).status_code == 200
    assert login(police_officer).get(url(ticket, attachment)).status_code in {403, 404}


def test_an_attachment_of_another_ticket_under_this_code_is_404(operator_ha, ticket):
    other = with_files(InboundAttachment("b.pdf", "application/pdf", samples.PDF))
    theirs = TicketAttachment.objects.get(message__ticket=other)
    assert other.pk != ticket.pk
    assert login(operator_ha).get(url(ticket, theirs)).status_code == 404


def test_a_channel_attachment_that_only_looks_like_a_pdf_is_not_kept():
    ticket = with_files(
        InboundAttachment("don.pdf", "application/pdf", samples.PDF_HEADED_HTML),
        InboundAttachment("anh.png", "image/png", samples.PNG),
    )
    kept = TicketAttachment.objects.filter(message__ticket=ticket)
    assert [a.name for a in kept] == ["anh.png"]
    assert kept.get().file.name.rsplit("/", 1)[-1] != "anh.png"  # a random stored name
