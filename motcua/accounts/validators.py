"""What a citizen's identifiers look like: the 12-digit personal ID number and a Vietnamese
mobile number.

The personal ID number (số định danh cá nhân, printed on the CCCD / thẻ căn cước) is structured
by Thông tư 07/2016/TT-BCA, Điều 7 (kept by Thông tư 59/2021/TT-BCA): three digits for the
province where the birth was registered, one digit for sex and century of birth (0/1 = 20th
century male/female, 2/3 = 21st, 4/5 = 22nd …), two digits for the year of birth, six random
digits. We check the shape and the province code, and the year against the date of birth
when both are known; we cannot check that the number was ever issued.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The 63 province codes of Thông tư 07/2016/TT-BCA, Phụ lục. Provinces merged on 1 July 2025
# kept one of their former codes, so numbers issued since use the same set.
_PROVINCES = """
    001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034
    035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068
    070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096
"""
PROVINCE_CODES = frozenset(_PROVINCES.split())
_SEPARATORS = re.compile(r"[\s.\-()]")
# 0 + a mobile network prefix (3, 5, 7, 8, 9) + 8 digits; "+84"/"84" stands for the 0.
_MOBILE = re.compile(r"0[35789]\d{8}")


def normalize_id_number(value: str) -> str:
    """ "0871 9012 3456" → "087190123456"; a malformed number raises ``ValidationError``."""
    number = _SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"\d{12}", number):
        raise ValidationError(_("Số định danh cá nhân (CCCD) gồm đúng 12 chữ số."), "id_shape")
    if number[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu của số định danh không phải mã tỉnh, thành phố nào."), "id_province"
        )
    return number


def validate_id_number(value: str) -> None:
    normalize_id_number(value)


def birth_year_matches(number: str, born: dt.date) -> bool:
    """Digits 4–6 encode the century and the last two digits of the year of birth."""
    century = 1900 + 100 * (int(number[3]) // 2)
    return century + int(number[4:6]) == born.year


def normalize_mobile(value: str) -> str:
    """ "+84 912 345 678", "0912.345.678", "84912345678" → "0912345678"; only Vietnamese
    mobile numbers (which can receive the verification SMS) are accepted."""
    digits = _SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(
            _(
                "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 "
                "(ví dụ 0912 345 678)."
            ),
            "phone",
        )
    return digits


def validate_mobile(value: str) -> None:
    normalize_mobile(value)
