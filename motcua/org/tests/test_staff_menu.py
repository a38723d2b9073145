"""The staff home shows each role the pages it may open, and only those: signed in as the demo
officer of every role, each page of the menu opens exactly when its link is shown, and every
link in the navigation of the pages reached from it opens too."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from motcua.demo.people import DEMO_USERS
from motcua.org.menu import STAFF_MENU
from motcua.org.models import Role

pytestmark = pytest.mark.django_db

# One demo officer per role, and the commune staff an online commune dossier reaches.
OFFICERS = [spec.username for spec in DEMO_USERS] + [
    "tiepnhan.caolanh",
    "chuyenvien.caolanh",
    "lanhdao.caolanh",
]
NAV = re.compile(r"<nav\b[^>]*>(.*?)</nav>", re.S)
HREF = re.compile(r'<a\b[^>]*href="(/[^"]*)"')


def links_in_nav(html: str) -> set[str]:
    return {href for block in NAV.findall(html) for href in HREF.findall(block)}


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_every_role_has_a_demo_officer():
    users = get_user_model().objects.filter(username__in=OFFICERS)
    roles = set(users.values_list("memberships__role", flat=True))
    assert roles == set(Role.values)


@pytest.mark.parametrize("username", OFFICERS)
def test_the_menu_shows_exactly_the_pages_the_role_opens(username):
    client = signed_in(username)
    home = client.get("/lam-viec/")
    assert home.status_code == 200
    shown = links_in_nav(home.content.decode())
    for item in STAFF_MENU:
        url = reverse(item.url_name)
        status = client.get(url).status_code
        assert (url in shown) == (status == 200), (username, url, status)


@pytest.mark.parametrize("username", OFFICERS)
def test_every_link_in_the_pages_navigation_opens(username):
    client = signed_in(username)
    seen: set[str] = set()
    pages = {"/lam-viec/"}
    for _depth in range(2):
        found: set[str] = set()
        for url in pages - seen:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            seen.add(url)
            found |= links_in_nav(response.content.decode())
        pages = found
    for url in pages - seen:
        assert client.get(url).status_code == 200, (username, url)


def test_only_staff_accounts_see_the_administration_link():
    admin_link = f'href="{reverse("admin:index")}"'
    assert admin_link in signed_in("quantri").get("/lam-viec/").content.decode()
    assert admin_link not in signed_in("tiepnhan").get("/lam-viec/").content.decode()
