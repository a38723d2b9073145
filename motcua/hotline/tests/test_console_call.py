"""The call form (/tong-dai/goi-dien/) through HTTP: the caller panel as the number is typed,
the live routing suggestions, and a saved call with its dossier, agency or answer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import Sector
from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline.actions import log_call
from motcua.hotline.models import Ticket
from motcua.hotline.status import TicketStatus

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = at(2026, 11, 26, 9, 0)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tag(html: str, name: str) -> str:
    """The opening tag of the field called ``name``."""
    match = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def post(client: Client, **data: Any) -> Any:
    fields = {"phone": "0912 345 678", "name": "", "kind": "question", "body": "", **data}
    with clock(NOW):
        return client.post("/tong-dai/goi-dien/", fields)


def test_the_form_starts_in_the_number(operator_ha):
    html = login(operator_ha).get("/tong-dai/goi-dien/").text
    phone = tag(html, "phone")
    assert 'type="tel"' in phone and "autofocus" in phone
    assert 'hx-trigger="keyup changed delay:300ms' in phone
    assert 'value="question"' in html and "checked" in html
    assert "data-enter-submits" in html


def test_what_the_caller_says_is_only_ever_posted(operator_ha):
    html = login(operator_ha).get("/tong-dai/goi-dien/").text
    assert 'hx-post="/tong-dai/goi-dien/nguoi-goi/"' in tag(html, "phone")
    assert 'hx-post="/tong-dai/goi-dien/goi-y/"' in tag(html, "body")
    assert "hx-get" not in html and 'formmethod="get"' not in html
    form = re.search(r'<form method="post" action="/tong-dai/goi-dien/" class="call-form"', html)
    assert form and 'name="csrfmiddlewaretoken"' in html  # htmx posts the form, token included


def test_a_get_with_personal_data_is_refused_or_ignored(operator_ha):
    client = login(operator_ha)
    log_call(operator=operator_ha, phone="0912345678", name="Trần Thị Bé", body="Hỏi lệ phí")
    caller = client.get("/tong-dai/goi-dien/nguoi-goi/", {"phone": "0912345678"}, **HTMX)
    assert caller.status_code == 405
    assert client.get("/tong-dai/goi-dien/goi-y/", {"body": "lý lịch"}, **HTMX).status_code == 405
    page = client.get("/tong-dai/goi-dien/", {"phone": "0912345678", "name": "Lê Văn Khách"})
    assert page.status_code == 200  # the parameters are ignored: no number, no caller
    assert "value=" not in tag(page.text, "phone") and "value=" not in tag(page.text, "name")
    assert page.context["caller"] is None


def test_a_softphone_passes_the_number_after_the_hash(operator_ha):
    # /tong-dai/goi-dien/#phone=… : the browser never sends what follows "#"; the console's
    # script fills in the number and posts it like a typed one.
    from pathlib import Path

    from django.contrib.staticfiles import finders

    source = Path(str(finders.find("hotline/console.js"))).read_text()
    assert "#phone=" in source and "history.replaceState" in source
    assert "autofocus" in tag(login(operator_ha).get("/tong-dai/goi-dien/").text, "phone")


def test_without_javascript_the_lookup_posts_and_saves_nothing(operator_ha, received):
    dossier = received(phone="0912345678")
    response = post(login(operator_ha), lookup="1", body="Hỏi hồ sơ cấp thẻ tư vấn viên pháp luật")
    assert response.status_code == 200 and not Ticket.objects.exists()
    html = response.text
    assert dossier.code in html  # the caller panel, for the number posted
    assert 'value="0912 345 678"' in tag(html, "phone") and "autofocus" in tag(html, "body")
    assert 'name="route"' in html  # the suggestions for the content posted


def test_only_operators_log_calls(justice_chi):
    assert login(justice_chi).get("/tong-dai/goi-dien/").status_code == 403


def test_a_logged_call_makes_one_ticket_and_links_the_picked_dossier(operator_ha, received):
    dossier = received(phone="0912345678")
    client = login(operator_ha)
    response = post(
        client,
        name="Nguyễn Văn An",
        body="Hỏi hồ sơ cấp thẻ tư vấn viên đến đâu rồi",
        dossiers=[dossier.code],
    )
    assert response.status_code == 302 and response["Location"] == "/tong-dai/goi-dien/"
    ticket = Ticket.objects.get()
    assert list(ticket.dossiers.all()) == [dossier]
    assert ticket.channel == "phone" and ticket.status == TicketStatus.NEW
    assert ticket.contact.phone == "0912345678" and ticket.contact.name == "Nguyễn Văn An"
    after = client.get("/tong-dai/goi-dien/").text
    assert f"Đã lưu cuộc gọi {ticket.code} vào hàng chờ 1022." in after
    assert f'href="/tong-dai/{ticket.code}/"' in after  # in the recent calls


def test_the_caller_panel_knows_a_number_typed_another_way(operator_ha, received):
    with clock(at(2026, 11, 20, 9, 0)):
        earlier = log_call(
            operator=operator_ha, phone="0912 345 678", name="Trần Thị Bé", body="Hỏi lệ phí"
        )
    dossier = received(phone="0912345678")
    html = (
        login(operator_ha)
        .post("/tong-dai/goi-dien/nguoi-goi/", {"phone": "+84 912 345 678"}, **HTMX)
        .text
    )
    assert earlier.code in html and "Trần Thị Bé" in html
    assert dossier.code in html and "Được tiếp nhận" in html
    # The caller may ask for the post to bring the result: the dossier's postal page.
    assert f'href="/buu-chinh/ho-so/{dossier.code}/"' in html
    # The name box is filled in from the contact (an out-of-band swap).
    assert 'id="id_name" value="Trần Thị Bé"' in html and 'hx-swap-oob="true"' in html


def test_the_panel_leaves_a_typed_name_alone_and_waits_for_a_full_number(operator_ha):
    log_call(operator=operator_ha, phone="0912345678", name="Trần Thị Bé", body="Hỏi lệ phí")
    client = login(operator_ha)
    html = client.post("/tong-dai/goi-dien/nguoi-goi/", {"phone": "0912345678", "name": "Bé"}).text
    assert "hx-swap-oob" not in html
    partial = client.post("/tong-dai/goi-dien/nguoi-goi/", {"phone": "09123"}).text
    assert "Nhập đủ số điện thoại" in partial


def test_routing_suggestions_appear_for_the_content(operator_ha):
    html = (
        login(operator_ha)
        .post("/tong-dai/goi-dien/goi-y/", {"body": "cấp phiếu lý lịch tư pháp số 2"}, **HTMX)
        .text
    )
    assert 'name="route"' in html and "%" in html
    assert "Giữ tại Tổng đài 1022" in html


def test_a_picked_suggestion_routes_the_call(operator_ha, justice):
    sector = Sector.objects.get(name="Lý lịch tư pháp").pk
    response = post(
        login(operator_ha),
        body="Xin hỏi làm phiếu lý lịch tư pháp mất bao lâu",
        route=f"{sector}:{justice.pk}",
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.ROUTED and ticket.agency == justice
    assert ticket.sector_id == sector


def test_a_call_answered_on_the_line_is_answered(operator_ha):
    post(login(operator_ha), body="Bộ phận một cửa làm việc thứ bảy không?", answer="Có, sáng.")
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.ANSWERED
    assert ticket.messages.get(direction="out").delivery == "in_person"


def test_bad_input_is_refused_and_nothing_is_saved(operator_ha):
    client = login(operator_ha)
    response = post(client, phone="12345", body="Hỏi")
    assert response.status_code == 422
    assert "Số điện thoại không hợp lệ" in response.text
    response = post(client, body="  ")
    assert response.status_code == 422 and "Cần nhập thông tin này." in response.text
    response = post(client, body="Hỏi", route="999999:1")
    assert response.status_code == 422
    response = post(client, body="Hỏi", dossiers=["KHONG-CO"])
    assert response.status_code == 422 and "Không tìm thấy hồ sơ đã chọn." in response.text
    assert not Ticket.objects.exists()
