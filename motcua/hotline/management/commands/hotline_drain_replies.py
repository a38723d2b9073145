"""``manage.py hotline_drain_replies``: deliver the hotline replies that are due (retries,
replies whose task was lost, rows of a worker that died)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.hotline.replies import drain


class Command(BaseCommand):
    help = "Gửi các câu trả lời phản ánh đến hạn gửi (gửi lại, gửi bị gián đoạn)."

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
            counts = drain()
            self.stdout.write(
                f"Đã gửi {counts['sent']}, chờ gửi lại {counts['retrying']}, "
                f"lỗi {counts['failed']}, bỏ dở {counts['abandoned']}."
            )
            if every <= 0:
                return
            time.sleep(every)
