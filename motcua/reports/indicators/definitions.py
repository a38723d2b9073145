"""The Decision 766 indicators: five groups, 100 points (docs/rules/indicators.md "Decision 766
indicators").

Each indicator is a fraction of two figures read from counters (``figures.py``) and earns
``max_points × min(1, value ÷ full_at)``; one with nothing to judge in a period (a zero
denominator) earns its full points, as a unit with no late dossier loses none. The points and
thresholds here are the defaults an administrator's rule set starts from (``models.RuleSet``):
the decision fixes the groups' totals and the points of on-time processing (20), procedures
published on time (4) and satisfaction with procedures (6); the others are marked
unconfirmed, to be corrected when the province learns the national values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Figures = Mapping[str, float]
SECONDS_PER_WORKING_DAY = 8 * 3600


@dataclass(frozen=True)
class Group:
    key: str
    name: Promise
    max_points: int


GROUPS = (
    Group("transparency", _("Công khai, minh bạch"), 18),
    Group("progress", _("Tiến độ, kết quả giải quyết"), 20),
    Group("digitisation", _("Số hóa hồ sơ, kết quả"), 22),
    Group("online", _("Cung cấp dịch vụ trực tuyến, thanh toán trực tuyến"), 22),
    Group("satisfaction", _("Mức độ hài lòng"), 18),
)


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str
    name: Promise
    # The numerator and the denominator from the figures; a rate is their quotient.
    numerator: Callable[[Figures], float]
    denominator: Callable[[Figures], float]
    max_points: float
    full_at: float = 1.0  # the value that earns full points
    unconfirmed: bool = True
    measure: str = "rate"  # "rate" (0..1) or "days" (informational, no points)
    scopes: frozenset[str] = frozenset({"province", "unit", "agency", "sector", "procedure"})


def _received(f: Figures) -> float:
    return f["received_direct"] + f["received_online"] + f["received_postal"]


def _finished(f: Figures) -> float:
    return f["finished_early"] + f["finished_on_time"] + f["finished_late"]


def _judged(f: Figures) -> float:
    return f["judged_in_time"] + f["judged_late"]


def _stock(f: Figures) -> float:
    return f["open_at_end"] + f["paused_at_end"]


def _stock_in_time(f: Figures) -> float:
    return _stock(f) - f["open_late_at_end"] - f["paused_late_at_end"]


def _sync_rate(f: Figures) -> float:
    received = _received(f)
    return f["synced"] / received if received else 1.0


def _satisfaction_misses(f: Figures) -> float:
    return min(_judged(f), f["judged_late"] + f["rated_not_satisfied"])


# Scopes the hotline's figures have (tickets know their agency, not their procedure).
HOTLINE_SCOPES = frozenset({"province", "unit", "agency"})

INDICATORS = (
    # ---- publicity and transparency (18) ----
    Indicator(
        "procedures_published_on_time",
        "transparency",
        _("Thủ tục hành chính được công bố, công khai đúng hạn"),
        lambda f: f["procedures_published_on_time"],
        lambda f: f["procedures_published"],
        4,
        unconfirmed=False,
    ),
    Indicator(
        "sync_rate",
        "transparency",
        _("Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia"),
        lambda f: f["synced"],
        _received,
        4,
    ),
    Indicator(
        "feedback_on_time_rate",
        "transparency",
        _("Phản ánh, kiến nghị được xử lý trong 15 ngày làm việc"),
        lambda f: f["feedback_handled_in_time"],
        lambda f: f["feedback_handled"],
        4,
        scopes=HOTLINE_SCOPES,
    ),
    Indicator(
        "feedback_declined_on_time_rate",
        "transparency",
        _("Phản ánh, kiến nghị bị từ chối trong 2 ngày làm việc"),
        lambda f: f["feedback_declined_in_time"],
        lambda f: f["feedback_declined"],
        2,
        scopes=HOTLINE_SCOPES,
    ),
    Indicator(
        "feedback_asked_on_time_rate",
        "transparency",
        _("Phản ánh, kiến nghị được đề nghị bổ sung trong 5 ngày làm việc"),
        lambda f: f["feedback_asked_in_time"],
        lambda f: f["feedback_asked"],
        2,
        scopes=HOTLINE_SCOPES,
    ),
    Indicator(
        "feedback_published_on_time_rate",
        "transparency",
        _("Kết quả xử lý phản ánh, kiến nghị được công khai trong 2 ngày làm việc"),
        lambda f: f["feedback_published_in_time"],
        lambda f: f["feedback_published"],
        2,
        scopes=HOTLINE_SCOPES,
    ),
    # ---- processing progress and results (20) ----
    Indicator(
        "on_time_rate",
        "progress",
        _("Hồ sơ giải quyết trước hạn, đúng hạn (kể cả đang giải quyết trong hạn)"),
        lambda f: f["judged_in_time"] + _stock_in_time(f),
        lambda f: _judged(f) + _stock(f),
        20,
        unconfirmed=False,
    ),
    Indicator(
        "average_processing_days",
        "progress",
        _("Thời gian giải quyết trung bình (ngày làm việc)"),
        lambda f: f["judged_seconds"] / SECONDS_PER_WORKING_DAY,
        _judged,
        0,
        unconfirmed=False,
        measure="days",
    ),
    # ---- digitisation (22) ----
    Indicator(
        "electronic_result_rate",
        "digitisation",
        _("Hồ sơ giải quyết xong có kết quả điện tử"),
        lambda f: f["finished_electronic"],
        _finished,
        6,
    ),
    Indicator(
        "digitised_rate",
        "digitisation",
        _("Hồ sơ được số hóa thành phần và kết quả"),
        lambda f: f["finished_digitised_electronic"],
        _finished,
        6,
        full_at=0.8,
    ),
    Indicator(
        "reuse_rate",
        "digitisation",
        _("Hồ sơ sử dụng lại giấy tờ, dữ liệu đã số hóa"),
        lambda f: f["received_reusing"],
        _received,
        6,
        full_at=0.8,
    ),
    Indicator(
        "vneid_rate",
        "digitisation",
        _("Hồ sơ trực tuyến của tài khoản xác thực VNeID"),
        lambda f: f["received_vneid"],
        lambda f: f["received_online"],
        4,
    ),
    # ---- online services and online payment (22) ----
    Indicator(
        "procedures_online_rate",
        "online",
        _("Thủ tục hành chính cung cấp dịch vụ công trực tuyến"),
        lambda f: f["procedures_online"],
        lambda f: f["procedures"],
        6,
        full_at=0.8,
    ),
    Indicator(
        "online_dossier_rate",
        "online",
        _("Hồ sơ tiếp nhận trực tuyến (nhân với tỷ lệ đồng bộ)"),
        lambda f: f["received_online"] * _sync_rate(f),
        _received,
        8,
        full_at=0.5,
    ),
    Indicator(
        "online_payment_procedures_rate",
        "online",
        _("Thủ tục có phí, lệ phí cho phép thanh toán trực tuyến"),
        lambda f: f["procedures_fee_online"],
        lambda f: f["procedures_fee"],
        4,
        full_at=0.8,
    ),
    Indicator(
        "online_payment_rate",
        "online",
        _("Hồ sơ có phí, lệ phí được thanh toán trực tuyến"),
        lambda f: f["paid_online"],
        lambda f: f["fee_bearing"],
        4,
    ),
    # ---- satisfaction (18) ----
    Indicator(
        "satisfaction_rate",
        "satisfaction",
        _("Mức độ hài lòng trong giải quyết thủ tục hành chính"),
        lambda f: _judged(f) - _satisfaction_misses(f),
        _judged,
        6,
        full_at=0.9,
        unconfirmed=False,
    ),
    Indicator(
        "rating_satisfied_rate",
        "satisfaction",
        _("Đánh giá hài lòng, rất hài lòng của người dân, doanh nghiệp"),
        lambda f: f["rated_very_satisfied"] + f["rated_satisfied"],
        lambda f: f["rated_very_satisfied"] + f["rated_satisfied"] + f["rated_not_satisfied"],
        6,
    ),
    Indicator(
        "feedback_satisfaction_rate",
        "satisfaction",
        _("Người phản ánh, kiến nghị hài lòng với cách xử lý (4–5 sao)"),
        lambda f: f["hotline_rated_high"],
        lambda f: f["hotline_rated"],
        6,
        scopes=HOTLINE_SCOPES,
    ),
)

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


def points(value: float | None, *, max_points: float, full_at: float) -> float:
    """What a value earns: in proportion up to ``full_at``, full above; nothing to judge
    (None) earns full points."""
    if value is None:
        return max_points
    if full_at <= 0:
        return max_points
    return max_points * min(1.0, max(0.0, value) / full_at)
