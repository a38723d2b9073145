"""Business dialogues: a session, the issues raised there as tickets routed to agencies, and
the follow-up report (page and XLSX)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline.actions import answer_ticket
from motcua.hotline.models import Delivery, Ticket
from motcua.hotline.status import TicketStatus
from motcua.reform.models import DialogueSession

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_session(client: Client, **overrides: str) -> Any:
    data = {
        "title": "Cà phê Doanh nhân tháng 3/2026",
        "held_on": "02/03/2026",
        "place": "Hội trường UBND tỉnh",
        "leaders": "Ông Trần Trí Quang, Chủ tịch UBND tỉnh\nBà Lê Thị Hoa, Giám đốc Sở Tư pháp",
        "businesses": "Công ty TNHH Sen Vàng\nCông ty CP Mekong\nHTX Tân Hồng",
        "notes": "",
        **overrides,
    }
    return client.post("/doi-thoai/moi/", data)


def raise_(client: Client, session: DialogueSession, business: str, agency: Any, text: str) -> Any:
    return client.post(
        f"/doi-thoai/{session.pk}/",
        {
            "business": business,
            "text": text,
            "kind": "petition",
            "agency": agency.pk if agency else "",
        },
    )


@pytest.fixture
def session(operator_ha, justice, police, justice_chi, police_officer):
    """A session on Monday 02/03/2026 with three issues raised at 09:00 (petitions: due in
    80 working hours, Monday 16/03 09:00): Justice answers the first on 10/03 (on time),
    Police the second on 20/03 (late), Justice leaves the third open."""
    client = client_for(operator_ha)
    with clock(at(2026, 3, 2, 9, 0)):
        assert create_session(client).status_code == 302
        session = DialogueSession.objects.get()
        raise_(client, session, "Công ty TNHH Sen Vàng", justice, "Chứng thực hợp đồng chậm")
        raise_(client, session, "Công ty CP Mekong", police, "Đăng ký con dấu mất nhiều ngày")
        raise_(client, session, "HTX Tân Hồng", justice, "Xin hướng dẫn đăng ký biện pháp bảo đảm")
    first, second, _third = Ticket.objects.filter(dialogue=session).order_by("id")
    with clock(at(2026, 3, 10, 9, 0)):
        answer_ticket(ticket=first, user=justice_chi, body="Sở đã rút ngắn còn 1 ngày.")
    with clock(at(2026, 3, 20, 9, 0)):
        answer_ticket(ticket=second, user=police_officer, body="Đã giải quyết trong ngày.")
    return session


def test_each_issue_becomes_a_ticket_routed_to_its_agency(session, justice, police):
    tickets = list(Ticket.objects.filter(dialogue=session).order_by("id"))
    assert [t.channel for t in tickets] == ["dialogue"] * 3
    assert [t.agency for t in tickets] == [justice, police, justice]
    third = tickets[2]
    assert third.status == TicketStatus.ROUTED
    assert third.kind == "petition"
    assert third.due_at == at(2026, 3, 16, 9, 0)
    assert third.contact.organisation == "HTX Tân Hồng"
    # At a dialogue the answer is given in person (next session or in writing), not sent.
    assert tickets[0].messages.get(direction="out").delivery == Delivery.IN_PERSON


def test_the_report_shows_each_state_and_the_totals(session, operator_ha):
    first, second, third = Ticket.objects.filter(dialogue=session).order_by("id")
    client = client_for(operator_ha)
    with clock(at(2026, 3, 25, 9, 0)):
        client.force_login(operator_ha)
        page = client.get(f"/doi-thoai/{session.pk}/bao-cao/")
    assert page.status_code == 200
    issues = {issue.ticket.code: issue for issue in page.context["issues"]}
    assert issues[first.code].state == "on_time"
    assert issues[second.code].state == "late"
    assert issues[third.code].state == "overdue"
    assert issues[first.code].answer == "Sở đã rút ngắn còn 1 ngày."
    totals = page.context["totals"]
    assert (totals.issues, totals.resolved, totals.on_time, totals.late) == (3, 2, 1, 1)
    assert (totals.open, totals.overdue) == (1, 1)
    html = page.content.decode()
    assert third.code in html
    assert "Đang giải quyết, đã quá hạn" in html
    assert "Sở đã rút ngắn còn 1 ngày." in html
    assert '<style media="print">' in html


def test_the_report_as_a_workbook(session, operator_ha):
    client = client_for(operator_ha)
    with clock(at(2026, 3, 25, 9, 0)):
        client.force_login(operator_ha)
        response = client.get(f"/doi-thoai/{session.pk}/bao-cao.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=8, max_row=10, values_only=True))
    assert [row[2] for row in rows] == [
        "Công ty TNHH Sen Vàng",
        "Công ty CP Mekong",
        "HTX Tân Hồng",
    ]
    assert [row[9] for row in rows] == ["Đúng hạn", "Trễ hạn", None]
    assert rows[0][8] == at(2026, 3, 10, 9, 0).replace(tzinfo=None)
    assert rows[2][7] == at(2026, 3, 16, 9, 0).replace(tzinfo=None)
    figures = {row[2]: row[3] for row in sheet.iter_rows(min_row=12, values_only=True) if row[2]}
    assert figures["Tổng số vấn đề"] == 3
    assert figures["Đã giải quyết"] == 2
    assert figures["Trong đó đã quá hạn"] == 1


def test_agency_staff_read_sessions_but_do_not_record_issues(session, police_officer, justice):
    client = client_for(police_officer)
    assert client.get("/doi-thoai/").status_code == 200
    assert client.get(f"/doi-thoai/{session.pk}/bao-cao/").status_code == 200
    assert create_session(client).status_code == 403
    refused = raise_(client, session, "Công ty X", justice, "Vấn đề")
    assert refused.status_code == 403
    assert Ticket.objects.filter(dialogue=session).count() == 3


def test_agency_staff_see_only_the_issues_routed_to_their_agency(session, police_officer):
    """The issues are tickets: the hotline's door decides who sees them."""
    client = client_for(police_officer)
    with clock(at(2026, 3, 25, 9, 0)):
        page = client.get(f"/doi-thoai/{session.pk}/bao-cao/")
    assert [issue.business for issue in page.context["issues"]] == ["Công ty CP Mekong"]
    assert page.context["totals"].issues == 1
    assert "Sở đã rút ngắn còn 1 ngày." not in page.content.decode()
    assert client.get("/doi-thoai/").context["rows"] == [(session, 1, 0)]


