"""The 1022 statistics page and its workbook: exact figures from tickets worked through the
actions at fixed times; agency leaders see their agency only."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline import contacts
from motcua.hotline.actions import (
    answer_ticket,
    close_ticket,
    escalate_ticket,
    log_call,
    merge_ticket,
    open_ticket,
    rate_ticket,
    route_ticket,
)
from motcua.hotline.deadlines import flag_tickets
from motcua.hotline.models import Ticket
from motcua.hotline.tests.fixtures import chat
from motcua.org.models import Agency
from motcua.workcalendar.models import CalendarOverride, OverrideKind

pytestmark = pytest.mark.django_db

PERIOD = {"from": "01/03/2026", "to": "30/04/2026"}
NOW = at(2026, 4, 20, 10, 0)  # Monday: "open past due" is judged here


def opened(channel: str, kind: str, when: dt.datetime, agency: Agency, name: str) -> Ticket:
    with clock(when):
        return open_ticket(
            channel=channel,
            kind=kind,
            body=f"{name} phản ánh",
            contact=contacts.contact_for(name=name),
            actor=None,
            agency=agency,
        )


def answer(ticket: Ticket, user: Any, when: dt.datetime, rating: int | None = None) -> None:
    with clock(when):
        answer_ticket(ticket=ticket, user=user, body="Đã trả lời.", in_person=True)
        if rating is not None:
            rate_ticket(ticket=ticket, rating=rating)


@pytest.fixture
def tickets(operator_ha, justice, justice_chi, police, police_officer, insurance):
    """Seven tickets in March–April 2026 (working hours 07:00–11:30, 13:30–17:00):

    Justice: a Zalo question answered in 2 working hours (rated 5); a phone question due
    Wed 04/03 09:00, answered Tue 10/03 09:00, 48 working hours (rated 2).
    Police: Messenger feedback answered in 3 h (rated 4); a web petition of 01/04, due
    15/04, still open and escalated; a Zalo question answered in half an hour.
    Insurance: a walk-in complaint of 02/04, due in 30 working days, open.
    1022: a Zalo message closed without an answer. Not counted: a duplicate merged into the
    first ticket, a ticket of December 2025.
    """
    with clock(at(2026, 3, 2, 8, 0)):
        first = chat("Hỏi chứng thực bản sao", sender="s1")
        route_ticket(ticket=first, user=operator_ha, agency=justice)
    answer(first, justice_chi, at(2026, 3, 2, 10, 0), rating=5)
    with clock(at(2026, 3, 2, 9, 0)):
        call = log_call(operator=operator_ha, phone="0912345678", body="Hỏi lý lịch tư pháp")
        route_ticket(ticket=call, user=operator_ha, agency=justice)
    answer(call, justice_chi, at(2026, 3, 10, 9, 0), rating=2)
    feedback = opened("facebook", "feedback", at(2026, 3, 3, 8, 0), police, "Lê Văn Cường")
    answer(feedback, police_officer, at(2026, 3, 3, 11, 0), rating=4)
    petition = opened("web", "petition", at(2026, 4, 1, 8, 0), police, "Trần Thị Dung")
    with clock(at(2026, 4, 16, 8, 0)):
        escalate_ticket(ticket=petition, user=operator_ha, reason="Quá hạn")
    opened("walk_in", "complaint", at(2026, 4, 2, 8, 0), insurance, "Võ Văn Em")
    with clock(at(2026, 4, 6, 8, 0)):
        quick = chat("Hỏi giờ làm việc", sender="s9")
        route_ticket(ticket=quick, user=operator_ha, agency=police)
    answer(quick, police_officer, at(2026, 4, 6, 8, 30))
    with clock(at(2026, 3, 5, 8, 0)):
        spam = chat("alo alo", sender="s8")
        close_ticket(ticket=spam, user=operator_ha, reason="Gọi nhầm")
        duplicate = chat("Hỏi chứng thực bản sao nữa", sender="s6")
        merge_ticket(ticket=duplicate, into=first, user=operator_ha)
    with clock(at(2025, 12, 31, 9, 0)):
        chat("Năm cũ", sender="s7")
    flag_tickets(NOW)  # the deadline job finds the petition past due


def get(username: str, path: str, params: dict[str, str]) -> Any:
    client = Client()
    with clock(NOW):
        client.force_login(get_user_model().objects.get(username=username))
        return client.get(path, params)


def test_the_figures_by_channel_kind_agency_month(tickets):
    page = get("tongdai", "/bao-cao/tong-dai/", PERIOD)
    assert page.status_code == 200
    stats = page.context["stats"]
    assert stats.total.received == 7
    channels = {line.key: line.count for line in stats.by_channel}
    assert channels == {
        "phone": 1,
        "zalo": 3,
        "facebook": 1,
        "email": 0,
        "web": 1,
        "national_qa": 0,
        "walk_in": 1,
        "dialogue": 0,
        "open311": 0,
    }
    kinds = {line.key: line.count for line in stats.by_kind}
    assert kinds == {
        "question": 4,
        "feedback": 1,
        "petition": 1,
        "complaint": 1,
        "service_request": 0,
    }
    assert [(line.label, line.count) for line in stats.by_month] == [("03/2026", 4), ("04/2026", 3)]
    assert [(row.name, row.received) for row in stats.agencies] == [
        ("Công an tỉnh Đồng Tháp", 3),
        ("Sở Tư pháp", 2),
        ("Bảo hiểm xã hội tỉnh Đồng Tháp", 1),
        ("Tổng đài 1022 (chưa chuyển cơ quan)", 1),
    ]


def test_who_answers_late(tickets):
    stats = get("lanhdao", "/bao-cao/tong-dai/", PERIOD).context["stats"]
    assert stats.total.received == 2  # a leader of Justice: Justice's figures only
    stats = get("thanhtra", "/bao-cao/tong-dai/", PERIOD).context["stats"]
    rows = {
        row.name: (
            row.on_time,
            row.late,
            row.open_overdue,
            row.open_within,
            row.closed_unanswered,
            row.escalated,
        )
        for row in stats.by_late_share
    }
    assert list(rows) == [
        "Sở Tư pháp",  # 1 late of 2
        "Công an tỉnh Đồng Tháp",  # 1 past due of 3
        "Bảo hiểm xã hội tỉnh Đồng Tháp",  # nothing to judge yet
        "Tổng đài 1022 (chưa chuyển cơ quan)",
    ]
    assert rows["Sở Tư pháp"] == (1, 1, 0, 0, 0, 0)
    assert rows["Công an tỉnh Đồng Tháp"] == (2, 0, 1, 0, 0, 1)
    assert rows["Bảo hiểm xã hội tỉnh Đồng Tháp"] == (0, 0, 0, 1, 0, 0)
    assert rows["Tổng đài 1022 (chưa chuyển cơ quan)"] == (0, 0, 0, 0, 1, 0)
    justice, police = stats.by_late_share[:2]
    assert justice.late_share == 0.5
    assert police.late_share == pytest.approx(1 / 3)
    assert (justice.median_hours, justice.p90_hours) == (25.0, 48.0)
    assert (police.median_hours, police.p90_hours) == (1.75, 3.0)
    total = stats.total
    assert total.late_share == pytest.approx(2 / 5)
    assert (total.median_hours, total.p90_hours) == (2.5, 48.0)
    assert total.escalated == 1


def test_hours_follow_the_answering_agencys_calendar(operator_ha, justice, justice_chi):
    """Measured when the answer is given, in the calendar the agency kept then."""
    CalendarOverride.objects.create(
        day=dt.date(2026, 3, 5), kind=OverrideKind.DAY_OFF, name="Nghỉ bù", agency=justice
    )
    with clock(at(2026, 3, 2, 9, 0)):
        call = log_call(operator=operator_ha, phone="0912345678", body="Hỏi lý lịch tư pháp")
        route_ticket(ticket=call, user=operator_ha, agency=justice)
    answer(call, justice_chi, at(2026, 3, 10, 9, 0))
    CalendarOverride.objects.filter(agency=justice).delete()  # a later change rewrites nothing
    stats = get("tongdai", "/bao-cao/tong-dai/", PERIOD).context["stats"]
    (justice_row,) = stats.agencies
    assert (justice_row.median_hours, justice_row.p90_hours) == (40.0, 40.0)  # 05/03 off


def test_satisfaction(tickets):
    stats = get("tongdai", "/bao-cao/tong-dai/", PERIOD).context["stats"]
    rows = {row.name: (row.rated, row.average_rating, row.high_share) for row in stats.agencies}
    assert rows["Sở Tư pháp"] == (2, 3.5, 0.5)
    assert rows["Công an tỉnh Đồng Tháp"] == (1, 4.0, 1.0)
    assert rows["Bảo hiểm xã hội tỉnh Đồng Tháp"] == (0, None, None)
    assert stats.total.rated == 3
    assert stats.total.average_rating == pytest.approx(11 / 3)
    assert stats.total.high_share == pytest.approx(2 / 3)


def test_the_page_costs_the_same_whatever_the_agencies(tickets, django_assert_max_num_queries):
    client = Client()
    with clock(NOW):
        client.force_login(get_user_model().objects.get(username="tongdai"))
        with django_assert_max_num_queries(14):
            page = client.get("/bao-cao/tong-dai/", PERIOD)
    html = page.content.decode()
    assert "Sở Tư pháp" in html
    assert "33,3%" in html


def test_the_workbook_holds_the_same_numbers(tickets):
    response = get("thanhtra", "/bao-cao/tong-dai/xlsx", PERIOD)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('thong-ke-1022-20260301-20260430.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo kênh",
        "Theo loại",
        "Theo cơ quan",
        "Theo tháng",
        "Đúng hạn",
        "Phản ánh, kiến nghị",
        "Hài lòng",
    ]
    assert book["Tổng hợp"]["B2"].value == dt.datetime(2026, 3, 1)
    months = list(book["Theo tháng"].iter_rows(min_row=2, values_only=True))
    assert months == [(dt.datetime(2026, 3, 1), 4), (dt.datetime(2026, 4, 1), 3), ("Tổng cộng", 7)]
    late = list(book["Đúng hạn"].iter_rows(min_row=2, values_only=True))
    assert late[0] == ("Sở Tư pháp", 2, 1, 1, 0, 0, 0, 0.5, 25.0, 48.0, 0)
    assert late[-1][:8] == ("Tổng cộng", 7, 3, 1, 1, 1, 1, 0.4)
    feedback = list(book["Phản ánh, kiến nghị"].iter_rows(min_row=2, values_only=True))
    # The police's feedback answered in 3 working hours; the petition still open.
    assert feedback == [
        ("Công an tỉnh Đồng Tháp", 1, 1, 1.0, 0, 0, None, 0, 0, None, 0, 0, None),
        ("Tổng cộng", 1, 1, 1.0, 0, 0, None, 0, 0, None, 0, 0, None),
    ]
    satisfaction = list(book["Hài lòng"].iter_rows(min_row=2, values_only=True))
    assert satisfaction[-1] == ("Tổng cộng", 3, 3.67, pytest.approx(2 / 3))


def test_a_leader_sees_only_their_agency(tickets, police):
    page = get("lanhdao", "/bao-cao/tong-dai/", PERIOD)
    html = page.content.decode()
    assert "Sở Tư pháp" in html
    assert "Công an tỉnh Đồng Tháp" not in html
    other = get("lanhdao", "/bao-cao/tong-dai/", {**PERIOD, "agency": str(police.pk)})
    assert other.status_code == 400
    book = load_workbook(io.BytesIO(get("lanhdao", "/bao-cao/tong-dai/xlsx", PERIOD).content))
    names = [row[0] for row in book["Theo cơ quan"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Sở Tư pháp", "Tổng cộng"]


def test_one_agency_asked_for(tickets, police):
    stats = get("tongdai", "/bao-cao/tong-dai/", {**PERIOD, "agency": str(police.pk)}).context[
        "stats"
    ]
    assert stats.total.received == 3
    assert [row.name for row in stats.agencies] == ["Công an tỉnh Đồng Tháp"]


def test_others_may_not_read_it(clerk_binh, police_officer):
    assert Client().get("/bao-cao/tong-dai/").status_code == 302
    for user in (clerk_binh, police_officer):
        client = Client()
        client.force_login(user)
        assert client.get("/bao-cao/tong-dai/").status_code == 404
        assert client.get("/bao-cao/tong-dai/xlsx").status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"from": "31/02/2026"}, {"from": "01/05/2026", "to": "01/04/2026"}, {"agency": "abc"}],
)
def test_bad_input_is_400_in_vietnamese(params):
    page = get("tongdai", "/bao-cao/tong-dai/", params)
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()
    assert get("tongdai", "/bao-cao/tong-dai/xlsx", params).status_code == 400


def test_the_default_period_is_this_year():
    stats = get("tongdai", "/bao-cao/tong-dai/", {}).context["stats"]
    assert (stats.period.start, stats.period.end) == (dt.date(2026, 1, 1), dt.date(2026, 4, 20))
