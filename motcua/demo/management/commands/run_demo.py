"""``manage.py run_demo [ADDRPORT]``: the demo, as ``make run`` starts it (after installing).

The steps, in order: bring the database schema up to date, seed the demo province with a few
months of simulated history (a no-op the second time), then run the whole platform
(``run_platform``: web, task worker, periodic jobs) until Ctrl-C. ``make run`` and the
browser test that walks a new citizen's first visit (``tests/browser/test_first_run.py``) both
call this one command, so what the test proves is what a newcomer runs.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from motcua.core.management.commands.run_platform import DEFAULT_ADDRESS, address_of

# The months of history the first run simulates (demo/history.py): about 90 days keep the
# first ``make run`` within about two minutes.
HISTORY_DAYS = 90


def prepare(history_days: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What runs before the platform starts, in order: (command, arguments)."""
    return (
        ("migrate", ("--noinput",)),
        ("seed_demo", ("--history-days", str(history_days))),
    )


class Command(BaseCommand):
    help = "Chạy bản trình diễn: cập nhật cơ sở dữ liệu, tạo tỉnh mẫu, rồi chạy cả hệ thống."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRESS)
        parser.add_argument(
            "--history-days",
            type=int,
            default=HISTORY_DAYS,
            help=f"Số ngày lịch sử mô phỏng ở lần chạy đầu (mặc định {HISTORY_DAYS}; 0: không).",
        )

    def handle(self, *args: Any, addrport: str, history_days: int, **options: Any) -> None:
        address = address_of(addrport)
        for name, arguments in prepare(history_days):
            call_command(name, *arguments, stdout=self.stdout, stderr=self.stderr)
        base = f"http://{address}"
        self.stdout.write(
            f"motcua: {base}/  (cán bộ: {base}/dang-nhap/, quản trị: {base}/admin/, "
            f"API: {base}/api/v1/docs)"
        )
        call_command("run_platform", address)
