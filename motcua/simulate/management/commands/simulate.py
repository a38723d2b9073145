"""``manage.py simulate``: a province's history, planned from a seed and written through the
real actions (docs/simulate.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.simulate.models import SimulationRun
from motcua.simulate.profile import add_arguments, from_options
from motcua.simulate.runs import RealDataError, simulate
from motcua.simulate.through_actions import Progress


def _date(text: str) -> dt.date:
    for shape in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, shape).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(text)


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
        parser.add_argument("--start", type=_date, required=True, help="Ngày đầu (dd/mm/yyyy).")
        parser.add_argument("--days", type=int, required=True, help="Số ngày (theo lịch).")
        parser.add_argument(
            "--seed", type=int, default=1, help="Hạt giống ngẫu nhiên (mặc định 1)."
        )
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Chạy cả khi cơ sở dữ liệu đã có hồ sơ, phản ánh không do mô phỏng tạo ra.",
        )
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] <= 0:
            raise CommandError("--days phải lớn hơn 0.")
        try:
            profile = from_options(options)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        bar = tqdm(total=options["days"], unit=" ngày", disable=options["verbosity"] == 0)
        shown = {"days": 0}

        def tick(progress: Progress) -> None:
            if progress.days > shown["days"]:
                bar.update(progress.days - shown["days"])
                shown["days"] = progress.days
            if progress.changes % 50 == 0:
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
        if progress.mismatches:
            self.stderr.write(f"{len(progress.mismatches)} chỗ thao tác thật khác kế hoạch, ví dụ:")
            for line in progress.mismatches[:5]:
                self.stderr.write(f"  {line}")
