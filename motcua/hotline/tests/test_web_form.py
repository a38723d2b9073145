"""The web form on the portal (/phan-anh/) and the citizen's follow-up page, through HTTP:
from the form to the answer by email and back, and each spam trap and refusal."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import CitizenProfile
from motcua.core.tests import samples
from motcua.devtools.fakes.sms import FakeSmsGateway
from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline import replies
from motcua.hotline.actions import answer_ticket
from motcua.hotline.models import Direction, Ticket, TicketCategory
from motcua.hotline.public.links import follow_up_path
from motcua.hotline.status import TicketStatus

pytestmark = pytest.mark.django_db

RENDERED = at(2026, 11, 25, 9, 0)  # a Wednesday morning
SENT = RENDERED + dt.timedelta(seconds=40)
PDF = samples.PDF


@pytest.fixture(autouse=True)
def _fresh(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HOTLINE_WEB_FORM_PER_HOUR = 5
    cache.clear()  # the hourly counts


def stamp(client: Client) -> str:
    with clock(RENDERED):
        page = client.get("/phan-anh/")
    return hidden(page, "stamp")


def hidden(page: Any, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page.content.decode())
    assert found, f"no {name} in the page"
    return found.group(1)


def details(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "question",
        "subject": "Cấp lại giấy khai sinh",
        "content": "Tôi bị mất giấy khai sinh, xin hỏi cấp lại cần giấy tờ gì?",
        "name": "Nguyễn Văn An",
        "email": "an@example.vn",
        "consent": "on",
        **changes,
    }


def send(client: Client, data: dict[str, Any], *, form: str | None = None) -> Any:
    form = form or stamp(client)
    with clock(SENT):
        return client.post("/phan-anh/", {**data, "stamp": form})


def web_tickets() -> int:
    return Ticket.objects.filter(channel="web").count()


def ticket_of(page: Any) -> Ticket:
    code = re.search(r"1022-\d{6}-\d{4}", page.content.decode())
    assert code, "no ticket code in the page"
    return Ticket.objects.get(code=code.group(0))


def test_from_the_form_to_the_answer_by_email_and_back(client, operator_ha, mailoutbox):
    attachment = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    page = send(client, details(attachments=[attachment]))
    assert page.status_code == 200
    ticket = ticket_of(page)
    assert (ticket.channel, ticket.status, ticket.contact.email) == ("web", "new", "an@example.vn")
    assert ticket.messages.get().attachments.get().content_type == "application/pdf"
    assert follow_up_path(ticket.code) in page.content.decode()

    with clock(RENDERED + dt.timedelta(hours=2)):
        reply = answer_ticket(ticket=ticket, user=operator_ha, body="Mang theo CCCD đến UBND xã.")
        assert replies.deliver(reply.pk).status == "sent"
    email = mailoutbox[0]
    assert email.subject == f"Trả lời phản ánh {ticket.code}"
    assert (email.from_email, email.to) == (settings.HOTLINE_EMAIL_ADDRESS, ["an@example.vn"])
    assert "Mang theo CCCD đến UBND xã." in email.body
    link = f"{settings.MOTCUA_PUBLIC_URL}{follow_up_path(ticket.code)}"
    assert link in email.body

    path = link.removeprefix(settings.MOTCUA_PUBLIC_URL)
    page = client.get(path)
    assert "Mang theo CCCD đến UBND xã." in page.content.decode()
    assert client.post(path, {"action": "rate", "rating": "5"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.rating == 5

    nonce = hidden(client.get(path), "nonce")
    answer = {"action": "reply", "body": "Còn cần ảnh thẻ không?", "nonce": nonce}
    assert client.post(path, answer).status_code == 302
    assert client.post(path, answer).status_code == 302  # a double click
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW  # reopened, back in the 1022 queue
    assert ticket.messages.filter(direction=Direction.INBOUND).count() == 2


def test_a_chosen_category_sends_the_ticket_to_its_agency(client, justice):
    category = TicketCategory.objects.create(code="ho-tich", name="Hộ tịch", agency=justice)
    ticket = ticket_of(send(client, details(category=category.pk)))
    assert (ticket.category, ticket.agency, ticket.status) == (category, justice, "routed")


def test_notes_never_reach_the_citizen(client, operator_ha):
    from motcua.hotline.actions import add_note

    ticket = ticket_of(send(client, details()))
    add_note(ticket=ticket, user=operator_ha, body="Người này gọi nhiều lần")
    page = client.get(follow_up_path(ticket.code))
    assert "Người này gọi nhiều lần" not in page.content.decode()


def test_a_filled_honeypot_looks_accepted_but_stores_nothing(client):
    before = web_tickets()
    page = send(client, details(website="http://spam.example"))
    assert page.status_code == 200
    assert "Đã nhận phản ánh của bạn" in page.content.decode()
    assert web_tickets() == before


def test_a_form_sent_back_within_three_seconds_stores_nothing(client):
    before = web_tickets()
    form = stamp(client)
    with clock(RENDERED + dt.timedelta(seconds=2)):
        page = client.post("/phan-anh/", {**details(), "stamp": form})
    assert page.status_code == 200
    assert "Đã nhận phản ánh của bạn" in page.content.decode()
    assert web_tickets() == before


def test_a_forged_stamp_gets_the_form_back_to_send_again(client):
    before = web_tickets()
    page = send(client, details(), form="forged")
    assert page.status_code == 400
    assert web_tickets() == before
    with clock(SENT):  # sent again at once: the person had filled it in already
        page = client.post("/phan-anh/", {**details(), "stamp": hidden(page, "stamp")})
    assert web_tickets() == before + 1


def test_the_sixth_submission_in_an_hour_is_refused(client):
    before = web_tickets()
    for number in range(5):
        assert send(client, details(subject=f"Câu hỏi {number}")).status_code == 200
    page = send(client, details(subject="Câu hỏi 6"))
    assert page.status_code == 429
    assert "số tối đa" in page.content.decode()
    assert web_tickets() == before + 5


def test_one_rendered_form_posted_twice_makes_one_ticket(client):
    before = web_tickets()
    form = stamp(client)
    first = send(client, details(), form=form)
    second = send(client, details(), form=form)
    assert ticket_of(first) == ticket_of(second)
    assert web_tickets() == before + 1


def test_without_phone_or_email_the_form_comes_back(client):
    before = web_tickets()
    page = send(client, details(email="", phone=""))
    assert page.status_code == 422
    assert "Cần số điện thoại hoặc thư điện tử" in page.content.decode()
    assert web_tickets() == before


def test_a_wrong_phone_number_is_refused(client):
    page = send(client, details(phone="12345"))
    assert page.status_code == 422
    assert "Số điện thoại không hợp lệ" in page.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF\n", "vượt quá giới hạn"),
        (b"<html><script>alert(1)</script></html>", "không phải là tệp PDF"),
    ],
    ids=["oversized", "disguised"],
)
def test_a_refused_attachment_stores_nothing(client, upload, message):
    before = web_tickets()
    attachment = SimpleUploadedFile("don.pdf", upload, content_type="application/pdf")
    page = send(client, details(attachments=[attachment]))
    assert page.status_code == 422
    assert message in page.content.decode()
    assert web_tickets() == before


def test_a_script_is_stored_as_text_and_shown_escaped(client):
    page = send(client, details(content="<script>alert('x')</script> đường hỏng"))
    ticket = ticket_of(page)
    assert ticket.body == "<script>alert('x')</script> đường hỏng"
    page = client.get(follow_up_path(ticket.code))
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page.content.decode()
    assert "<script>alert" not in page.content.decode()


def test_a_wrong_token_is_the_same_404_as_an_unknown_code(client):
    ticket = ticket_of(send(client, details()))
    other = follow_up_path("1022-261125-9999").partition("?t=")[2]
    assert client.get(f"/phan-anh/{ticket.code}/?t={other}").status_code == 404
    assert client.get(f"/phan-anh/{ticket.code}/").status_code == 404
    assert client.get("/phan-anh/1022-261125-9999/?t=x").status_code == 404
    assert client.get(follow_up_path(ticket.code)).status_code == 200


def test_a_signed_in_citizen_finds_the_form_filled_in(client):
    user = get_user_model().objects.create_user(username="an", password="x")
    CitizenProfile.objects.create(
        user=user, full_name="Nguyễn Văn An", phone="0912345678", email="an@example.vn"
    )
    client.force_login(user)
    page = client.get("/phan-anh/").content.decode()
    assert 'value="Nguyễn Văn An"' in page
    assert 'value="0912345678"' in page
    assert 'value="an@example.vn"' in page


def test_without_email_the_answer_goes_by_sms_with_the_link(client, operator_ha, settings):
    ticket = ticket_of(send(client, details(email="", phone="0912 345 678")))
    with FakeSmsGateway(api_key="k", secret="s") as gateway, clock(SENT):
        settings.SMS_ENABLED, settings.SMS_GATEWAY_URL = True, gateway.url
        settings.SMS_API_KEY, settings.SMS_SECRET = "k", "s"
        reply = answer_ticket(ticket=ticket, user=operator_ha, body="Đã chuyển Sở Tư pháp.")
        assert replies.deliver(reply.pk).status == "sent"
    [sms] = gateway.messages
    assert (sms.phone, sms.client_id) == ("84912345678", f"ticket-reply-{reply.pk}")
    assert follow_up_path(ticket.code) in sms.message


def test_without_email_or_sms_the_answer_waits_on_the_page(client, operator_ha):
    ticket = ticket_of(send(client, details(email="", phone="0912345678")))
    with clock(SENT):
        reply = answer_ticket(ticket=ticket, user=operator_ha, body="Xem trả lời tại trang.")
        assert replies.deliver(reply.pk).status == "sent"
    reply.refresh_from_db()
    assert reply.provider_message_id == "portal"
    assert "Xem trả lời tại trang." in client.get(follow_up_path(ticket.code)).content.decode()
