"""Officers sign in at the staff page only; citizens are never staff."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from motcua.accounts.models import CitizenProfile
from motcua.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/dang-nhap/"


def test_an_officer_with_a_profile_cannot_sign_in_here(client, clerk_binh):
    clerk_binh.set_password(PASSWORD)
    clerk_binh.save()
    CitizenProfile.objects.create(
        user=clerk_binh, full_name="Bình", phone="0977777777", verified_phone=True
    )
    response = client.post(URL, {"identifier": "0977777777", "password": PASSWORD})
    assert response.status_code == 400
    assert "mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_administrator_cannot_sign_in_here_with_a_username(client, admin_anh):
    admin_anh.set_password(PASSWORD)
    admin_anh.save()
    response = client.post(URL, {"identifier": admin_anh.username, "password": PASSWORD})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_an_officer_gets_403_on_the_profile_page(client, clerk_binh):
    client.force_login(clerk_binh)
    response = client.get("/tai-khoan/ho-so/")
    assert response.status_code == 403
    assert "Tài khoản cán bộ không dùng được trang này" in response.content.decode()


def test_the_profile_form_cannot_make_a_citizen_staff(signed_in_an, citizen_an):
    signed_in_an.post(
        "/tai-khoan/ho-so/",
        {"full_name": "An", "phone": "0912345678", "is_staff": "on", "is_superuser": "on"},
    )
    user = get_user_model().objects.get(pk=citizen_an.pk)
    assert not user.is_staff and not user.is_superuser
