"""Vietnamese personal ID numbers: one rule for every form (docs/decisions/identifiers.md).

The personal ID number (số định danh cá nhân, printed on the CCCD / thẻ căn cước) has 12
digits, structured by Thông tư 07/2016/TT-BCA, Điều 7 (kept by Thông tư 59/2021/TT-BCA):
three digits for the province where the birth was registered, one digit for sex and century
of birth (0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd …), two digits for the year
of birth, six random digits. We check the shape and the province code, and the year against
the date of birth when both are known; we cannot check that the number was ever issued.

The old identity card (CMND) has 9 digits. It is no longer issued, but a desk still meets it
on older papers, so the applicant of a dossier may be identified by it (``old_card=True``);
a citizen's account holds only the personal ID number.
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
_PERSONAL = re.compile(r"\d{12}")
_OLD_CARD = re.compile(r"\d{9}")


def normalize_id_number(value: str, *, old_card: bool = False) -> str:
    """ "0871 9012 3456", "087.190.123.456" → "087190123456"; with ``old_card`` a 9-digit CMND
    number is accepted too. A malformed number raises ``ValidationError``."""
    number = _SEPARATORS.sub("", value or "")
    if old_card and _OLD_CARD.fullmatch(number):
        return number
    if not _PERSONAL.fullmatch(number):
        message = (
            _("Số định danh cá nhân gồm 12 chữ số (hoặc CMND 9 chữ số).")
            if old_card
            else _("Số định danh cá nhân (CCCD) gồm đúng 12 chữ số.")
        )
        raise ValidationError(message, "id_shape")
    if number[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu của số định danh không phải mã tỉnh, thành phố nào."), "id_province"
        )
    return number


def birth_year_matches(number: str, born: dt.date) -> bool:
    """Digits 4–6 of a personal ID number encode the century and the last two digits of the
    year of birth."""
    century = 1900 + 100 * (int(number[3]) // 2)
    return century + int(number[4:6]) == born.year


def validate_id_number(value: str) -> None:
    """A model field's validator: a 12-digit personal ID number."""
    normalize_id_number(value)
