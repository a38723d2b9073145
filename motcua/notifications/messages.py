"""The messages that concern no dossier (``render_person``: a verification code), and what
every message shares: its shape, the email footer, SMS without diacritics.

A message is rendered once, when its outbox row is written, so it says what was true at that
moment (a retry hours later sends the same words). Emails are full Vietnamese; SMS are written
without diacritics, as brandname templates are registered with the carriers and an accented
(UCS-2) SMS holds 70 characters a segment instead of 160. What a dossier's applicant is told
is the dossiers' own (``dossiers/notices.py``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from motcua.notifications.models import NotificationChannel, NotificationKind
from motcua.notifications.sealed import PLACEHOLDER

FOOTER = "\n\n--\nThư này được gửi tự động từ hệ thống một cửa; xin vui lòng không trả lời thư."


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def unaccent(text: str) -> str:
    """Vietnamese without diacritics, case kept: "Đã tiếp nhận" → "Da tiep nhan"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def render_person(kind: str, *, channel: str, context: dict[str, Any]) -> Message:
    """The subject and body of a ``kind`` message with no dossier, from ``context``.
    verification_code needs ``minutes`` (how long the code stays valid); the code itself is
    never rendered here: the body holds ``PLACEHOLDER`` where it goes, and the sender puts
    it in at send time (``sealed.reveal``)."""
    if channel == NotificationChannel.SMS:
        return Message(subject="", body=unaccent(_PERSON_SMS[kind](context)))
    message = _PERSON_EMAIL[kind](context)
    return Message(subject=message.subject, body=message.body + FOOTER)


def _verification_code(c: dict[str, Any]) -> Message:
    return Message(
        subject="Mã xác minh tài khoản dịch vụ công",
        body=(
            f"Mã xác minh của Ông/Bà là: {PLACEHOLDER}\n\n"
            f"Mã có hiệu lực trong {c['minutes']} phút. Không cung cấp mã này cho bất kỳ ai, "
            "kể cả người tự xưng là cán bộ.\n"
            "Nếu Ông/Bà không đăng ký tài khoản, xin bỏ qua thư này."
        ),
    )


def _sms_verification_code(c: dict[str, Any]) -> str:
    return (
        f"Mã xác minh tài khoản dịch vụ công: {PLACEHOLDER}, hiệu lực {c['minutes']} phút. "
        "Không cung cấp mã này cho bất kỳ ai."
    )


# A home visit (docs/appointments.md "Confirmation and reminders"). The context holds no
# personal data: the appointment's number, the procedure, the moment ("09:00 ngày
# 03/12/2026") and the purpose; the address and the phone stay in the appointment. The
# change/cancel link carries the appointment's token, so it is the sealed secret.
def _appointment_confirmed(c: dict[str, Any]) -> Message:
    return Message(
        subject=f"Xác nhận lịch hẹn tại nhà số {c['number']}",
        body=(
            f"Lịch hẹn số {c['number']} đã được ghi nhận: cán bộ sẽ đến địa chỉ Ông/Bà đã "
            f"đăng ký lúc {c['when']} để {c['purpose']}.\n"
            f"Thủ tục: {c['procedure']}\n\n"
            f"Đổi giờ hoặc hủy lịch hẹn tại: {PLACEHOLDER}\n"
            "Hệ thống sẽ nhắc Ông/Bà một ngày và hai giờ trước giờ hẹn."
        ),
    )


def _sms_appointment_confirmed(c: dict[str, Any]) -> str:
    return (
        f"Lich hen tai nha so {c['number']}: can bo den luc {c['when']} de {c['purpose']}. "
        f"Doi/huy: {PLACEHOLDER}"
    )


def _appointment_reminder(c: dict[str, Any]) -> Message:
    return Message(
        subject=f"Nhắc lịch hẹn tại nhà số {c['number']}: {c['when']}",
        body=(
            f"Nhắc Ông/Bà: lịch hẹn số {c['number']}, cán bộ sẽ đến địa chỉ đã đăng ký lúc "
            f"{c['when']} để {c['purpose']}.\n"
            f"Thủ tục: {c['procedure']}\n\n"
            "Cần đổi giờ hoặc hủy, xin dùng đường dẫn trong thư xác nhận lịch hẹn."
        ),
    )


def _sms_appointment_reminder(c: dict[str, Any]) -> str:
    return f"Nhac lich hen tai nha so {c['number']}: can bo den luc {c['when']} de {c['purpose']}."


# The person kinds whose message carries a secret (``PLACEHOLDER`` in the body).
SECRET_KINDS = frozenset(
    {NotificationKind.VERIFICATION_CODE.value, NotificationKind.APPOINTMENT_CONFIRMED.value}
)

_PERSON_EMAIL: dict[str, Callable[[dict[str, Any]], Message]] = {
    NotificationKind.VERIFICATION_CODE: _verification_code,
    NotificationKind.APPOINTMENT_CONFIRMED: _appointment_confirmed,
    NotificationKind.APPOINTMENT_REMINDER: _appointment_reminder,
}
_PERSON_SMS: dict[str, Callable[[dict[str, Any]], str]] = {
    NotificationKind.VERIFICATION_CODE: _sms_verification_code,
    NotificationKind.APPOINTMENT_CONFIRMED: _sms_appointment_confirmed,
    NotificationKind.APPOINTMENT_REMINDER: _sms_appointment_reminder,
}
