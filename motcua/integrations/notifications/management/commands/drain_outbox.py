"""``manage.py drain_outbox``: send every notification that is due, once or in a loop.

Run it from cron or a systemd timer (or ``--every 60`` as a small service); several may run
at once, since every row is claimed before it is sent.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.integrations.notifications.delivery import DRAIN_BATCH, drain


class Command(BaseCommand):
    help = "Gửi các thông báo đến hạn gửi (kể cả gửi lại sau lỗi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=DRAIN_BATCH, help="rows per sweep")
        parser.add_argument(
            "--every", type=int, default=0, help="repeat every N seconds until interrupted"
        )

    def handle(self, *args: Any, limit: int, every: int, **options: Any) -> None:
        while True:
            report = drain(limit=limit)
            self.stdout.write(" ".join(f"{k}={v}" for k, v in report.as_dict().items()))
            if every <= 0:
                return
            time.sleep(every)
