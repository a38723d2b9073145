"""The code: a wrong one uses an attempt, five wrong ones or ten minutes end it, a new one
can be asked for after a minute; nothing is verified or signed in on bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from motcua.accounts.models import CitizenProfile
from motcua.accounts.tests.conftest import PASSWORD, last_code
from motcua.dossiers.tests.conftest import at, clock

pytestmark = pytest.mark.django_db
T0 = at(2026, 3, 2, 8, 0)
VERIFY = "/tai-khoan/xac-minh/"


@pytest.fixture
def signed_up(client):
    """Cường signed up by email at T0; the code page is next."""
    with clock(T0):
        client.post(
            reverse("accounts:signup"),
            {
                "full_name": "Lê Văn Cường",
                "identifier": "cuong@example.vn",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    return client


def enter(client, code):
    return client.post(VERIFY, {"action": "verify", "code": code})


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def verified():
    return CitizenProfile.objects.get(email="cuong@example.vn").verified_email


def test_the_page_names_the_address_masked(signed_up):
    with clock(T0):
        page = signed_up.get(VERIFY).content.decode()
    assert "c***@example.vn" in page and 'autocomplete="one-time-code"' in page


def test_a_wrong_code_is_refused_and_counts_an_attempt(signed_up):
    code = last_code("cuong@example.vn")
    with clock(T0):
        response = enter(signed_up, wrong(code))
    assert response.status_code == 400
    assert "Mã xác minh không đúng. Bạn còn 4 lần nhập." in response.content.decode()
    assert not verified() and "_auth_user_id" not in signed_up.session


def test_an_expired_code_is_refused(signed_up):
    code = last_code("cuong@example.vn")
    with clock(T0 + dt.timedelta(minutes=10)):
        response = enter(signed_up, code)
    assert "Mã xác minh đã hết hạn" in response.content.decode()
    assert not verified()


def test_after_five_wrong_codes_even_the_right_one_is_refused(signed_up):
    code = last_code("cuong@example.vn")
    with clock(T0 + dt.timedelta(minutes=1)):
        for _ in range(5):
            enter(signed_up, wrong(code))
        response = enter(signed_up, code)
    assert "Bạn đã nhập sai 5 lần" in response.content.decode()
    assert not verified() and "_auth_user_id" not in signed_up.session


def test_a_code_is_malformed_before_it_is_wrong(signed_up):
    with clock(T0):
        response = enter(signed_up, "12ab")
    assert "Mã xác minh gồm 6 chữ số." in response.content.decode()


def test_a_new_code_waits_a_minute_and_replaces_the_old_one(signed_up):
    first = last_code("cuong@example.vn")
    with clock(T0 + dt.timedelta(seconds=30)):
        response = signed_up.post(VERIFY, {"action": "resend"})
    assert response.status_code == 429
    assert "Vui lòng chờ 30 giây" in response.content.decode()

    with clock(T0 + dt.timedelta(seconds=61)):
        assert signed_up.post(VERIFY, {"action": "resend"}).status_code == 200
        second = last_code("cuong@example.vn")
        if second != first:
            assert "không đúng" in enter(signed_up, first).content.decode()
        enter(signed_up, second)
    assert verified()


def test_at_most_five_codes_an_hour_go_to_one_address(signed_up):
    for minute in range(1, 6):
        with clock(T0 + dt.timedelta(minutes=minute)):
            response = signed_up.post(VERIFY, {"action": "resend"})
    assert "Đã gửi quá nhiều mã xác minh trong một giờ" in response.content.decode()


def test_without_a_pending_sign_up_the_page_sends_to_sign_in(client):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signin")
