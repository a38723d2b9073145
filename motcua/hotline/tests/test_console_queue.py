"""The live queue (/tong-dai/) through HTTP: who sees which tickets, colours with words, the
htmx refresh, and a query count that does not grow with the rows.

Questions are due 16 working hours after they come in: received Wednesday 25/11/2026 09:00,
due Friday 27/11 09:00. The queue is read on Thursday 26/11 at 10:00 (due within a working
day: "soon") or on Monday 30/11 at 10:00 (overdue).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline.actions import claim_ticket, escalate_ticket, route_ticket
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db

RECEIVED = at(2026, 11, 25, 9, 0)
THURSDAY = at(2026, 11, 26, 10, 0)
MONDAY = at(2026, 11, 30, 10, 0)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queue(user: Any, tab: str = "", when: Any = THURSDAY, **extra: Any) -> Any:
    with clock(when):
        return login(user).get("/tong-dai/", {"tab": tab} if tab else {}, **extra)


def row_class(html: str, code: str) -> str:
    match = re.search(
        rf'<tr class="row-(\w+)">\s*<th scope="row"><a href="/tong-dai/{code}/"', html
    )
    assert match, code
    return match.group(1)


@pytest.fixture
def tickets(operator_ha: Any, justice: Any, police: Any) -> dict[str, Any]:
    """One new, one routed to Justice, one routed to the police, one answered-to-be."""
    with clock(RECEIVED):
        made = {
            "new": chat("Hỏi giờ làm việc của bộ phận một cửa", sender="s-1"),
            "justice": chat("Xin hỏi thủ tục cấp phiếu lý lịch tư pháp", sender="s-2"),
            "police": chat("Hỏi thủ tục đăng ký thường trú cho con", sender="s-3"),
        }
        route_ticket(ticket=made["justice"], user=operator_ha, agency=justice)
        route_ticket(ticket=made["police"], user=operator_ha, agency=police)
    return made


def test_anonymous_is_sent_to_sign_in():
    response = Client().get("/tong-dai/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/tong-dai/"


def test_a_signed_in_citizen_is_refused():
    citizen = get_user_model().objects.create_user("citizen_an")
    response = queue(citizen)
    assert response.status_code == 403
    assert "không làm việc tại Tổng đài 1022" in response.text


def test_the_operator_sees_new_tickets_with_a_claim_button(operator_ha, tickets):
    html = queue(operator_ha).text
    assert tickets["new"].code in html
    assert tickets["justice"].code not in html  # routed: another tab
    assert f'action="/tong-dai/{tickets["new"].code}/thao-tac/claim/"' in html
    assert "25/11/2026 09:00" in html and "Zalo" in html and "Hỏi đáp" in html
    routed = queue(operator_ha, "da-chuyen").text
    assert tickets["justice"].code in routed and tickets["police"].code in routed
    assert "Sở Tư pháp" in routed


def test_mine_lists_what_the_operator_holds(operator_ha, tickets):
    with clock(RECEIVED):
        claim_ticket(ticket=tickets["new"], user=operator_ha)
    html = queue(operator_ha, "cua-toi").text
    assert tickets["new"].code in html
    assert tickets["new"].code not in queue(operator_ha, "moi").text


def test_an_agency_officer_sees_only_their_agency_and_takes(justice_chi, tickets):
    html = queue(justice_chi).text
    assert tickets["justice"].code in html
    assert tickets["police"].code not in html and tickets["new"].code not in html
    assert f'action="/tong-dai/{tickets["justice"].code}/thao-tac/take/"' in html
    assert "Chuyển đến cơ quan tôi" in html and "Mới, chưa ai nhận" not in html


def test_the_police_see_nothing_of_justice(police_officer, tickets):
    for tab in ("co-quan", "cua-toi", "qua-han", "da-tra-loi"):
        html = queue(police_officer, tab, when=MONDAY).text
        assert tickets["justice"].code not in html and tickets["new"].code not in html
    assert tickets["police"].code in queue(police_officer).text


def test_rows_are_coloured_by_time_left_and_say_it(operator_ha, tickets):
    html = queue(operator_ha).text
    assert row_class(html, tickets["new"].code) == "soon"
    assert "Sắp đến hạn" in html and "còn 7 giờ làm việc" in html
    late = queue(operator_ha, when=MONDAY).text
    assert row_class(late, tickets["new"].code) == "overdue"
    assert "trễ 1 ngày 1 giờ làm việc" in late


def test_overdue_and_escalated_tab(operator_ha, tickets):
    with clock(RECEIVED):
        escalate_ticket(ticket=tickets["justice"], user=operator_ha, reason="Người dân gọi lần 2")
    thursday = queue(operator_ha, "qua-han").text
    assert tickets["justice"].code in thursday and tickets["new"].code not in thursday
    assert "Mức 1" in thursday
    monday = queue(operator_ha, "qua-han", when=MONDAY).text
    assert tickets["new"].code in monday and tickets["police"].code in monday


def test_the_list_refreshes_itself_every_30_seconds(operator_ha, tickets):
    page = queue(operator_ha).text
    assert 'hx-trigger="every 30s"' in page
    partial = queue(operator_ha, "moi", HTTP_HX_REQUEST="true").text
    assert "<html" not in partial and 'id="queue"' in partial
    assert tickets["new"].code in partial


def test_query_count_does_not_grow_with_the_rows(operator_ha, django_assert_max_num_queries):
    with clock(RECEIVED):
        for n in range(12):
            chat(f"Câu hỏi số {n} về chứng thực", sender=f"many-{n}")
    client = login(operator_ha)
    with clock(THURSDAY), django_assert_max_num_queries(12):
        html = client.get("/tong-dai/").text
    assert html.count('<tr class="row-') == 12
