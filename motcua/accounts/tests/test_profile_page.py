"""The profile page: the citizen corrects their data; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from motcua.accounts.models import CitizenProfile
from motcua.accounts.tests.conftest import last_code

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/ho-so/"
GOOD = {
    "full_name": "Nguyễn Văn An",
    "id_number": "0871 9012 3456",
    "date_of_birth": "17/05/1990",
    "phone": "0912345678",
    "email": "",
    "address": "12 Nguyễn Huệ, phường Cao Lãnh, Đồng Tháp",
}


def profile_of(user):
    return CitizenProfile.objects.get(user=user)


def test_anonymous_visitors_go_to_sign_in(client):
    response = client.get(URL)
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=%2Ftai-khoan%2Fho-so%2F"


def test_the_page_shows_the_profile_with_labelled_fields(signed_in_an):
    page = signed_in_an.get(URL).content.decode()
    assert 'value="Nguyễn Văn An"' in page and "đã xác minh" in page
    assert '<label for="id_id_number">' in page


def test_an_edit_is_saved_normalised(signed_in_an, citizen_an):
    response = signed_in_an.post(URL, GOOD)
    assert response.status_code == 302
    profile = profile_of(citizen_an)
    assert (profile.id_number, profile.date_of_birth) == ("087190123456", dt.date(1990, 5, 17))
    assert profile.address == GOOD["address"] and profile.verified_phone  # phone unchanged
    assert not profile.id_verified  # typed by the citizen, not asserted by VNeID


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "12345", "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số."),
        ("id_number", "999190123456", "không phải mã tỉnh"),
        ("id_number", "087285123456", "không khớp với năm sinh"),
        ("phone", "0212345678", "bắt đầu bằng 03, 05, 07, 08 hoặc 09"),
        ("phone", "09123", "gồm 10 chữ số"),
        ("email", "an@", "Địa chỉ thư điện tử không hợp lệ."),
        ("date_of_birth", "31/02/1990", "Nhập ngày theo dạng ngày/tháng/năm."),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    signed_in_an, citizen_an, field, value, message
):
    before = profile_of(citizen_an)
    response = signed_in_an.post(URL, {**GOOD, field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'role="alert"' in page and 'aria-invalid="true"' in page
    after = profile_of(citizen_an)
    assert (after.id_number, after.phone, after.updated_at) == (
        before.id_number,
        before.phone,
        before.updated_at,
    )


def test_a_new_phone_is_unverified_and_gets_a_code(signed_in_an, citizen_an):
    response = signed_in_an.post(URL, {**GOOD, "phone": "0987 654 321"})
    assert response["Location"] == reverse("accounts:verify") + "?kenh=phone"
    assert not profile_of(citizen_an).verified_phone

    signed_in_an.post(response["Location"], {"action": "verify", "code": last_code("84987654321")})
    profile = profile_of(citizen_an)
    assert (profile.phone, profile.verified_phone) == ("0987654321", True)


def test_a_phone_verified_by_another_account_cannot_be_taken(signed_in_an, citizen_binh):
    CitizenProfile.objects.filter(user=citizen_binh).update(phone="0987654321", verified_phone=True)
    response = signed_in_an.post(URL, {**GOOD, "phone": "0987654321"})
    assert "Số điện thoại này đã được dùng cho một tài khoản khác." in response.content.decode()


def test_a_profile_keeps_a_way_to_sign_in(signed_in_an):
    response = signed_in_an.post(URL, {**GOOD, "phone": "", "email": ""})
    assert "Cần ít nhất số điện thoại hoặc thư điện tử" in response.content.decode()


def test_an_id_number_asserted_by_the_provider_is_not_editable(signed_in_an, citizen_an):
    CitizenProfile.objects.filter(user=citizen_an).update(
        id_number="087190123456", id_verified=True
    )
    signed_in_an.post(URL, {**GOOD, "id_number": "079190000001", "date_of_birth": ""})
    profile = profile_of(citizen_an)
    assert (profile.id_number, profile.id_verified) == ("087190123456", True)
