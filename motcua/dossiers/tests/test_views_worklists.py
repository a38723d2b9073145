"""Worklists (/ho-so/) through HTTP: tabs, colours with words, fast-track minutes, paging,
and a query count that does not grow with the rows.

Procedure 1.000426 takes 5 working days: received Friday 27/02/2026 08:00 it is due Friday
06/03 08:00, received Monday 02/03 08:00 due Monday 09/03 08:00, received Wednesday 04/03
08:00 due Wednesday 11/03 08:00. The lists are read on Friday 06/03/2026 at 10:00.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import Procedure
from motcua.dossiers.actions import forward_dossier
from motcua.dossiers.tests.fixtures import at, clock, ready

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 6, 10, 0)


@pytest.fixture
def desk_client(clerk_binh: Any) -> Client:
    client = Client()
    client.force_login(clerk_binh)
    return client


def get(client: Client, tab: str = "", **params: Any) -> Any:
    with clock(NOW):
        return client.get("/ho-so/", {"tab": tab, **params} if tab else params)


def row_of(html: str, code: str) -> str:
    match = re.search(rf'<tr class="row-(\w+)">\s*<th scope="row"><a href="/ho-so/{code}/"', html)
    assert match, code
    return match.group(1)


@pytest.fixture
def three(received: Any) -> dict[str, Any]:
    return {
        "late": received(when=at(2026, 2, 27, 8, 0), name="Lê Văn Trễ"),
        "soon": received(when=at(2026, 3, 2, 8, 0), name="Phạm Thị Gần"),
        "ok": received(when=at(2026, 3, 4, 8, 0), name="Võ Văn Xa"),
    }


def test_my_steps_are_coloured_by_time_left_and_say_it(desk_client, three):
    html = get(desk_client).text
    assert row_of(html, three["late"].code) == "overdue"
    assert row_of(html, three["soon"].code) == "soon"
    assert row_of(html, three["ok"].code) == "ok"
    assert "trễ 2 giờ làm việc" in html
    assert "còn 6 giờ làm việc" in html
    assert "Quá hạn" in html and "Sắp đến hạn" in html and "Còn hạn" in html
    assert "Cấp thẻ tư vấn viên pháp luật" in html and "Lê Văn Trễ" in html
    assert "27/02/2026 08:00" in html and "06/03/2026 08:00" in html


def test_overdue_and_due_soon_tabs(desk_client, three):
    overdue = get(desk_client, "qua-han").text
    assert three["late"].code in overdue and three["soon"].code not in overdue
    soon = get(desk_client, "sap-den-han").text
    assert three["soon"].code in soon and three["late"].code not in soon
    assert three["ok"].code not in soon


def test_desk_queue_holds_results_to_return(desk_client, three, specialist_chi, clerk_binh):
    dossier = three["ok"]
    with clock(at(2026, 3, 5, 9, 0)):
        dossier = ready(dossier)
    html = get(desk_client, "hang-cho").text
    assert dossier.code in html
    assert "Đã xử lý xong" in html


def test_fast_track_shows_working_minutes_left(desk_client, received):
    Procedure.objects.filter(code="1.000426").update(fast_track=True)
    # Monday 08:00 + 8 working hours → Tuesday 08:00; at Monday 14:00: 3 h + 1 h left.
    dossier = received(when=at(2026, 3, 2, 8, 0))
    with clock(at(2026, 3, 2, 14, 0)):
        html = desk_client.get("/ho-so/").text
    assert dossier.code in html
    assert "4 tại chỗ" in html
    assert "còn 240 phút làm việc" in html


def test_specialist_sees_what_reached_the_department(received, clerk_binh, specialist_chi):
    dossier = received()
    with clock(at(2026, 3, 2, 9, 0)):
        forward_dossier(dossier=dossier, officer=clerk_binh)
    client = Client()
    client.force_login(specialist_chi)
    assert dossier.code in get(client).text


def test_pages_of_fifty(desk_client, received):
    for _ in range(51):
        received()
    first, second = get(desk_client).text, get(desk_client, "cua-toi", trang=2).text
    assert first.count('<tr class="row-') == 50
    assert second.count('<tr class="row-') == 1
    assert "Trang 2/2" in second


def test_query_count_does_not_grow_with_rows(desk_client, received, django_assert_max_num_queries):
    received()
    get(desk_client)  # warm the working calendar cache
    with CaptureQueriesContext(connection) as one_row:
        get(desk_client)
    for _ in range(12):
        received()
    with django_assert_max_num_queries(len(one_row)) as many_rows:
        get(desk_client)
    assert len(many_rows) == len(one_row) <= 14


def test_signed_out_visitors_go_to_login():
    assert Client().get("/ho-so/")["Location"].startswith("/dang-nhap/")
