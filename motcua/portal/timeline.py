"""A dossier's history as the applicant reads it: what happened, in plain Vietnamese.

Unlike the back office's timeline, it leaves out the officers' internal notes and names and
says what the applicant has to do when the office waits on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import DossierEvent, RatingLevel, ResultDelivery
from motcua.dossiers.templatetags.backoffice import format_moment, format_vnd
from motcua.dossiers.views.timeline import SENTENCES as OFFICE_SENTENCES
from motcua.dossiers.views.timeline import postal_service, postal_tracking


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    text: str
    waits_on_you: bool = False


def _day(data: dict[str, Any], key: str) -> str:
    return format_moment(data.get(key), with_time=False) or "—"


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return str(value)


def _reason(data: dict[str, Any]) -> str:
    reason = str(data.get("reason") or "").strip().rstrip(".")
    return " " + _("Lý do: %(reason)s.") % {"reason": reason} if reason else ""


SENTENCES: dict[str, Callable[[dict[str, Any]], str]] = {
    "submit": lambda d: _("Bạn đã nộp hồ sơ trực tuyến. Hồ sơ đang chờ bộ phận một cửa kiểm tra."),
    "receive": lambda d: (
        _("Hồ sơ đã được tiếp nhận; ngày hẹn trả kết quả: %(due)s.") % {"due": _day(d, "due_at")}
    ),
    "refuse": lambda d: _("Hồ sơ không được tiếp nhận.") + _reason(d),
    "forward": lambda d: (
        _("Hồ sơ được chuyển đến %(agency)s để giải quyết.")
        % {"agency": d.get("to_agency") or _("cơ quan có thẩm quyền")}
    ),
    "request_supplement": lambda d: (
        _("Cơ quan đề nghị bổ sung: %(items)s. Thời gian giải quyết tạm dừng đến khi bạn bổ sung.")
        % {"items": "; ".join(d.get("items") or []) or "—"}
        + _reason(d)
    ),
    "complete_supplement": lambda d: (
        _("Đã nhận giấy tờ bổ sung; hồ sơ tiếp tục được giải quyết, hẹn trả mới: %(due)s.")
        % {"due": _day(d, "due_at")}
    ),
    "request_payment": lambda d: (
        _("Cần nộp phí, lệ phí %(amount)s đồng để cơ quan tiếp tục giải quyết.")
        % {"amount": format_vnd(d.get("amount_vnd"))}
    ),
    "record_payment": lambda d: (
        _("Đã ghi nhận khoản nộp %(amount)s đồng.") % {"amount": format_vnd(d.get("amount_vnd"))}
    ),
    "stop": lambda d: _("Cơ quan dừng giải quyết hồ sơ.") + _reason(d),
    "withdraw": lambda d: _("Hồ sơ đã được rút theo đề nghị của bạn."),
    "apologise": lambda d: (
        _("Cơ quan xin lỗi vì chưa trả kết quả đúng hẹn và hẹn lại ngày %(after)s.")
        % {"after": _day(d, "due_at")}
        + _reason(d)
    ),
    "mark_result_ready": lambda d: _("Hồ sơ đã giải quyết xong, có kết quả."),
    "return_result": lambda d: (
        _("Đã trả kết quả (%(via)s).") % {"via": _label(ResultDelivery, d.get("via", "")).lower()}
    ),
    "revoke_result": lambda d: _("Kết quả đã bị thu hồi.") + _reason(d),
    # Each step of the post's pickup or delivery (a failed attempt, a return included), and
    # the public postal service's own steps, told as the office tells them: they name no
    # officer.
    "postal_tracking": postal_tracking,
    **{
        kind: OFFICE_SENTENCES[kind]
        for kind in (
            "register_postal_service",
            "cancel_postal_order",
            "postal_documents_checked",
            "postal_handover_received",
            "postal_parcel_missing",
        )
    },
    "postal_cancel_refused": lambda d: (
        _("Bưu điện đã bắt đầu thực hiện nên không hủy được đơn %(service)s; đơn vẫn tiếp tục.")
        % {"service": postal_service(d)}
    ),
    "postal_return_pending": lambda d: (
        _("Bưu điện đã phát kết quả (số hiệu %(number)s); cơ quan sẽ cập nhật hồ sơ.")
        % {"number": d.get("tracking_number") or "—"}
    ),
    "rate": lambda d: (
        _("Bạn đã đánh giá: %(level)s.")
        % {"level": _label(RatingLevel, d.get("level", "")).lower()}
    ),
}
WAITS_ON_YOU = {"request_supplement", "request_payment"}


def citizen_timeline(events: list[DossierEvent]) -> list[Step]:
    out = []
    for event in events:
        sentence = SENTENCES.get(event.kind)
        if sentence is None:  # internal steps (an officer's note) are not the applicant's
            continue
        data = event.data if isinstance(event.data, dict) else {}
        try:
            text = sentence(data)
        except (KeyError, TypeError, ValueError):
            continue
        out.append(Step(timezone.localtime(event.at), text, event.kind in WAITS_ON_YOU))
    return out
