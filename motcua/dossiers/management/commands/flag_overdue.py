"""``manage.py flag_overdue``: flag dossiers near due and overdue; safe to run twice at once."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.deadlines import flag_deadlines


class Command(BaseCommand):
    help = "Đánh dấu hồ sơ sắp đến hạn và quá hạn."

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
            flagged = flag_deadlines()
            self.stdout.write(
                f"Quá hạn mới: {flagged.overdue}; sắp đến hạn mới: {flagged.near_due}."
            )
            if every <= 0:
                return
            time.sleep(every)
