"""The leaders' on-time page reads the counters only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.dossiers.tests.conftest import at, clock, ready

pytestmark = pytest.mark.django_db


def leader_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="lanhdao"))
    return client


def test_rates_by_agency(received, specialist_chi, django_assert_max_num_queries):
    early, late = received(), received()
    with clock(at(2026, 3, 4, 9, 0)):
        ready(early)
    with clock(at(2026, 3, 12, 9, 0)):
        ready(late)
    client = leader_client()
    with django_assert_max_num_queries(8):
        page = client.get("/bao-cao/dung-han/", {"tu": "01/03/2026", "den": "31/03/2026"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Sở Tư pháp" in html
    assert "50%" in html


def test_a_clerk_may_not_read_it(clerk_binh):
    client = Client()
    client.force_login(clerk_binh)
    assert client.get("/bao-cao/dung-han/").status_code == 403


def test_bad_dates_are_400_in_vietnamese():
    page = leader_client().get("/bao-cao/dung-han/", {"tu": "31/02/2026"})
    assert page.status_code == 400
    assert "Khoảng thời gian không hợp lệ" in page.content.decode()
