"""Proving that a phone or an email belongs to the citizen: a 6-digit code through the outbox.

The rules:

- A code is 6 random digits, sent by SMS (phone) or email through the notifications outbox in
  the caller's transaction; only a salted HMAC of it is stored here, and the outbox keeps it
  sealed until it is sent (the stored message shows a placeholder; docs/decisions/outbox.md).
- It is valid for ``CODE_TTL`` (10 minutes) and ``MAX_ATTEMPTS`` (5) wrong entries; only the
  latest code of a user and channel counts, and it works once.
- A new code to the same address can be asked for after ``RESEND_COOLDOWN`` (60 seconds); at
  most ``MAX_CODES_PER_HOUR`` (5) codes go to one address in an hour, whoever asks, so the
  form cannot be used to flood a stranger's phone, and one account gets at most
  ``MAX_CODES_PER_USER_HOUR`` (10) an hour whatever addresses it tries.
- A right code marks the phone or email verified, if the profile still holds that address.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from motcua.accounts.models import Channel, CitizenProfile, VerificationCode
from motcua.notifications.models import NotificationKind
from motcua.notifications.outbox import notify_person

CODE_TTL = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_COOLDOWN = dt.timedelta(seconds=60)
MAX_CODES_PER_HOUR = 5
MAX_CODES_PER_USER_HOUR = 10
_HMAC_SALT = "motcua.accounts.verification-code"


class VerificationError(Exception):
    """A code could not be sent or was not accepted; ``str()`` is the Vietnamese message."""


def code_hash(salt: str, code: str) -> str:
    return salted_hmac(_HMAC_SALT, f"{salt}:{code}", algorithm="sha256").hexdigest()


def latest_code(user: Any, channel: str) -> VerificationCode | None:
    return (
        VerificationCode.objects.filter(user=user, channel=channel)
        .order_by("-created_at", "-pk")
        .first()
    )


def seconds_until_resend(user: Any, channel: str) -> int:
    """0 when a new code may be sent now to the profile's current address."""
    last = latest_code(user, channel)
    profile = CitizenProfile.objects.filter(user=user).first()
    if last is None or profile is None or last.address != profile.address_of(channel):
        return 0
    wait = last.created_at + RESEND_COOLDOWN - timezone.now()
    return max(0, int(wait.total_seconds() + 0.999))


# The code is a frame local: kept out of Django's error reports (500 page, error mails).
@sensitive_variables("code")
@transaction.atomic
def send_verification_code(*, user: Any, channel: str) -> VerificationCode:
    """Send a new code to the profile's phone or email (the rules above); raise
    ``VerificationError`` if there is nothing to verify, the cooldown or the hourly cap has
    not passed, or the channel is switched off on this site."""
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    address = profile.address_of(channel)
    if not address:
        raise VerificationError(_("Chưa có địa chỉ để gửi mã xác minh."))
    if profile.is_verified(channel):
        raise VerificationError(_("Địa chỉ này đã được xác minh."))
    wait = seconds_until_resend(user, channel)
    if wait:
        raise VerificationError(
            ngettext(
                "Vui lòng chờ %(seconds)d giây rồi yêu cầu gửi lại mã.",
                "Vui lòng chờ %(seconds)d giây rồi yêu cầu gửi lại mã.",
                wait,
            )
            % {"seconds": wait}
        )
    now = timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    to_address = VerificationCode.objects.filter(address=address, created_at__gt=hour_ago)
    by_user = VerificationCode.objects.filter(user=user, created_at__gt=hour_ago)
    if to_address.count() >= MAX_CODES_PER_HOUR or by_user.count() >= MAX_CODES_PER_USER_HOUR:
        raise VerificationError(
            _("Đã gửi quá nhiều mã xác minh trong một giờ. Vui lòng thử lại sau.")
        )
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    row = VerificationCode.objects.create(
        user=user,
        channel=channel,
        address=address,
        salt=salt,
        code_hash=code_hash(salt, code),
        expires_at=now + CODE_TTL,
    )
    sent = notify_person(
        recipient_phone=address if channel == Channel.PHONE else None,
        recipient_email=address if channel == Channel.EMAIL else None,
        kind=NotificationKind.VERIFICATION_CODE,
        context={"minutes": int(CODE_TTL.total_seconds() // 60)},
        idempotency_key=f"verification-code:{row.pk}",
        # Sealed on the outbox row and rendered into the message only when it is sent: the
        # code is never stored, shown or logged in clear (docs/decisions/outbox.md).
        secret=code,
    )
    if not sent:  # the channel is off: roll the code back, tell the citizen
        raise VerificationError(unavailable_message(channel))
    return row


def unavailable_message(channel: str) -> str:
    if channel == Channel.PHONE:
        return _("Hệ thống hiện chưa gửi được tin nhắn SMS. Vui lòng dùng địa chỉ thư điện tử.")
    return _("Hệ thống hiện chưa gửi được thư điện tử. Vui lòng dùng số điện thoại.")


@sensitive_variables("code")
def check_code(*, user: Any, channel: str, code: str) -> CitizenProfile:
    """Accept ``code`` for the user's phone or email and mark it verified, or raise
    ``VerificationError``. A wrong code uses up one of the attempts; nothing else changes."""
    with transaction.atomic():
        outcome = _check(user, channel, (code or "").strip())
        if outcome is None:
            profile = CitizenProfile.objects.select_for_update().get(user=user)
            field = "verified_phone" if channel == Channel.PHONE else "verified_email"
            setattr(profile, field, True)
            profile.save(update_fields=[field, "updated_at"])
            return profile
    # Raised outside the transaction, so a wrong code's attempt stays counted.
    raise VerificationError(outcome)


def _check(user: Any, channel: str, code: str) -> str | None:
    """None if the code is right (and now used); else the message to show."""
    row = (
        VerificationCode.objects.select_for_update()
        .filter(user=user, channel=channel)
        .order_by("-created_at", "-pk")
        .first()
    )
    profile = CitizenProfile.objects.get(user=user)
    now = timezone.now()
    if row is None or row.used_at is not None or row.address != profile.address_of(channel):
        return _("Không có mã xác minh nào đang chờ. Vui lòng yêu cầu gửi mã mới.")
    if now >= row.expires_at:
        return _("Mã xác minh đã hết hạn. Vui lòng yêu cầu gửi mã mới.")
    if row.attempts >= MAX_ATTEMPTS:
        return _("Bạn đã nhập sai %(count)d lần. Vui lòng yêu cầu gửi mã mới.") % {
            "count": MAX_ATTEMPTS
        }
    row.attempts += 1
    if not (code.isdigit() and constant_time_compare(code_hash(row.salt, code), row.code_hash)):
        row.save(update_fields=["attempts"])
        left = MAX_ATTEMPTS - row.attempts
        if left == 0:
            return _("Mã xác minh không đúng. Bạn đã hết lượt nhập; vui lòng yêu cầu mã mới.")
        return ngettext(
            "Mã xác minh không đúng. Bạn còn %(left)d lần nhập.",
            "Mã xác minh không đúng. Bạn còn %(left)d lần nhập.",
            left,
        ) % {"left": left}
    row.used_at = now
    row.save(update_fields=["attempts", "used_at"])
    return None
