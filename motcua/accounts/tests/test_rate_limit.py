"""Too many failed sign-ins lock the identifier, and the client address, for the window;
a locked sign-in is refused even with the right password."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.accounts.tests.conftest import PASSWORD
from motcua.dossiers.tests.conftest import at, clock

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/dang-nhap/"
T0 = at(2026, 3, 2, 8, 0)
LOCKED = "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."


def attempt(client, identifier, password, address="203.0.113.7"):
    data = {"identifier": identifier, "password": password}
    return client.post(URL, data, REMOTE_ADDR=address)


def test_five_failures_lock_the_identifier(client, citizen_an):
    with clock(T0):
        for _ in range(5):
            assert attempt(client, "0912345678", "sai").status_code == 400
        response = attempt(client, "+84912345678", PASSWORD, address="198.51.100.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_with_the_window(client, citizen_an):
    with clock(T0):
        for _ in range(5):
            attempt(client, "0912345678", "sai")
    with clock(T0 + dt.timedelta(minutes=16)):
        assert attempt(client, "0912345678", PASSWORD).status_code == 302


def test_failures_from_one_address_lock_it_for_every_identifier(client, citizen_an, settings):
    settings.ACCOUNTS_SIGNIN_FAILURES_PER_IP = 3
    with clock(T0):
        for number in ("0911111111", "0922222222", "0933333333"):
            attempt(client, number, "sai")
        assert attempt(client, "0912345678", PASSWORD).status_code == 429
        assert attempt(client, "0912345678", PASSWORD, address="198.51.100.9").status_code == 302


def test_a_success_clears_the_identifiers_count(client, citizen_an):
    with clock(T0):
        for _ in range(4):
            attempt(client, "0912345678", "sai")
        attempt(client, "0912345678", PASSWORD)
        client.logout()
        for _ in range(4):
            attempt(client, "0912345678", "sai")
        assert attempt(client, "0912345678", PASSWORD).status_code == 302


def sign_up(client, n):
    data = {"full_name": "Lê Văn Cường", "identifier": f"cuong{n}@example.vn"}
    return client.post("/tai-khoan/dang-ky/", data | {"password1": PASSWORD, "password2": PASSWORD})


def test_sign_ups_from_one_address_are_limited(client, settings):
    settings.ACCOUNTS_SIGNUPS_PER_IP_PER_HOUR = 1
    with clock(T0):
        assert sign_up(client, 1).status_code == 302
        response = sign_up(client, 2)
    assert response.status_code == 429
    assert "Có quá nhiều lượt đăng ký" in response.content.decode()
