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


# The person kinds whose message carries a secret (``PLACEHOLDER`` in the body).
SECRET_KINDS = frozenset({NotificationKind.VERIFICATION_CODE.value})

_PERSON_EMAIL: dict[str, Callable[[dict[str, Any]], Message]] = {
    NotificationKind.VERIFICATION_CODE: _verification_code,
}
_PERSON_SMS: dict[str, Callable[[dict[str, Any]], str]] = {
    NotificationKind.VERIFICATION_CODE: _sms_verification_code,
}