def test_citizens_and_visitors_cannot_create(justice):
    citizen = get_user_model().objects.create_user(username="congdan_an")
    assert create_session(client_for(citizen)).status_code == 404
    assert client_for(citizen).get("/doi-thoai/").status_code == 404
    assert create_session(Client()).status_code == 302
    assert not DialogueSession.objects.exists()


def test_bad_input_is_a_form_error_and_no_ticket(operator_ha, justice):
    client = client_for(operator_ha)
    assert create_session(client, held_on="31/02/2026").status_code == 422
    create_session(client)
    session = DialogueSession.objects.get()
    no_agency = raise_(client, session, "Công ty TNHH Sen Vàng", None, "Chứng thực chậm")
    assert no_agency.status_code == 422
    assert "Chọn cơ quan chủ trì giải quyết vấn đề này." in no_agency.content.decode()
    no_text = raise_(client, session, "Công ty TNHH Sen Vàng", justice, "   ")
    assert no_text.status_code == 422
    assert "Nhập nội dung vấn đề doanh nghiệp nêu." in no_text.content.decode()
    assert not Ticket.objects.filter(dialogue=session).exists()


def test_the_session_page_lists_issues_in_few_queries(
    session, operator_ha, django_assert_max_num_queries
):
    client = client_for(operator_ha)
    with django_assert_max_num_queries(12):
        page = client.get(f"/doi-thoai/{session.pk}/")
    assert page.status_code == 200
    assert "Công ty CP Mekong" in page.content.decode()


def test_sessions_are_in_the_admin():
    assert admin.site.is_registered(DialogueSession)
