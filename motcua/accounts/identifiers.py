"""The one sign-in field: a citizen types a phone number or an email address in it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.accounts.models import Channel, CitizenProfile
from motcua.core.phones import normalize_mobile


@dataclass(frozen=True)
class Identifier:
    channel: str  # Channel.PHONE or Channel.EMAIL
    value: str  # "0912345678" or a lower-case email


def parse_identifier(text: str) -> Identifier:
    """An email if the text has an "@" (stored lower-case), else a Vietnamese mobile number
    normalised to "0xxxxxxxxx"; anything else raises ``ValidationError``."""
    text = (text or "").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError as exc:
            raise ValidationError(
                _("Địa chỉ thư điện tử không hợp lệ (ví dụ an@example.vn)."), "email"
            ) from exc
        return Identifier(Channel.EMAIL.value, text.lower())
    if not text:
        raise ValidationError(_("Nhập số điện thoại hoặc địa chỉ thư điện tử."), "required")
    return Identifier(Channel.PHONE.value, normalize_mobile(text))


def profile_by_identifier(identifier: Identifier) -> CitizenProfile | None:
    lookup = {identifier.channel: identifier.value}
    return CitizenProfile.objects.select_related("user").filter(**lookup).first()
