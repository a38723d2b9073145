"""The home page and the procedure finder (/, /thu-tuc/?q=)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_has_a_search_box_that_asks_the_finder():
    html = Client().get("/").text
    assert 'action="/thu-tuc/"' in html and 'name="q"' in html and 'role="search"' in html
    assert "<script" not in html


def test_results_put_the_common_procedure_first():
    html = Client().get("/thu-tuc/", {"q": "lam giay khai sinh"}).text
    first = html.index('href="/thu-tuc/1.001193/"')
    assert first < html.index("/thu-tuc/1.004772/")  # a variant comes after
    assert "Thủ tục đăng ký khai sinh" in html


def test_filters_by_level_and_online_mode():
    client = Client()
    commune = client.get("/thu-tuc/", {"q": "khai sinh", "level": "province"}).text
    assert "/thu-tuc/1.001193/" not in commune
    none = client.get("/thu-tuc/", {"q": "khai sinh", "online": "none"}).text
    assert "/thu-tuc/1.001193/" not in none  # it is partly online


def test_an_unknown_filter_value_is_ignored_not_an_error():
    response = Client().get("/thu-tuc/", {"q": "khai sinh", "sector": "không có"})
    assert response.status_code == 200


def test_english_on_request():
    html = Client().get("/", {"lang": "en"}).text
    assert "Online public services" in html and "What do you need to do?" in html
