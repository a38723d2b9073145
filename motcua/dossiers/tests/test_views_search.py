"""Search (/ho-so/tim/) through HTTP: by code, name with or without diacritics, phone or ID
number, only among the dossiers the user may see; the words are posted, never in an address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from motcua.dossiers.tests.fixtures import make_user
from motcua.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_client(clerk_binh: Any) -> Client:
    client = Client()
    client.force_login(clerk_binh)
    return client


@pytest.fixture
def two(received: Any) -> list[Any]:
    return [
        received(name="Nguyễn Thị Đào", phone="0911222333", id_number="087190001111"),
        received(name="Trần Văn Bảo", phone="0944555666", id_number="087090002222"),
    ]


def search(client: Client, q: str, **more: str) -> Any:
    return client.post("/ho-so/tim/", {"q": q, **more})


def test_a_whole_code_opens_the_dossier(desk_client, two):
    response = search(desk_client, two[0].code)
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{two[0].code}/"


@pytest.mark.parametrize("q", ["Nguyễn Thị Đào", "nguyen thi dao", "0911 222 333", "087190001111"])
def test_by_name_phone_or_id_number(desk_client, two, q):
    html = search(desk_client, q).text
    assert two[0].code in html
    assert two[1].code not in html


def test_nothing_found_is_said(desk_client, two):
    assert (
        "Không tìm thấy hồ sơ nào khớp với «Lê Văn Không»"
        in search(desk_client, "Lê Văn Không").text
    )


def test_another_agency_finds_nothing(two, police):
    client = Client()
    client.force_login(make_user("canbo_congan", police, Role.SPECIALIST))
    html = search(client, "nguyen thi dao").text
    assert two[0].code not in html


def test_empty_query_shows_the_form(desk_client):
    response = search(desk_client, "")
    assert response.status_code == 200
    assert 'id="q"' in response.text and "autofocus" in response.text


def test_the_search_forms_post(desk_client):
    for page in ("/ho-so/tim/", "/ho-so/"):
        html = desk_client.get(page).text
        form = re.search(r'<form method="(\w+)" action="/ho-so/tim/"', html)
        assert form and form.group(1) == "post", page
        assert 'name="csrfmiddlewaretoken"' in html


def test_a_get_with_an_id_number_is_ignored(desk_client, two):
    response = desk_client.get("/ho-so/tim/", {"q": "087190001111"})
    assert response.status_code == 200
    assert two[0].code not in response.text and 'value=""' in response.text


def test_a_posted_search_pages_by_posting_the_page_number(desk_client, received, monkeypatch):
    from motcua.dossiers.views import search as view

    monkeypatch.setattr(view, "PER_PAGE", 2)
    made = [received(name=f"Nguyễn Văn Số {n}", phone="0933000111") for n in range(3)]
    first = search(desk_client, "0933000111")
    assert first.context["page"].number == 1 and 'name="trang" value="2"' in first.text
    assert "?q=" not in first.text and "trang=" not in first.text
    second = search(desk_client, "0933000111", trang="2")
    assert second.context["page"].number == 2
    shown = {d.code for d in made if d.code in first.text + second.text}
    assert shown == {d.code for d in made}
