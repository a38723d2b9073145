"""Vietnamese phone numbers, as people write them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from motcua.core.phones import (
    is_mobile,
    msisdn,
    normalize_mobile,
    normalize_phone,
    phone_or_blank,
    stored_forms,
)

MOBILES = [
    "0326 123 456",  # Viettel
    "0398.765.432",
    "0523 456 789",  # Vietnamobile
    "0556 123 456",  # Reddi
    "0567 890 123",
    "0588 123 456",
    "0599 123 456",  # Gmobile
    "0703 123 456",  # MobiFone
    "0767-123-456",
    "0797 123 456",
    "0812 345 678",  # VinaPhone
    "0868 123 456",  # Viettel
    "0876 543 210",  # iTel
    "0898 123 456",
    "0903 123 456",
    "0912 345 678",
    "0987 654 321",
    "0999 123 456",
]


@pytest.mark.parametrize("typed", MOBILES)
def test_every_network_prefix_is_a_mobile(typed):
    number = normalize_mobile(typed)
    assert len(number) == 10 and number.startswith("0")
    assert is_mobile(typed) and normalize_phone(typed) == number


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(091) 2345678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "0084 912 345 678",
        "+84 (0) 912 345 678",
        "\u00a00912\u00a0345\u00a0678 ",
    ],
)
def test_the_ways_a_mobile_is_written_read_as_one_number(typed):
    assert normalize_mobile(typed) == "0912345678"
    assert msisdn(typed) == "84912345678"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("024 3823 4567", "02438234567"),  # Hà Nội
        ("028 3829 1234", "02838291234"),  # Thành phố Hồ Chí Minh
        ("0277 3851 234", "02773851234"),  # Đồng Tháp
        ("(0277) 3851-234", "02773851234"),
        ("+84 277 3851 234", "02773851234"),
        ("84 24 3823 4567", "02438234567"),
        ("0212345678", "0212345678"),  # ten digits
    ],
)
def test_landlines_are_phones_but_not_mobiles(typed, number):
    assert normalize_phone(typed) == number
    assert not is_mobile(typed)
    with pytest.raises(ValidationError, match="bắt đầu bằng 03, 05, 07, 08 hoặc 09"):
        normalize_mobile(typed)
    with pytest.raises(ValidationError):
        msisdn(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "1022",  # the hotline's short code: nobody can be called back on it
        "12345",
        "09123",  # still being typed
        "0912 345 6789",  # a digit too many
        "0301 234 567",  # 030, 031: no network
        "0512 345 678",
        "0712 345 678",
        "0801 234 567",
        "0123 456 789",  # the 11-digit mobiles became 03x/05x/07x/08x in 2018
        "01234 567 890",
        "024 3823 45678",  # a landline has at most 11 digits
        "+1 202 555 0143",
        "không có",
    ],
)
def test_anything_else_is_refused(typed):
    with pytest.raises(ValidationError, match="Số điện thoại không hợp lệ"):
        normalize_phone(typed)
    assert phone_or_blank(typed) == ""
    assert not is_mobile(typed)


def test_a_number_is_looked_up_in_the_forms_older_records_hold():
    assert stored_forms("0912345678") == ["0912345678", "+84912345678", "84912345678"]
