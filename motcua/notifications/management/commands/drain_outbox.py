"""``manage.py drain_outbox``: send every notification that is due, once or in a loop.

Run it from cron or a systemd timer (or ``--every 60`` as a small service); several may run
at once, since every row is claimed before it is sent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from motcua.core.commands import PeriodicCommand
from motcua.core.outbox.engine import DRAIN_BATCH
from motcua.notifications.delivery import drain


class Command(PeriodicCommand):
    help = "Gửi các thông báo đến hạn gửi (kể cả gửi lại sau lỗi)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--limit", type=int, default=DRAIN_BATCH, help="rows per sweep")

    def handle(self, *args: Any, **options: Any) -> None:
        self.limit: int = options.pop("limit")
        super().handle(*args, **options)

    def run_once(self) -> str:
        return " ".join(f"{k}={v}" for k, v in drain(limit=self.limit).as_dict().items())
