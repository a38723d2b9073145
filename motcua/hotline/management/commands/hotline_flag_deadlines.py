"""``manage.py hotline_flag_deadlines``: flag tickets near due and overdue, escalating each
overdue ticket once; safe to run twice at once."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.hotline.deadlines import flag_tickets


class Command(BaseCommand):
    help = "Đánh dấu phản ánh sắp đến hạn, quá hạn và nhắc lãnh đạo phản ánh quá hạn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Chạy lặp lại sau mỗi khoảng thời gian này (dùng khi chạy như một dịch vụ).",
        )

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        while True:
            report = flag_tickets()
            self.stdout.write(
                f"Quá hạn mới: {report.overdue} (đã nhắc {report.escalated}); "
                f"sắp đến hạn mới: {report.near_due}."
            )
            if every <= 0:
                return
            time.sleep(every)
