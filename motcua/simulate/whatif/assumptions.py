"""The assumptions written next to the figures, in Vietnamese, each with its value and its
source: the history, a default, the proposal."""

from __future__ import annotations

from decimal import Decimal

from motcua.dossiers.clock import FAST_TRACK_HOURS
from motcua.simulate.whatif.model import (
    CHANNEL_NAMES,
    DEFAULT,
    HISTORY,
    PROPOSAL,
    UNIT_NAMES,
    Calibration,
    Parameters,
    Reform,
    Scenario,
)
from motcua.workcalendar.deadlines import TimeUnit


# Assumptions, in Vietnamese, with the numbers used
def _pct(share: float) -> str:
    return f"{share * 100:.1f}%".replace(".", ",")


def _num(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _vnd(amount: int) -> str:
    return f"{amount:,} đồng".replace(",", ".")


def _time(stated: tuple[Decimal, str] | None) -> str:
    if stated is None:
        return "không quy định"
    value, unit = stated
    return f"{_num(float(value), 2).rstrip('0').rstrip(',')} {UNIT_NAMES.get(TimeUnit(unit), unit)}"


def assumptions(
    calibration: Calibration,
    reform: Reform,
    parameters: Parameters,
    base: Scenario,
    changed: Scenario,
) -> list[str]:
    """Every figure the model used, with its value and its source (history / default /
    proposal)."""
    c = calibration
    window = f"{c.start:%d/%m/%Y}–{c.end:%d/%m/%Y}"
    lines = [
        f"Thủ tục {c.procedure_code} – {c.procedure_name}; khoảng thời gian {window} "
        f"({(c.end - c.start).days + 1} ngày, {c.working_days} ngày làm việc); cùng một hạt "
        "giống cho cả hai kịch bản, nên chênh lệch là do thay đổi, không do ngẫu nhiên.",
    ]
    if c.per_working_day_source == HISTORY:
        lines.append(
            f"Số hồ sơ: {_num(c.per_working_day, 2)} hồ sơ/ngày làm việc ({HISTORY}: "
            f"{c.received} hồ sơ tiếp nhận trong khoảng), mỗi ngày dao động ±20%."
        )
    else:
        lines.append(
            f"Số hồ sơ: {_num(c.per_working_day, 2)} hồ sơ/ngày làm việc ({DEFAULT}: chưa có "
            "hồ sơ nào trong khoảng; lấy phần của thủ tục trong "
            f"{_num(c.profile.arrivals_per_day, 0)} hồ sơ/ngày làm việc của toàn tỉnh theo độ "
            "phổ biến của mô phỏng)."
        )
    shares = ", ".join(
        f"{CHANNEL_NAMES[k]} {_pct(c.channel_shares.get(k, 0))}" for k in CHANNEL_NAMES
    )
    thin = (
        ""
        if c.channel_source == HISTORY
        else f": chỉ có {c.received} hồ sơ, dưới ngưỡng {parameters.min_history}"
    )
    lines.append(f"Kênh nộp trước thay đổi: {shares} ({c.channel_source}{thin}).")
    if reform.online_share is not None:
        new = ", ".join(
            f"{CHANNEL_NAMES[k]} {_pct(changed.shares.get(k, 0))}" for k in CHANNEL_NAMES
        )
        lines.append(
            f"Kênh nộp sau thay đổi: {new} ({PROPOSAL}: {_pct(reform.online_share)} trực tuyến; "
            "các kênh còn lại giữ tỷ lệ với nhau)."
        )
    times = sorted({_time(t) for t in c.times.values()}) or ["không quy định"]
    new_times = sorted({_time(t) for t in changed.times.values()}) or ["không quy định"]
    if c.fast_track:
        lines.append(
            f"Thủ tục giải quyết 4 tại chỗ: hạn {int(FAST_TRACK_HOURS)} giờ làm việc ở cả hai "
            "kịch bản."
        )
    else:
        lines.append(f"Thời hạn giải quyết hiện hành: {', '.join(times)} (danh mục thủ tục).")
        if reform.time_value is not None:
            lines.append(
                f"Thời hạn giải quyết mới: {', '.join(new_times)} ({PROPOSAL}), áp cho mọi "
                "kênh nộp, tính từ lúc tiếp nhận theo lịch làm việc của cơ quan giải quyết."
            )
    if c.work_hours:
        work = sorted(c.work_hours)
        median = work[len(work) // 2]
        p90 = work[min(len(work) - 1, int(len(work) * 0.9))]
        lines.append(
            f"Thời gian xử lý thực tế của mỗi hồ sơ (giờ làm việc từ tiếp nhận đến có kết quả, "
            f"không tính tạm dừng; tổng các bước): rút ngẫu nhiên từ {len(work)} hồ sơ đã có "
            f"kết quả ({HISTORY}; trung vị {_num(median)} giờ, 90% dưới {_num(p90)} giờ)."
        )
    else:
        low, high = c.profile.step_pace
        lines.append(
            f"Thời gian xử lý thực tế ({DEFAULT}: chưa đủ {parameters.min_history} hồ sơ có "
            f"kết quả trong khoảng): {_num(low, 2)}–{_num(high, 2)} thời hạn hiện hành; "
            f"{_pct(c.profile.late_share)} hồ sơ quá hạn khoảng {_num(c.profile.late_hours, 0)} "
            "giờ làm việc."
        )
    lines.append(
        "Quy định không rút ngắn công việc: mỗi hồ sơ cần cùng số giờ làm việc ở cả hai kịch "
        "bản; hồ sơ quá hạn khi số giờ đó vượt thời gian thời hạn cho phép kể từ lúc tiếp nhận."
    )
    if parameters.pace_limit > 0:
        lines.append(
            f"Cán bộ tăng nhịp với hồ sơ mà thời hạn mới làm quá hạn: rút tối đa "
            f"{_pct(parameters.pace_limit)} thời gian xử lý, không nhanh hơn mức vừa kịp hạn "
            f"({DEFAULT} của mô hình)."
        )
    else:
        lines.append(
            f"Không giả định cán bộ làm nhanh hơn vì thời hạn ngắn hơn (mức tăng nhịp 0%, "
            f"{DEFAULT}); kết quả là cận dưới của tỷ lệ đúng hạn."
        )
    if c.finished:
        lines.append(
            f"Đối chiếu: trong lịch sử {c.late_observed}/{c.finished} hồ sơ có kết quả bị quá "
            f"hạn ({_pct(c.late_share_observed or 0)})."
        )
    lines.append(f"Tỷ lệ hồ sơ phải bổ sung: {_pct(c.supplement_share)} ({c.supplement_source}).")
    if reform.documents_removed:
        if c.documents_required:
            lines.append(
                f"Cắt giảm {reform.documents_removed}/{c.documents_required} giấy tờ bắt buộc "
                f"({PROPOSAL}; số giấy tờ theo danh mục): số yêu cầu bổ sung giảm cùng tỷ lệ, "
                f"còn {_pct(changed.supplement_share)}."
            )
        else:
            lines.append(
                f"Cắt giảm {reform.documents_removed} giấy tờ ({PROPOSAL}) nhưng danh mục không "
                "ghi giấy tờ bắt buộc nào: không tính giảm yêu cầu bổ sung."
            )
    if c.supplement_waits:
        waits = c.supplement_waits
        lines.append(
            f"Thời gian người dân bổ sung giấy tờ: rút từ {len(waits)} lần bổ sung ({HISTORY}; "
            f"trung vị {_num(waits[len(waits) // 2])} giờ làm việc); không tính vào thời hạn."
        )
    else:
        lines.append(
            f"Thời gian người dân bổ sung giấy tờ: trung bình {_num(c.supplement_wait_mean)} "
            f"giờ làm việc ({DEFAULT}); không tính vào thời hạn."
        )
    lines += [
        f"Giờ của người dân mỗi lần thực hiện (các bước tuân thủ): trước "
        f"{_num(float(reform.citizen_hours_before), 2)} giờ, sau "
        f"{_num(float(reform.citizen_hours_after), 2)} giờ ({PROPOSAL}).",
        f"Đi lại, chờ đợi để nộp tại bộ phận một cửa: {_num(parameters.desk_trip_hours)} giờ "
        f"mỗi lần; nộp qua bưu chính: {_num(parameters.postal_trip_hours)} giờ; nộp trực "
        f"tuyến: 0 giờ ({DEFAULT}).",
        f"Mỗi lần bổ sung: thêm một lần đến bộ phận một cửa ({_num(parameters.desk_trip_hours)}"
        f" giờ), hoặc {_num(parameters.online_supplement_hours)} giờ nếu nộp trực tuyến; "
        f"cán bộ mất {_num(parameters.supplement_staff_hours)} giờ cho mỗi yêu cầu bổ sung "
        f"({DEFAULT}).",
        f"Chi phí tuân thủ mỗi lần thực hiện: trước {_vnd(reform.cost_before_vnd)}, sau "
        f"{_vnd(reform.cost_after_vnd)} ({PROPOSAL}); tổng = số hồ sơ × chi phí.",
        "Giờ cán bộ: tổng giờ làm việc hồ sơ nằm ở các bước xử lý (không tính tạm dừng) cộng "
        "thời gian xử lý yêu cầu bổ sung; là thời gian hồ sơ ở trong tay cán bộ, không phải "
        "giờ công thuần.",
        "Không mô hình hóa: từ chối tiếp nhận, rút hồ sơ, thay đổi số hồ sơ do cải cách; mọi "
        "hồ sơ tiếp nhận trong khoảng đều được giải quyết đến khi có kết quả.",
    ]
    return lines
