"""``manage.py simulate``: a province's history, planned from a seed and written through the
real actions or, for volume, straight into the tables (docs/simulate.md)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from motcua.simulate.bulk.run import BulkProgress
from motcua.simulate.models import SimulationRun
from motcua.simulate.profile import Profile, add_arguments, from_options
from motcua.simulate.runs import RealDataError, simulate
from motcua.simulate.through_actions import Progress


def _date(text: str) -> dt.date:
    for shape in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, shape).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(text)


def span_for(dossiers: int, profile: Profile) -> tuple[dt.date, int]:
    """The calendar days that bring about ``dossiers`` at the profile's arrivals (five
    working days in seven), ending yesterday."""
    if dossiers <= 0 or profile.arrivals_per_day <= 0:
        raise CommandError("--dossiers và --arrivals-per-day phải lớn hơn 0.")
    days = math.ceil(dossiers / profile.arrivals_per_day * 7 / 5)
    return timezone.localdate() - dt.timedelta(days=days), days


class Command(BaseCommand):
    help = "Mô phỏng hoạt động của tỉnh: hồ sơ và phản ánh 1022 trong một khoảng ngày."

    def add_arguments(self, parser: CommandParser) -> None:
        modes = parser.add_mutually_exclusive_group(required=True)
        modes.add_argument(
            "--through-actions",
            dest="mode",
            action="store_const",
            const="through_actions",
            help="Ghi mọi thay đổi qua các thao tác thật, theo đồng hồ mô phỏng.",
        )
        modes.add_argument(
            "--bulk",
            dest="mode",
            action="store_const",
            const="bulk",
            help=(
                "Ghi thẳng các dòng mà các thao tác sẽ ghi (COPY trên PostgreSQL), theo từng "
                "lô: cho khối lượng lớn (hàng triệu hồ sơ)."
            ),
        )
        parser.add_argument("--start", type=_date, help="Ngày đầu (dd/mm/yyyy).")
        parser.add_argument("--days", type=int, help="Số ngày (theo lịch).")
        parser.add_argument(
            "--dossiers",
            type=int,
            help=(
                "Thay cho --start và --days: khoảng bao nhiêu hồ sơ, với số ngày làm việc "
                "theo --arrivals-per-day, kết thúc hôm qua."
            ),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Hạt giống ngẫu nhiên (mặc định 1)."
        )
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Chạy cả khi cơ sở dữ liệu đã có hồ sơ, phản ánh không do mô phỏng tạo ra.",
        )
        parser.add_argument(
            "--allow-real-sms",
            action="store_true",
            help="Mô phỏng qua các thao tác cả khi SMS gửi qua nhà mạng thật.",
        )
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            profile = from_options(options)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["dossiers"] is not None:
            options["start"], options["days"] = span_for(options["dossiers"], profile)
        if options["start"] is None or options["days"] is None:
            raise CommandError("Cần --start và --days (hoặc --dossiers).")
        if options["days"] <= 0:
            raise CommandError("--days phải lớn hơn 0.")
        bar = tqdm(total=options["days"], unit=" ngày", disable=options["verbosity"] == 0)
        shown = {"days": 0}

        def tick(progress: Progress) -> None:
            new_day = progress.days > shown["days"]
            if new_day:
                bar.update(progress.days - shown["days"])
                shown["days"] = progress.days
            if new_day or progress.changes % 50 == 0:
                bar.set_postfix(
                    hồ_sơ=progress.dossiers, phản_ánh=progress.tickets, thay_đổi=progress.changes
                )

        try:
            run, progress = simulate(
                mode=options["mode"],
                start=options["start"],
                days=options["days"],
                seed=options["seed"],
                profile=profile,
                allow_real_data=options["allow_real_data"],
                allow_real_sms=options["allow_real_sms"],
                tick=tick,
            )
        except RealDataError as exc:
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt:
            bar.close()
            stopped = SimulationRun.objects.order_by("-pk").first()
            if stopped is not None:
                self.stdout.write(
                    f"Đã dừng (lần mô phỏng {stopped.pk}): {stopped.dossiers} hồ sơ, "
                    f"{stopped.tickets} phản ánh, {stopped.changes} thay đổi đã ghi trọn vẹn; "
                    "dữ liệu nhất quán."
                )
            return
        bar.update(options["days"] - shown["days"])
        bar.close()
        self.stdout.write(
            f"Lần mô phỏng {run.pk}: {run.dossiers} hồ sơ, {run.tickets} phản ánh, "
            f"{run.changes} thay đổi trong {progress.days} ngày."
        )
        if isinstance(progress, BulkProgress):
            self.stdout.write(
                f"{progress.rows} dòng trong {progress.seconds:.1f} giây: "
                f"{progress.rows_per_s:,.0f} dòng/giây.".replace(",", ".")
            )
        if progress.mismatches:
            self.stderr.write(f"{len(progress.mismatches)} chỗ thao tác thật khác kế hoạch, ví dụ:")
            for line in progress.mismatches[:5]:
                self.stderr.write(f"  {line}")
