"""What a simulated province looks like: every figure of the simulation, with its default
and why (docs/simulate.md "Options").

A ``Profile`` is plain data. Each field is one option of ``manage.py simulate``
(``--arrivals-per-day``, ``--late-share`` …): ``add_arguments`` declares them from the
fields, ``from_options`` reads them back, so a figure is named once. Shares are fractions
(0.05 is five per cent); durations are working hours on the agency's calendar.

The defaults describe a mid-sized province on an ordinary day, from the figures provinces
publish on their public-service portals: a few hundred dossiers a working day, most of them
civil status, certification of copies and land; about two in five filed online; a few per
cent late; one in ten sent back for a supplement; a 1022 hotline taking a few dozen
contacts a day, most of them questions by phone.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

# Sectors as the national catalogue names them, with the share of dossiers each carries.
# Civil status (birth, marriage, death), certification of copies and signatures, and land
# (registration of changes, certificates) are most of a one-stop desk's work; the rest of
# the catalogue shares ``other_sectors_weight``.
DEFAULT_SECTOR_WEIGHTS: dict[str, float] = {
    "Chứng thực": 30.0,
    "Hộ tịch": 25.0,
    "Đất đai": 15.0,
    "Lý lịch tư pháp": 3.0,
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)": 3.0,
    "Người có công": 1.5,
    "Hoạt động xây dựng": 1.5,
    "Thành lập và hoạt động của doanh nghiệp": 1.5,
}


def _help(text: str) -> dict[str, str]:
    return {"help": text}


@dataclass(frozen=True)
class Profile:
    """The figures of one simulation; see each field's help (shown by ``simulate --help``)."""

    # Dossiers
    arrivals_per_day: float = field(
        default=300.0,
        metadata=_help(
            "Hồ sơ đến mỗi ngày làm việc (trung bình; số thực tế mỗi ngày dao động ±20%). "
            "Mặc định 300: một tỉnh cỡ vừa nhận khoảng 75.000 hồ sơ một năm."
        ),
    )
    sector_weights: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_SECTOR_WEIGHTS),
        metadata=_help(
            "Tỷ trọng hồ sơ theo lĩnh vực, dạng 'Hộ tịch=25,Chứng thực=30'. Mặc định: chứng "
            "thực, hộ tịch, đất đai chiếm phần lớn hồ sơ."
        ),
    )
    other_sectors_weight: float = field(
        default=19.5,
        metadata=_help("Tỷ trọng chung của mọi lĩnh vực không nêu trong --sector-weights."),
    )
    procedure_zipf: float = field(
        default=1.2,
        metadata=_help(
            "Số mũ Zipf của độ phổ biến thủ tục trong một lĩnh vực: thủ tục thứ k nhận tỷ "
            "trọng 1/k^s. Mặc định 1,2: vài thủ tục chiếm phần lớn hồ sơ của lĩnh vực."
        ),
    )
    online_share: float = field(
        default=0.40,
        metadata=_help(
            "Tỷ lệ hồ sơ nộp trực tuyến (với thủ tục có dịch vụ công trực tuyến). Mặc định "
            "40%: mức các tỉnh công bố năm 2025."
        ),
    )
    postal_share: float = field(
        default=0.05,
        metadata=_help("Tỷ lệ hồ sơ nộp qua bưu chính (tại bưu điện tiếp nhận hồ sơ)."),
    )
    commune_desk_share: float = field(
        default=0.85,
        metadata=_help(
            "Với thủ tục cấp xã nộp trực tiếp: tỷ lệ nộp tại bộ phận một cửa cấp xã (còn lại "
            "tại trung tâm tỉnh, không phụ thuộc địa giới)."
        ),
    )
    province_at_commune_share: float = field(
        default=0.20,
        metadata=_help("Với thủ tục cấp tỉnh nộp trực tiếp: tỷ lệ nộp tại bộ phận một cửa cấp xã."),
    )
    business_share: float = field(
        default=0.08, metadata=_help("Tỷ lệ hồ sơ của doanh nghiệp (còn lại là công dân).")
    )
    account_share: float = field(
        default=0.6,
        metadata=_help(
            "Tỷ lệ công dân nộp trực tiếp có tài khoản cổng dịch vụ công (người nộp trực "
            "tuyến luôn có); chỉ người có tài khoản mới đánh giá được."
        ),
    )
    acceptance_hours: float = field(
        default=3.0,
        metadata=_help(
            "Giờ làm việc trung bình từ lúc nộp trực tuyến đến lúc cán bộ tiếp nhận kiểm tra."
        ),
    )
    refusal_share: float = field(
        default=0.02,
        metadata=_help("Tỷ lệ hồ sơ bị từ chối tiếp nhận (Mẫu 03)."),
    )
    step_pace: tuple[float, float] = field(
        default=(0.15, 0.85),
        metadata=_help(
            "Mỗi bước đúng hạn dùng từ a đến b phần thời gian được giao, dạng 'a,b'. Mặc định "
            "0,15–0,85: phần lớn hồ sơ xong trước hạn."
        ),
    )
    late_share: float = field(
        default=0.04,
        metadata=_help(
            "Tỷ lệ hồ sơ đã tiếp nhận có kết quả quá hạn. Mặc định 4%: các tỉnh công bố "
            "95–98% đúng hạn."
        ),
    )
    late_hours: float = field(
        default=12.0,
        metadata=_help("Giờ làm việc trễ hạn trung bình của một hồ sơ quá hạn."),
    )
    apology_share: float = field(
        default=0.7,
        metadata=_help(
            "Tỷ lệ hồ sơ quá hạn có văn bản xin lỗi và hẹn lại (Mẫu 04) trước khi quá hạn."
        ),
    )
    supplement_share: float = field(
        default=0.10,
        metadata=_help("Tỷ lệ hồ sơ đã tiếp nhận phải bổ sung giấy tờ (Mẫu 02)."),
    )
    supplement_hours: float = field(
        default=16.0,
        metadata=_help("Giờ làm việc trung bình người nộp cần để bổ sung giấy tờ."),
    )
    payment_share: float = field(
        default=0.25,
        metadata=_help(
            "Tỷ lệ hồ sơ đã tiếp nhận phải thực hiện nghĩa vụ tài chính trong khi xử lý (phí, "
            "lệ phí, thuế đất): đồng hồ dừng đến khi nộp đủ."
        ),
    )
    payment_hours: float = field(
        default=6.0, metadata=_help("Giờ làm việc trung bình đến khi người nộp trả tiền.")
    )
    online_payment_share: float = field(
        default=0.5,
        metadata=_help("Tỷ lệ khoản nộp qua cổng thanh toán (còn lại nộp tại bộ phận một cửa)."),
    )
    withdrawal_share: float = field(
        default=0.01, metadata=_help("Tỷ lệ hồ sơ đã tiếp nhận người nộp xin rút.")
    )
    pickup_hours: float = field(
        default=10.0,
        metadata=_help("Giờ làm việc trung bình từ khi có kết quả đến khi trả kết quả."),
    )
    rating_share: float = field(
        default=0.3,
        metadata=_help("Tỷ lệ hồ sơ đã trả kết quả được người có tài khoản đánh giá."),
    )
    rating_levels: tuple[float, float, float] = field(
        default=(0.75, 0.2, 0.05),
        metadata=_help(
            "Tỷ lệ rất hài lòng, hài lòng, không hài lòng, dạng 'a,b,c'. Mặc định theo chỉ "
            "số hài lòng các tỉnh công bố."
        ),
    )
    # Hotline
    tickets_per_day: float = field(
        default=40.0,
        metadata=_help("Phản ánh, câu hỏi đến tổng đài 1022 mỗi ngày làm việc (trung bình)."),
    )
    weekend_ticket_share: float = field(
        default=0.3,
        metadata=_help(
            "Ngày nghỉ, các kênh trực tuyến nhận bằng tỷ lệ này của một ngày làm việc "
            "(điện thoại và trực tiếp chỉ trong giờ làm việc)."
        ),
    )
    ticket_channels: Mapping[str, float] = field(
        default_factory=lambda: {
            "phone": 0.55,
            "zalo": 0.15,
            "web": 0.12,
            "facebook": 0.08,
            "email": 0.05,
            "national_qa": 0.05,
        },
        metadata=_help("Tỷ lệ phản ánh theo kênh, dạng 'phone=0.55,zalo=0.15,…'."),
    )
    ticket_kinds: Mapping[str, float] = field(
        default_factory=lambda: {
            "question": 0.70,
            "feedback": 0.15,
            "petition": 0.05,
            "complaint": 0.04,
            "service_request": 0.06,
        },
        metadata=_help("Tỷ lệ phản ánh theo loại, dạng 'question=0.7,feedback=0.15,…'."),
    )
    answered_on_call_share: float = field(
        default=0.6,
        metadata=_help("Tỷ lệ cuộc gọi câu hỏi được điện thoại viên trả lời ngay trong cuộc gọi."),
    )
    routed_share: float = field(
        default=0.35,
        metadata=_help("Tỷ lệ phản ánh không trả lời ngay được chuyển cơ quan chuyên môn trả lời."),
    )
    answer_hours: float = field(
        default=6.0,
        metadata=_help("Giờ làm việc trung bình đến khi trả lời một phản ánh không trả lời ngay."),
    )
    ticket_rating_share: float = field(
        default=0.25, metadata=_help("Tỷ lệ phản ánh đã trả lời được người gửi chấm điểm.")
    )
    ticket_decline_share: float = field(
        default=0.05,
        metadata=_help(
            "Tỷ lệ phản ánh, kiến nghị bị từ chối tiếp nhận xử lý (không thuộc thẩm quyền, "
            "nặc danh, đã giải quyết…)."
        ),
    )
    ticket_ask_share: float = field(
        default=0.12,
        metadata=_help("Tỷ lệ phản ánh, kiến nghị phải đề nghị người dân bổ sung, làm rõ."),
    )
    ticket_publish_share: float = field(
        default=0.3,
        metadata=_help("Tỷ lệ phản ánh, kiến nghị đã trả lời được công khai tại trang Hỏi đáp."),
    )
    ticket_ratings: tuple[float, float, float, float, float] = field(
        default=(0.03, 0.05, 0.12, 0.35, 0.45),
        metadata=_help("Tỷ lệ chấm 1, 2, 3, 4, 5 sao, dạng 'a,b,c,d,e'."),
    )

    def validate(self) -> Profile:
        """Refuse figures no province can have (``ValueError`` with the option's name)."""
        for name in (
            "online_share",
            "postal_share",
            "commune_desk_share",
            "province_at_commune_share",
            "business_share",
            "account_share",
            "refusal_share",
            "late_share",
            "apology_share",
            "supplement_share",
            "payment_share",
            "online_payment_share",
            "withdrawal_share",
            "rating_share",
            "weekend_ticket_share",
            "answered_on_call_share",
            "routed_share",
            "ticket_rating_share",
            "ticket_decline_share",
            "ticket_ask_share",
            "ticket_publish_share",
        ):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"--{_option(name)} phải từ 0 đến 1 (đang là {value}).")
        if self.online_share + self.postal_share > 1:
            raise ValueError("--online-share cộng --postal-share không được vượt quá 1.")
        low, high = self.step_pace
        if not 0 < low <= high:
            raise ValueError("--step-pace cần 0 < a ≤ b.")
        for name in ("arrivals_per_day", "tickets_per_day", "procedure_zipf"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{_option(name)} không được âm.")
        return self


def _option(name: str) -> str:
    return name.replace("_", "-")


def _floats(count: int) -> Any:
    def parse(text: str) -> tuple[float, ...]:
        values = tuple(float(part) for part in text.replace(";", ",").split(","))
        if len(values) != count:
            raise argparse.ArgumentTypeError(f"cần {count} số, cách nhau bởi dấu phẩy")
        return values

    return parse


def _weights(text: str) -> dict[str, float]:
    weights = {}
    for part in text.split(","):
        name, _sep, value = part.rpartition("=")
        if not name.strip():
            raise argparse.ArgumentTypeError(f"'{part}' không có dạng tên=tỷ trọng")
        weights[name.strip()] = float(value)
    return weights


def _parser_for(kind: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        return _floats(len(default))
    if isinstance(default, Mapping) or kind == "Mapping[str, float]":
        return _weights
    return float


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One ``--option`` per profile field, with its default in the help."""
    defaults = Profile()
    group = parser.add_argument_group("hồ sơ mô phỏng (mọi con số có mặc định)")
    for spec in fields(Profile):
        default = getattr(defaults, spec.name)
        shown = (
            ",".join(f"{k}={v}" for k, v in default.items())
            if isinstance(default, Mapping)
            else ",".join(str(v) for v in default)
            if isinstance(default, tuple)
            else default
        )
        group.add_argument(
            f"--{_option(spec.name)}",
            dest=spec.name,
            type=_parser_for(spec.type, default),
            default=None,
            # argparse formats help with "%": a literal percent sign is written twice.
            help=f"{spec.metadata['help']} (mặc định: {shown})".replace("%", "%%"),
        )


def from_options(options: Mapping[str, Any]) -> Profile:
    """The profile with every option given on the command line in place of its default."""
    given = {
        spec.name: options[spec.name]
        for spec in fields(Profile)
        if options.get(spec.name) is not None
    }
    return replace(Profile(), **given).validate()
