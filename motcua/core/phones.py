"""Vietnamese phone numbers: one rule for every form, channel and gateway
(docs/decisions/identifiers.md).

A number is kept in its national form, "0" and nine or ten digits, however it was typed:
"+84 912 345 678", "84912345678", "0912.345.678", "(0277) 3851-234" all read as one number.

- **Mobile**: ten digits, 0 and a network prefix of the national numbering plan since the
  2018 conversion: 032–039 (Viettel), 052, 056, 058 (Vietnamobile), 055 (Reddi), 059 (Gmobile),
  070, 076–079 (MobiFone), 081–089, 090–099. Only a mobile can receive an SMS.
- **Landline**: 02 and the area code (024 Hà Nội, 028 Thành phố Hồ Chí Minh, 0277 Đồng
  Tháp …), ten or eleven digits in all.
- Anything else is refused, short codes included: 1022 is the province's own hotline, not a
  number a citizen can be called back or texted on.

Gateways want the international form without "+" (MSISDN, "84912345678"): ``msisdn``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-()]")
# +84, 0084 or a bare 84 before the number without its leading 0.
_INTERNATIONAL = re.compile(r"(?:\+84|0084|84)(?P<rest>0?\d{9,10})")
_MOBILE = re.compile(r"0(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}")
_LANDLINE = re.compile(r"02\d{8,9}")


def national(value: str) -> str:
    """The digits of ``value`` from its leading 0, separators dropped and an international
    prefix read as the 0; not checked (``normalize_phone`` checks)."""
    digits = _SEPARATORS.sub("", value or "")
    international = _INTERNATIONAL.fullmatch(digits)
    if international is not None:
        rest = international.group("rest")
        return rest if rest.startswith("0") else f"0{rest}"
    return digits


def is_mobile(value: str) -> bool:
    return _MOBILE.fullmatch(national(value)) is not None


def normalize_mobile(value: str) -> str:
    """ "+84 912 345 678", "0912.345.678", "84912345678" → "0912345678"; only mobile numbers
    (which can receive an SMS) are accepted, anything else raises ``ValidationError``."""
    number = national(value)
    if _MOBILE.fullmatch(number) is None:
        raise ValidationError(
            _(
                "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 "
                "(ví dụ 0912 345 678)."
            ),
            "phone",
        )
    return number


def normalize_phone(value: str) -> str:
    """A mobile ("0912345678") or a landline ("0277 3851 234" → "02773851234") in its national
    form; anything else raises ``ValidationError``."""
    number = national(value)
    if _MOBILE.fullmatch(number) is None and _LANDLINE.fullmatch(number) is None:
        raise ValidationError(
            _("Số điện thoại không hợp lệ (ví dụ 0912 345 678 hoặc 0277 3851 234)."), "phone"
        )
    return number


def phone_or_blank(value: str) -> str:
    """The number in its national form, or "" while it is incomplete or not a number."""
    try:
        return normalize_phone(value)
    except ValidationError:
        return ""


def msisdn(value: str) -> str:
    """A mobile number in the international form SMS gateways expect: "0912 345 678" →
    "84912345678". Anything else raises ``ValidationError``."""
    return "84" + normalize_mobile(value)[1:]


def stored_forms(phone: str) -> list[str]:
    """The ways a record written before this rule may hold the national ``phone``:
    "0912…", "+84912…", "84912…"."""
    return [phone, f"+84{phone[1:]}", f"84{phone[1:]}"]


def validate_mobile(value: str) -> None:
    """A model field's validator: a mobile number in any of its written forms."""
    normalize_mobile(value)
