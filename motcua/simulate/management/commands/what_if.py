"""``manage.py what_if``: the what-if of a reform of one procedure, for operators: the
figures of the last year as it is and with the change, and the assumptions behind them
(docs/simulate.md "What-if of a reform"). Reads the history; writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.models import Procedure
from motcua.simulate.whatif import Figures, Parameters, Reform, WhatIf, what_if


def _date(text: str) -> dt.date:
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, shape).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(text)


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def _number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


ROWS: tuple[tuple[str, str, int], ...] = (
    # label, Figures field, digits (-1: a share shown in per cent)
    ("Số hồ sơ", "dossiers", 0),
    ("Tỷ lệ đúng hạn", "on_time_rate", -1),
    ("Hồ sơ quá hạn", "late", 0),
    ("Thời gian giải quyết bình quân (ngày làm việc)", "average_processing_days", 2),
    ("Thời gian chờ kết quả bình quân (ngày làm việc)", "average_waiting_days", 2),
    ("Hồ sơ phải bổ sung", "supplements", 0),
    ("Hồ sơ nộp trực tuyến", "online", 0),
    ("Giờ của người dân", "citizen_hours", 0),
    ("Giờ cán bộ (hồ sơ trong tay cán bộ)", "staff_hours", 0),
    ("Chi phí tuân thủ (đồng)", "compliance_cost_vnd", 0),
)


def _shown(figures: Figures, name: str, digits: int) -> str:
    value = getattr(figures, name)
    if digits < 0:
        return f"{_number(value * 100, 1)}%"
    return _number(float(value), digits)


def report(result: WhatIf) -> str:
    """The figures side by side and the assumptions, in Vietnamese."""
    lines = [
        f"Đánh giá tác động giả định: {result.procedure_code} – {result.procedure_name}",
        f"Khoảng thời gian {result.start:%d/%m/%Y}–{result.end:%d/%m/%Y}, hạt giống "
        f"{result.seed}, tính trong {_number(result.elapsed_seconds, 2)} giây.",
        "",
        f"{'':<50}{'Hiện tại':>16}{'Sau thay đổi':>16}",
    ]
    for label, name, digits in ROWS:
        lines.append(
            f"{label:<50}{_shown(result.baseline, name, digits):>16}"
            f"{_shown(result.changed, name, digits):>16}"
        )
    lines += [
        "",
        f"Giờ người dân tiết kiệm: {_number(result.citizen_hours_saved, 0)} giờ; chi phí tuân "
        f"thủ tiết kiệm: {_number(result.compliance_cost_saved_vnd, 0)} đồng.",
        "",
        "Giả định:",
        *(f"- {line}" for line in result.assumptions),
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Đánh giá tác động giả định của một phương án đơn giản hóa thủ tục: chạy lại một năm "
        "hồ sơ của thủ tục với thay đổi và so sánh (không ghi dữ liệu)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--procedure", required=True, help="Mã thủ tục (theo danh mục).")
        parser.add_argument(
            "--time",
            type=_decimal,
            help="Thời hạn giải quyết mới, theo đơn vị của thủ tục (bỏ trống: giữ nguyên).",
        )
        parser.add_argument(
            "--online-share", type=float, help="Tỷ lệ nộp trực tuyến sau thay đổi (0–1)."
        )
        parser.add_argument(
            "--documents-removed", type=int, default=0, help="Số giấy tờ không còn phải nộp."
        )
        parser.add_argument(
            "--citizen-hours",
            type=_decimal,
            nargs=2,
            metavar=("TRUOC", "SAU"),
            default=(Decimal(0), Decimal(0)),
            help="Giờ của người dân mỗi lần thực hiện, trước và sau.",
        )
        parser.add_argument(
            "--cost",
            type=int,
            nargs=2,
            metavar=("TRUOC", "SAU"),
            default=(0, 0),
            help="Chi phí tuân thủ mỗi lần thực hiện (đồng), trước và sau.",
        )
        parser.add_argument(
            "--end", type=_date, help="Ngày cuối (YYYY-MM-DD hoặc dd/mm/yyyy; mặc định hôm nay)."
        )
        parser.add_argument("--days", type=int, default=365, help="Số ngày (mặc định 365).")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống (mặc định 1).")
        parser.add_argument(
            "--pace-limit",
            type=float,
            default=0.0,
            help="Cán bộ rút tối đa tỷ lệ này thời gian xử lý hồ sơ sắp quá hạn (mặc định 0).",
        )
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        procedure = Procedure.objects.filter(code=options["procedure"]).first()
        if procedure is None:
            raise CommandError(f"Không có thủ tục mã {options['procedure']}.")
        before, after = options["citizen_hours"]
        cost_before, cost_after = options["cost"]
        reform = Reform(
            procedure_id=procedure.pk,
            time_value=options["time"],
            online_share=options["online_share"],
            documents_removed=options["documents_removed"],
            citizen_hours_before=before,
            citizen_hours_after=after,
            cost_before_vnd=cost_before,
            cost_after_vnd=cost_after,
        )
        try:
            result = what_if(
                reform,
                end=options["end"],
                days=options["days"],
                seed=options["seed"],
                parameters=Parameters(pace_limit=options["pace_limit"]),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(report(result))
