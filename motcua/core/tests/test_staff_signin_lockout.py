"""Staff and admin sign-in: a username, and a client address, are locked after
STAFF_SIGNIN_FAILURE_LIMIT wrong passwords, right password or not (django-axes)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/dang-nhap/", "/admin/login/"])
def test_sixty_wrong_passwords_then_the_right_one_is_refused(url, settings):
    settings.AXES_FAILURE_LIMIT = 10
    username = "quantri"
    client = Client(REMOTE_ADDR="203.0.113.5")
    codes = {
        client.post(url, {"username": username, "password": f"sai-{n}"}).status_code
        for n in range(60)
    }
    assert 429 in codes
    right = client.post(url, {"username": username, "password": DEMO_PASSWORD})
    assert right.status_code == 429
    assert "Tạm khóa đăng nhập" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_username_is_locked_from_another_address_too(settings):
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(5):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            "/dang-nhap/", {"username": "tiepnhan", "password": "sai"}
        )
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    response = elsewhere.post("/dang-nhap/", {"username": "tiepnhan", "password": DEMO_PASSWORD})
    assert response.status_code == 429


def test_an_administrator_unlocks_by_deleting_the_attempts(settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        client.post("/dang-nhap/", {"username": "tiepnhan", "password": "sai"})
    assert AccessAttempt.objects.filter(username="tiepnhan").exists()
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="quantri"))
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "tiepnhan" in listing.content.decode()
    AccessAttempt.objects.filter(username="tiepnhan").delete()  # the admin's delete action
    again = client.post("/dang-nhap/", {"username": "tiepnhan", "password": DEMO_PASSWORD})
    assert again.status_code == 302


def test_behind_the_proxy_one_client_does_not_lock_out_the_others(settings):
    """Counted by the client's own address (X-Forwarded-For from a trusted proxy), not by the
    proxy's."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for n in range(5):
        attacker.post("/dang-nhap/", {"username": f"khong-co-{n}", "password": "sai"})
    clerk = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = clerk.post("/dang-nhap/", {"username": "tiepnhan", "password": DEMO_PASSWORD})
    assert response.status_code == 302
