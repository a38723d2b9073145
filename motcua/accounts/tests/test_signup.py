"""Sign-up by phone or email: an account with a hashed password, never staff, a code through
the outbox, signed in once the code is entered."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from motcua.accounts.models import CitizenProfile, VerificationCode
from motcua.accounts.tests.conftest import PASSWORD, last_code, make_citizen
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/dang-ky/"


def sign_up(client, identifier, *, name="Lê Văn Cường", password=PASSWORD, again=None):
    return client.post(
        URL,
        {
            "full_name": name,
            "identifier": identifier,
            "password1": password,
            "password2": again or password,
        },
    )


def test_sign_up_by_phone_then_verify_with_the_sms_code(client):
    response = sign_up(client, "+84 987 654 321")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:verify")

    profile = CitizenProfile.objects.get(phone="0987654321")
    assert (profile.full_name, profile.verified_phone) == ("Lê Văn Cường", False)
    user = profile.user
    assert not user.is_staff and not user.is_superuser
    assert user.password.startswith("pbkdf2_") and user.check_password(PASSWORD)
    assert "_auth_user_id" not in client.session  # not signed in before the code

    response = client.post(
        reverse("accounts:verify"), {"action": "verify", "code": last_code("84987654321")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    profile.refresh_from_db()
    assert profile.verified_phone
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_up_by_email_then_verify_with_the_emailed_code(client):
    sign_up(client, "Cuong.Le@Example.VN")
    profile = CitizenProfile.objects.get(email="cuong.le@example.vn")

    client.post(
        reverse("accounts:verify"), {"action": "verify", "code": last_code("cuong.le@example.vn")}
    )
    profile.refresh_from_db()
    assert profile.verified_email and client.session["_auth_user_id"] == str(profile.user_id)


def test_the_code_goes_through_the_outbox_with_no_dossier(client):
    sign_up(client, "cuong@example.vn")

    [row] = Notification.objects.filter(kind="verification_code")
    assert (row.dossier, row.channel, row.recipient) == (None, "email", "cuong@example.vn")
    assert "10 phút" in row.body
    [code] = VerificationCode.objects.all()
    assert last_code("cuong@example.vn") not in code.code_hash  # stored hashed


def test_django_password_validators_apply_in_vietnamese(client):
    response = sign_up(client, "0987654321", password="1234")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in page
    assert "Mật khẩu không được chỉ gồm chữ số." in page
    assert not CitizenProfile.objects.filter(phone="0987654321").exists()


def test_the_two_passwords_must_match(client):
    response = sign_up(client, "0987654321", again="Khac-hoan-toan-99")
    assert "Hai lần nhập mật khẩu không khớp." in response.content.decode()
    assert not get_user_model().objects.filter(citizen_profile__phone="0987654321").exists()


def test_a_phone_verified_by_another_account_is_refused(client, citizen_an):
    response = sign_up(client, "0912 345 678")
    assert response.status_code == 400
    assert "Đã có tài khoản dùng 0912345678" in response.content.decode()
    assert CitizenProfile.objects.filter(phone="0912345678").get().user == citizen_an


def test_a_phone_never_verified_is_released_to_whoever_signs_up_next(client):
    squatter = make_citizen("0987654321", "Kẻ giữ chỗ", verified=False)
    sign_up(client, "0987654321")

    assert CitizenProfile.objects.get(phone="0987654321").user != squatter
    assert CitizenProfile.objects.get(user=squatter).phone == ""


def test_phone_sign_up_is_refused_while_sms_is_off(client, settings):
    settings.SMS_ENABLED = False
    response = sign_up(client, "0987654321")
    assert "chưa gửi được tin nhắn SMS" in response.content.decode()
    assert not CitizenProfile.objects.filter(phone="0987654321").exists()


def test_a_malformed_identifier_is_explained(client):
    response = sign_up(client, "12345")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "bắt đầu bằng 03, 05, 07, 08 hoặc 09" in page
