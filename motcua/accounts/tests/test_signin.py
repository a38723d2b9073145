"""Sign-in with a phone (any usual spelling) or an email, and the password."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.accounts.tests.conftest import PASSWORD, last_code, make_citizen

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/dang-nhap/"


def sign_in(client, identifier, password=PASSWORD, **extra):
    return client.post(URL, {"identifier": identifier, "password": password, **extra})


@pytest.mark.parametrize("typed", ["0912345678", "+84 912 345 678", "0912.345.678"])
def test_sign_in_with_the_phone(client, citizen_an, typed):
    response = sign_in(client, typed)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    assert client.session["_auth_user_id"] == str(citizen_an.pk)


def test_sign_in_with_the_email_in_any_case(client, citizen_binh):
    sign_in(client, "Binh@Example.vn")
    assert client.session["_auth_user_id"] == str(citizen_binh.pk)


def test_a_wrong_password_gets_one_message_for_every_failure(client, citizen_an):
    wrong_password = sign_in(client, "0912345678", "sai-mat-khau").content.decode()
    nobody = sign_in(client, "0999999999").content.decode()
    message = "Số điện thoại, thư điện tử hoặc mật khẩu không đúng."
    assert message in wrong_password and message in nobody
    assert 'role="alert"' in wrong_password
    assert "_auth_user_id" not in client.session


def test_an_unverified_phone_goes_to_the_code_first(client):
    user = make_citizen("0987654321", "Lê Văn Cường", verified=False)
    response = sign_in(client, "0987654321")
    assert response["Location"] == reverse("accounts:verify")
    assert "_auth_user_id" not in client.session

    client.post(reverse("accounts:verify"), {"action": "verify", "code": last_code("84987654321")})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_next_is_followed_on_this_site_only(client, citizen_an):
    assert sign_in(client, "0912345678", next="/ho-so-cua-toi/")["Location"] == "/ho-so-cua-toi/"
    client.logout()
    evil = sign_in(client, "0912345678", next="https://evil.example/")
    assert evil["Location"] == reverse("accounts:profile")


def test_the_page_offers_the_provider_only_when_configured(client, settings):
    assert "Đăng nhập bằng VNeID" not in client.get(URL).content.decode()
    settings.OIDC_ENABLED = True
    page = client.get(URL).content.decode()
    assert "Đăng nhập bằng VNeID" in page and 'autocomplete="current-password"' in page


def test_sign_out_is_a_post(signed_in_an):
    assert signed_in_an.get("/tai-khoan/dang-xuat/").status_code == 405
    signed_in_an.post("/tai-khoan/dang-xuat/")
    assert "_auth_user_id" not in signed_in_an.session
