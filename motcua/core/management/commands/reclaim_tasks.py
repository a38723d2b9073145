"""``manage.py reclaim_tasks``: put back in the queue the tasks whose worker died
(``core/task_leases.py``), once or with ``--every SECONDS``; safe to run twice at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from motcua.core.commands import PeriodicCommand
from motcua.core.task_leases import reclaim_running_tasks


class Command(PeriodicCommand):
    help = (
        "Đưa lại vào hàng đợi các tác vụ nền đang chạy quá thời hạn "
        "(TASKS_RUNNING_LEASE_SECONDS) vì tiến trình chạy chúng đã dừng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--lease",
            type=int,
            default=None,
            metavar="SECONDS",
            help="Thời hạn của một lần chạy (mặc định TASKS_RUNNING_LEASE_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lease: int | None = options.pop("lease")
        self.lease = dt.timedelta(seconds=lease) if lease else None
        super().handle(*args, **options)

    def run_once(self) -> str:
        return reclaim_running_tasks(lease_for=self.lease).line()
