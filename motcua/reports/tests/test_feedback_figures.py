"""``feedback_figures``, the indicator engine's reading of the feedback indicators: exact
counts over a period of whole months with edge days, for the province (tickets still at 1022
included) or some agencies, in a fixed number of queries; and the statistics page's table."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline.actions import (
    answer_ticket,
    ask_for_details,
    classify_ticket,
    decline_ticket,
    publish_answer,
    rate_ticket,
    route_ticket,
)
from motcua.hotline.models import Ticket
from motcua.hotline.status import DeclineReason
from motcua.hotline.tests.fixtures import chat
from motcua.reports.feedback import FIGURES, feedback_figures

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 30), dt.date(2026, 3, 3)  # 30–31/01, February, 01–03/03
ZERO = dict.fromkeys(FIGURES, 0)


def received(when: dt.datetime, kind: str, sender: str, agency: Any, operator: Any) -> Ticket:
    with clock(when):
        ticket = chat(f"{kind} của {sender}", sender=sender)
        if ticket.kind != kind:
            classify_ticket(ticket=ticket, user=operator, kind=kind)
        if agency is not None:
            route_ticket(ticket=ticket, user=operator, agency=agency)
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def tickets(operator_ha, justice, justice_chi, justice_lam, police, police_officer):
    """In the period: Justice declines a feedback of Fri 30/01 on Tue 03/02 16:30 (late:
    16.5 working hours) and answers a petition of 10/02 in a day, published the next day and
    rated 5; 1022 asks a feedback of 02/03 for details the same day; the police answer a
    question of 11/02, rated 4. Outside it: a feedback of 29/01 answered, a feedback of
    04/03 declined."""
    declined = received(at(2026, 1, 30, 16, 0), "feedback", "a", justice, operator_ha)
    with clock(at(2026, 2, 3, 16, 30)):
        decline_ticket(ticket=declined, user=justice_lam, reason=DeclineReason.ANONYMOUS)
    petition = received(at(2026, 2, 10, 8, 0), "petition", "b", justice, operator_ha)
    with clock(at(2026, 2, 11, 8, 0)):
        answer_ticket(ticket=petition, user=justice_chi, body="Đã tiếp thu kiến nghị.")
        rate_ticket(ticket=petition, rating=5)
    with clock(at(2026, 2, 12, 8, 0)):
        publish_answer(ticket=petition, user=justice_lam, title="T", question="Q", answer="A")
    asked = received(at(2026, 3, 2, 8, 0), "feedback", "c", None, operator_ha)
    with clock(at(2026, 3, 2, 9, 0)):
        ask_for_details(ticket=asked, user=operator_ha, body="Đề nghị nói rõ địa điểm.")
    question = received(at(2026, 2, 11, 8, 0), "question", "d", police, operator_ha)
    with clock(at(2026, 2, 11, 9, 0)):
        answer_ticket(ticket=question, user=police_officer, body="Đã trả lời.")
        rate_ticket(ticket=question, rating=4)
    before = received(at(2026, 1, 29, 8, 0), "feedback", "e", justice, operator_ha)
    with clock(at(2026, 1, 29, 9, 0)):
        answer_ticket(ticket=before, user=justice_chi, body="Đã trả lời.")
    after = received(at(2026, 3, 4, 8, 0), "feedback", "f", justice, operator_ha)
    with clock(at(2026, 3, 4, 9, 0)):
        decline_ticket(ticket=after, user=justice_lam, reason=DeclineReason.NOT_FEEDBACK)


def test_the_province_over_months_and_edge_days(tickets, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the month rows and the edge days' rows
        figures = feedback_figures(START, END)
    assert figures == {
        **ZERO,
        "handled": 1,
        "handled_in_time": 1,
        "declined": 1,
        "asked": 1,
        "asked_in_time": 1,
        "published": 1,
        "published_in_time": 1,
        "rated": 2,
        "rated_high": 2,
    }


def test_some_agencies(tickets, justice, police):
    assert feedback_figures(START, END, agency_ids=[justice.pk]) == {
        **ZERO,
        "handled": 1,
        "handled_in_time": 1,
        "declined": 1,
        "published": 1,
        "published_in_time": 1,
        "rated": 1,
        "rated_high": 1,
    }
    assert feedback_figures(START, END, agency_ids=[police.pk]) == {
        **ZERO,
        "rated": 1,
        "rated_high": 1,
    }
    assert feedback_figures(START, END, agency_ids=[]) == ZERO


def test_edges_only_and_empty_periods(tickets):
    # Days only (no whole month): 29/01–31/01 holds the answered feedback and the decline.
    days = feedback_figures(dt.date(2026, 1, 29), dt.date(2026, 1, 31))
    assert (days["handled"], days["declined"], days["published"]) == (1, 1, 0)
    assert feedback_figures(dt.date(2026, 2, 1), dt.date(2026, 2, 28))["published"] == 1
    assert feedback_figures(END, START) == ZERO


def test_the_statistics_page_shows_the_four_figures(tickets):
    client = Client()
    client.force_login(get_user_model().objects.get(username="tongdai"))
    params = {"from": "30/01/2026", "to": "03/03/2026"}
    page = client.get("/bao-cao/tong-dai/", params)
    assert page.status_code == 200
    lines = {
        line.label: (line.count, line.in_time) for line in page.context["stats"].total.feedback
    }
    assert list(lines.values()) == [(1, 1), (1, 0), (1, 1), (1, 1)]
    html = page.content.decode()
    assert "Từ chối tiếp nhận xử lý (trong 2 ngày làm việc)" in html
    book = load_workbook(io.BytesIO(client.get("/bao-cao/tong-dai/xlsx", params).content))
    rows = list(book["Phản ánh, kiến nghị"].iter_rows(min_row=2, values_only=True))
    assert rows[-1] == ("Tổng cộng", 1, 1, 1.0, 1, 0, 0.0, 1, 1, 1.0, 1, 1, 1.0)
    assert [row[0] for row in rows[:-1]] == ["Sở Tư pháp", "Tổng đài 1022 (chưa chuyển cơ quan)"]
