"""A dossier's events told in plain Vietnamese, one sentence each, for the dossier page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Channel
from motcua.dossiers.models import DossierEvent, Outcome, ResultDelivery
from motcua.dossiers.models.rating import RatingLevel
from motcua.dossiers.templatetags.backoffice import format_moment, format_vnd


@dataclass(frozen=True)
class Entry:
    event: DossierEvent
    text: str


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _when(data: dict[str, Any], key: str) -> str:
    return format_moment(data.get(key)) or "—"


def _with_note(text: str, data: dict[str, Any]) -> str:
    note = str(data.get("note") or "").strip()
    if not note:
        return text
    return text + " " + _("Ghi chú: %(note)s.") % {"note": note}


def _receive(d: dict[str, Any]) -> str:
    if "desk" in d:
        text = _("Tiếp nhận hồ sơ (%(channel)s) tại %(desk)s; hẹn trả %(due)s.") % {
            "channel": _label(Channel, str(d.get("channel", ""))).lower(),
            "desk": d["desk"],
            "due": _when(d, "due_at"),
        }
        documents = d.get("documents") or []
        if documents:
            text += " " + _("Giấy tờ đã nhận: %(list)s.") % {"list": "; ".join(documents)}
        return text
    return _("Tiếp nhận hồ sơ nộp trực tuyến; hẹn trả %(due)s.") % {"due": _when(d, "due_at")}


def _forward(d: dict[str, Any]) -> str:
    text = _(
        "Chuyển từ bước «%(from_step)s» (%(from_agency)s) sang bước «%(to_step)s» tại "
        "%(to_agency)s; hạn xử lý bước %(due)s."
    ) % {
        "from_step": d.get("from_step") or "—",
        "from_agency": d.get("from_agency") or "—",
        "to_step": d.get("to_step", ""),
        "to_agency": d.get("to_agency", ""),
        "due": _when(d, "step_due_at"),
    }
    if d.get("step_outcome"):
        text += " " + _("Bước trước: %(outcome)s.") % {
            "outcome": _label(Outcome, d["step_outcome"]).lower()
        }
    return _with_note(text, d)


def _supplement(d: dict[str, Any]) -> str:
    return _with_note(
        _("Yêu cầu bổ sung hồ sơ (tạm dừng tính thời gian): %(items)s. Lý do: %(reason)s.")
        % {"items": "; ".join(d.get("items") or []), "reason": d.get("reason", "")},
        d,
    )


def _supplied(d: dict[str, Any]) -> str:
    return _with_note(
        _("Đã nhận hồ sơ bổ sung; thời gian tạm dừng %(hours)s giờ làm việc; hẹn trả mới %(due)s.")
        % {
            "hours": round(int(d.get("paused_seconds") or 0) / 3600, 1),
            "due": _when(d, "due_at"),
        },
        d,
    )


def _ready(d: dict[str, Any]) -> str:
    return _with_note(
        _("Đã có kết quả giải quyết (%(outcome)s so với hẹn trả %(due)s).")
        % {
            "outcome": _label(Outcome, str(d.get("outcome", ""))).lower(),
            "due": _when(d, "due_at"),
        },
        d,
    )


# The postal services' names as motcua/postal's choices give them (the app sits above this one).
_POSTAL_SERVICES = {
    "pickup": gettext_lazy("thu gom hồ sơ tại nhà"),
    "delivery": gettext_lazy("chuyển trả kết quả"),
}


def postal_service(d: dict[str, Any]) -> str:
    service = str(d.get("service", ""))
    return str(_POSTAL_SERVICES[service]) if service in _POSTAL_SERVICES else service


def _postal(d: dict[str, Any]) -> str:
    text = _("Đăng ký dịch vụ bưu chính công ích: %(service)s; cước %(fee)s đồng.") % {
        "service": postal_service(d),
        "fee": format_vnd(d.get("fee_vnd")),
    }
    if d.get("cod_vnd"):
        text += " " + _("Bưu điện thu hộ phí, lệ phí %(cod)s đồng.") % {
            "cod": format_vnd(d.get("cod_vnd"))
        }
    return text


# The carrier's steps as motcua/postal's order statuses name them (postal/tracking.py).
_POSTAL_STEPS = {
    "accepted": gettext_lazy("bưu điện đã nhận đơn"),
    "carrier_cancelled": gettext_lazy("bưu điện đã hủy đơn"),
    "collecting": gettext_lazy("bưu điện đang thu gom hồ sơ"),
    "collected": gettext_lazy("bưu điện đã thu gom hồ sơ, chuyển đến cơ quan"),
    "delivering": gettext_lazy("bưu điện đang phát kết quả"),
    "delivered": gettext_lazy("bưu điện đã phát thành công"),
    "failed_attempt": gettext_lazy("bưu điện phát không thành công, sẽ phát lại"),
    "returned": gettext_lazy("bưu điện đã chuyển hoàn về nơi gửi"),
}


def postal_tracking(d: dict[str, Any]) -> str:
    """A carrier's step (``postal/tracking.py``), as both the office and the applicant read it."""
    status = str(d.get("status", ""))
    step = (
        str(_POSTAL_STEPS[status])
        if status in _POSTAL_STEPS
        else _("mã trạng thái %(code)s") % {"code": d.get("status_code", "")}
    )
    return _("Bưu điện (số hiệu %(number)s, %(service)s): %(step)s, lúc %(at)s.") % {
        "number": d.get("tracking_number") or "—",
        "service": postal_service(d),
        "step": step,
        "at": _when(d, "event_at"),
    }


