"""What a dossier's applicant is told, and where: the receipt (Form 01), a supplement
request (Form 02), a result ready, an apology with a new appointment (Form 04).

Dossier actions call ``notify_applicant`` inside their transaction, after appending their
event; the notification service (``motcua.notifications``) keeps one row per channel and sends
it after commit (docs/decisions/outbox.md). A message is rendered once, when the action runs,
so it says what was true at that moment (a retry hours later sends the same words). Times are
shown as dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh whatever the server's zone. Emails are full
Vietnamese; SMS are written without diacritics (``notifications/messages.py`` says why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from motcua.dossiers.lookup import applicant_lookup_url
from motcua.dossiers.models import Apology, Dossier, ResultDelivery, SupplementRequest
from motcua.notifications.delivery import channel_enabled
from motcua.notifications.messages import FOOTER, Message, unaccent
from motcua.notifications.models import (
    DOSSIER_KINDS,
    Notification,
    NotificationChannel,
    NotificationKind,
)
from motcua.notifications.outbox import Addressed, notify_dossier

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
SMS_PROCEDURE_CHARS = 60


def notify_applicant(*, dossier: Dossier, kind: str) -> list[Notification]:
    """Tell the applicant about the action that just happened to ``dossier``: one row per
    channel (email if the applicant gave one, SMS if a phone, each only while its
    ``*_ENABLED`` setting is on), rendered now, sent after commit.

    Call it inside the action's transaction, after the action's event is appended: the rows
    are keyed by ``dossier.event_seq``, so calling it again for the same event returns the
    same rows and sends nothing more. ``kind`` is a ``NotificationKind``: receipt,
    supplement_request, result_ready or apology.
    """
    if kind not in DOSSIER_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    return notify_dossier(
        dossier_id=dossier.pk,
        event_seq=dossier.event_seq,
        kind=kind,
        messages=[
            Addressed(channel, address, render(dossier, kind=kind, channel=channel))
            for channel, address in recipients(dossier)
        ],
    )


def recipients(dossier: Dossier) -> list[tuple[str, str]]:
    """(channel, address) for each channel the applicant gave and the deployment has on."""
    found = []
    if dossier.applicant_email.strip():
        found.append((NotificationChannel.EMAIL.value, dossier.applicant_email.strip()))
    if dossier.applicant_phone.strip():
        found.append((NotificationChannel.SMS.value, dossier.applicant_phone.strip()))
    return [(channel, address) for channel, address in found if channel_enabled(channel)]


def local_time(moment: dt.datetime | None) -> str:
    """``dd/mm/yyyy HH:MM`` in Vietnam's time, or "chưa xác định" for a dossier with no due
    moment (procedures without a statutory time)."""
    if moment is None:
        return "chưa xác định"
    return timezone.localtime(moment, VIETNAM).strftime("%d/%m/%Y %H:%M")


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "..."


def render(dossier: Dossier, *, kind: str, channel: str) -> Message:
    """The subject and body of a ``kind`` message to the dossier's applicant on ``channel``.
    A supplement request reads the dossier's latest SupplementRequest, an apology its latest
    Apology (both written by the action just before it calls the outbox)."""
    facts = _Facts.of(dossier, kind)
    if channel == NotificationChannel.SMS:
        return Message(subject="", body=unaccent(_SMS[kind](facts)))
    message = _EMAIL[kind](facts)
    return Message(subject=message.subject, body=message.body + FOOTER)


@dataclass(frozen=True)
class _Facts:
    dossier: Dossier
    name: str
    code: str
    procedure: str
    due: str
    link: str
    desk: str
    supplement: SupplementRequest | None
    apology: Apology | None

    @classmethod
    def of(cls, dossier: Dossier, kind: str) -> _Facts:
        desk = dossier.desk
        return cls(
            dossier=dossier,
            name=dossier.applicant_name,
            code=dossier.code,
            procedure=" ".join(dossier.procedure.name.split()),
            due=local_time(dossier.due_at),
            link=applicant_lookup_url(dossier),
            desk=f"{desk.name} ({desk.address})" if desk.address else desk.name,
            supplement=(
                dossier.supplements.order_by("-requested_at", "-id").first()
                if kind == NotificationKind.SUPPLEMENT_REQUEST
                else None
            ),
            apology=(
                dossier.apologies.order_by("-at", "-id").first()
                if kind == NotificationKind.APOLOGY
                else None
            ),
        )

    @property
    def short_procedure(self) -> str:
        return shorten(self.procedure, SMS_PROCEDURE_CHARS)

    @property
    def items(self) -> list[str]:
        return [str(item) for item in (self.supplement.items if self.supplement else [])]


def _receipt(f: _Facts) -> Message:
    return Message(
        subject=f"Đã tiếp nhận hồ sơ {f.code}",
        body=(
            f"Kính gửi Ông/Bà {f.name},\n\n"
            f"{f.dossier.desk.name} đã tiếp nhận hồ sơ của Ông/Bà.\n\n"
            f"Mã hồ sơ: {f.code}\n"
            f"Thủ tục: {f.procedure}\n"
            f"Thời gian hẹn trả kết quả: {f.due}\n\n"
            f"Tra cứu tình trạng hồ sơ tại: {f.link}"
        ),
    )


def _supplement(f: _Facts) -> Message:
    items = "\n".join(f"- {item}" for item in f.items) or "- (xem văn bản yêu cầu bổ sung)"
    reason = f.supplement.reason if f.supplement else ""
    return Message(
        subject=f"Hồ sơ {f.code} cần bổ sung, hoàn thiện",
        body=(
            f"Kính gửi Ông/Bà {f.name},\n\n"
            f"Hồ sơ {f.code} ({f.procedure}) cần được bổ sung, hoàn thiện.\n\n"
            f"Lý do: {reason}\n"
            f"Nội dung cần bổ sung:\n{items}\n\n"
            "Thời gian giải quyết tạm dừng đến khi Ông/Bà nộp đủ giấy tờ; thời gian hẹn trả "
            f"kết quả hiện tại ({f.due}) sẽ được lùi tương ứng.\n"
            f"Nơi nộp bổ sung: {f.desk}.\n\n"
            f"Tra cứu tình trạng hồ sơ tại: {f.link}"
        ),
    )


_DELIVERY: dict[str, str] = {
    ResultDelivery.DESK: "Mời Ông/Bà đến {desk} để nhận kết quả, mang theo Giấy tiếp nhận hồ "
    "sơ và hẹn trả kết quả.",
    ResultDelivery.ONLINE: "Kết quả được trả trực tuyến: Ông/Bà xem kết quả khi tra cứu hồ sơ.",
    ResultDelivery.POSTAL: "Kết quả sẽ được gửi qua dịch vụ bưu chính đến địa chỉ Ông/Bà đã "
    "đăng ký.",
}


def _result_ready(f: _Facts) -> Message:
    how = _DELIVERY.get(f.dossier.result_delivery, _DELIVERY[ResultDelivery.DESK])
    return Message(
        subject=f"Hồ sơ {f.code} đã có kết quả",
        body=(
            f"Kính gửi Ông/Bà {f.name},\n\n"
            f"Hồ sơ {f.code} ({f.procedure}) đã có kết quả giải quyết.\n"
            f"{how.format(desk=f.desk)}\n"
            f"Thời gian hẹn trả kết quả: {f.due}\n\n"
            f"Tra cứu tình trạng hồ sơ tại: {f.link}"
        ),
    )


def _apology(f: _Facts) -> Message:
    apology = f.apology
    before = local_time(apology.due_before) if apology else f.due
    after = local_time(apology.due_after) if apology else f.due
    return Message(
        subject=f"Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {f.code}",
        body=(
            f"Kính gửi Ông/Bà {f.name},\n\n"
            f"{f.dossier.competent_agency.name} xin lỗi Ông/Bà vì hồ sơ {f.code} "
            f"({f.procedure}) chưa được giải quyết đúng thời hạn đã hẹn ({before}).\n\n"
            f"Lý do: {apology.reason if apology else ''}\n"
            f"Thời gian hẹn trả kết quả mới: {after}\n\n"
            "Mong Ông/Bà thông cảm.\n"
            f"Tra cứu tình trạng hồ sơ tại: {f.link}"
        ),
    )


_EMAIL: dict[str, Callable[[_Facts], Message]] = {
    NotificationKind.RECEIPT: _receipt,
    NotificationKind.SUPPLEMENT_REQUEST: _supplement,
    NotificationKind.RESULT_READY: _result_ready,
    NotificationKind.APOLOGY: _apology,
}


def _sms_receipt(f: _Facts) -> str:
    return (
        f"Hồ sơ {f.code} ({f.short_procedure}) đã được tiếp nhận. "
        f"Hẹn trả kết quả: {f.due}. Tra cứu: {f.link}"
    )


def _sms_supplement(f: _Facts) -> str:
    items = shorten("; ".join(f.items), 100)
    return f"Hồ sơ {f.code} cần bổ sung: {items}. Chi tiết: {f.link}"


def _sms_result_ready(f: _Facts) -> str:
    return f"Hồ sơ {f.code} ({f.short_procedure}) đã có kết quả. Tra cứu: {f.link}"


def _sms_apology(f: _Facts) -> str:
    after = local_time(f.apology.due_after) if f.apology else f.due
    return (
        f"Xin lỗi Ông/Bà: hồ sơ {f.code} chậm trả kết quả. Hẹn trả mới: {after}. Tra cứu: {f.link}"
    )


_SMS: dict[str, Callable[[_Facts], str]] = {
    NotificationKind.RECEIPT: _sms_receipt,
    NotificationKind.SUPPLEMENT_REQUEST: _sms_supplement,
    NotificationKind.RESULT_READY: _sms_result_ready,
    NotificationKind.APOLOGY: _sms_apology,
}
