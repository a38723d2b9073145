"""``manage.py run_demo [ADDRPORT]``: the demo, as ``make run`` starts it (after installing).

The steps, in order: bring the database schema up to date, seed the demo province (a no-op
the second time), then run the whole platform (``run_platform``: web, task worker, periodic
jobs) until Ctrl-C. ``make run`` and the browser test that walks a new citizen's first visit
(``tests/browser/test_first_run.py``) both call this one command, so what the test proves is
what a newcomer runs.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from motcua.core.management.commands.run_platform import DEFAULT_ADDRESS, address_of

# What runs before the platform starts: (command, arguments). A step that adds the demo's
# history belongs here, after the seed, so make run and the browser test both get it.
PREPARE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("migrate", ("--noinput",)),
    ("seed_demo", ()),
)


class Command(BaseCommand):
    help = "Chạy bản trình diễn: cập nhật cơ sở dữ liệu, tạo tỉnh mẫu, rồi chạy cả hệ thống."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRESS)

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        address = address_of(addrport)
        for name, arguments in PREPARE:
            call_command(name, *arguments, stdout=self.stdout, stderr=self.stderr)
        base = f"http://{address}"
        self.stdout.write(
            f"motcua: {base}/  (cán bộ: {base}/dang-nhap/, quản trị: {base}/admin/, "
            f"API: {base}/api/v1/docs)"
        )
        call_command("run_platform", address)