SENTENCES: dict[str, Callable[[dict[str, Any]], str]] = {
    "submit": lambda d: _("Nộp hồ sơ trực tuyến, chờ tiếp nhận."),
    "receive": _receive,
    "refuse": lambda d: _("Từ chối tiếp nhận hồ sơ. Lý do: %(reason)s.") % d,
    "forward": _forward,
    "record_step": lambda d: (
        _("Ghi ý kiến tại bước «%(step)s»: %(note)s.")
        % {"step": d.get("step", ""), "note": d.get("note", "")}
    ),
    "request_supplement": _supplement,
    "complete_supplement": _supplied,
    "request_payment": lambda d: _with_note(
        _("Yêu cầu nộp phí, lệ phí %(amount)s đồng (tạm dừng tính thời gian).")
        % {"amount": format_vnd(d.get("amount_vnd"))},
        d,
    ),
    "record_payment": lambda d: _with_note(
        _("Ghi nhận đã nộp %(amount)s đồng (biên lai, mã giao dịch %(reference)s).")
        % {"amount": format_vnd(d.get("amount_vnd")), "reference": d.get("reference", "")},
        d,
    ),
    "stop": lambda d: _("Dừng xử lý hồ sơ. Lý do: %(reason)s.") % d,
    "withdraw": lambda d: _("Chủ hồ sơ rút hồ sơ. Lý do: %(reason)s.") % d,
    "apologise": lambda d: _with_note(
        _("Xin lỗi và hẹn lại: hẹn trả đổi từ %(before)s sang %(after)s. Lý do: %(reason)s.")
        % {
            "before": _when(d, "due_before"),
            "after": _when(d, "due_at"),
            "reason": d.get("reason", ""),
        },
        d,
    ),
    "mark_result_ready": _ready,
    "return_result": lambda d: _with_note(
        _("Trả kết quả cho chủ hồ sơ (%(via)s).")
        % {"via": _label(ResultDelivery, str(d.get("via", ""))).lower()},
        d,
    ),
    "revoke_result": lambda d: _("Thu hồi kết quả đã trả. Lý do: %(reason)s.") % d,
    "sign_result_personally": lambda d: (
        _("Lãnh đạo ký số cá nhân trên kết quả «%(result)s» (chứng thư: %(signer)s).")
        % {"result": d.get("result", ""), "signer": d.get("signer", "")}
    ),
    "register_postal_service": _postal,
    "cancel_postal_order": lambda d: _with_note(
        _("Hủy đăng ký dịch vụ bưu chính công ích: %(service)s.") % {"service": postal_service(d)},
        {"note": d.get("reason", "")},
    ),
    "postal_tracking": postal_tracking,
    # The post office's check and hand-over (motcua/postal, docs/postal.md).
    "postal_documents_checked": lambda d: (
        (
            _("Bưu điện kiểm tra hồ sơ thu gom: đủ (%(originals)s bản chính, %(copies)s bản sao).")
            if d.get("complete")
            else _(
                "Bưu điện kiểm tra hồ sơ thu gom: chưa đủ, đã hướng dẫn bổ sung "
                "(%(originals)s bản chính, %(copies)s bản sao)."
            )
        )
        % {"originals": d.get("originals", 0), "copies": d.get("copies", 0)}
    ),
    "postal_handover_created": lambda d: (
        _("Bưu điện lập biên bản bàn giao %(number)s.") % {"number": d.get("number", "")}
    ),
    "postal_handover_received": lambda d: (
        _("Cơ quan nhận hồ sơ từ bưu điện (biên bản %(number)s).") % {"number": d.get("number", "")}
    ),
    "postal_parcel_missing": lambda d: (
        _("Cơ quan ghi nhận thiếu bưu gửi trong biên bản %(number)s.")
        % {"number": d.get("number", "")}
    ),
    "postal_cancel_refused": lambda d: (
        (
            _(
                "Bưu điện không hủy được đơn %(service)s (số hiệu %(number)s) vì đã bắt đầu "
                "thực hiện; hồ sơ đã có đơn mới cho dịch vụ này: bộ phận một cửa cần xử lý "
                "một trong hai đơn."
            )
            if d.get("replaced")
            else _(
                "Bưu điện không hủy được đơn %(service)s (số hiệu %(number)s) vì đã bắt đầu "
                "thực hiện; đơn tiếp tục, việc hủy không còn hiệu lực."
            )
        )
        % {"service": postal_service(d), "number": d.get("tracking_number") or "—"}
    ),
    "postal_return_pending": lambda d: (
        _(
            "Bưu điện đã phát kết quả (số hiệu %(number)s) nhưng hồ sơ chưa ghi nhận trả kết "
            "quả được; bộ phận một cửa cần kiểm tra và ghi nhận trả kết quả."
        )
        % {"number": d.get("tracking_number") or "—"}
    ),
    "rate": lambda d: (
        _("Chủ hồ sơ đánh giá: %(level)s.")
        % {"level": _label(RatingLevel, str(d.get("level", "")))}
    ),
}


def describe(event: DossierEvent) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    sentence = SENTENCES.get(event.kind)
    if sentence is None:
        return _("Thao tác «%(kind)s».") % {"kind": event.kind}
    try:
        return sentence(data)
    except (KeyError, TypeError, ValueError):
        # An event written by an older version with other fields: say what it was.
        return _("Thao tác «%(kind)s».") % {"kind": event.kind}


def timeline(events: list[DossierEvent]) -> list[Entry]:
    return [Entry(event, describe(event)) for event in events]
