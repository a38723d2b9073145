"""Personal ID numbers (CCCD) and old identity card numbers (CMND)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.core.id_numbers import birth_year_matches, normalize_id_number


@pytest.mark.parametrize(
    "typed", ["087190123456", "0871 9012 3456", "087.190.123.456", "087-190-123-456"]
)
def test_a_personal_id_number_however_grouped(typed):
    assert normalize_id_number(typed) == "087190123456"
    assert normalize_id_number(typed, old_card=True) == "087190123456"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", "gồm đúng 12 chữ số"),
        ("08719012345", "gồm đúng 12 chữ số"),
        ("0871901234567", "gồm đúng 12 chữ số"),
        ("301234567", "gồm đúng 12 chữ số"),  # a CMND, where only the new number will do
        ("999190123456", "không phải mã tỉnh"),
        ("003190123456", "không phải mã tỉnh"),  # 003 was never a province
    ],
)
def test_a_malformed_personal_id_number_is_refused(typed, message):
    with pytest.raises(ValidationError, match=message):
        normalize_id_number(typed)


def test_an_old_identity_card_where_one_is_still_accepted():
    assert normalize_id_number("341 234 567", old_card=True) == "341234567"
    with pytest.raises(ValidationError, match="hoặc CMND 9 chữ số"):
        normalize_id_number("3412345", old_card=True)
    with pytest.raises(ValidationError, match="không phải mã tỉnh"):
        normalize_id_number("999190123456", old_card=True)


@pytest.mark.parametrize(
    ("number", "born", "matches"),
    [
        ("087190123456", dt.date(1990, 5, 1), True),  # 1: a woman born in the 20th century
        ("087090123456", dt.date(1990, 5, 1), True),
        ("087205123456", dt.date(2005, 1, 1), True),  # 2: a man born in the 21st century
        ("087285123456", dt.date(1985, 1, 1), False),
    ],
)
def test_the_year_of_birth_in_the_number(number, born, matches):
    assert birth_year_matches(number, born) is matches
