"""Commands that run once, or as a service with ``--every SECONDS`` (the periodic sweeps:
deadline flags, outboxes)."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class PeriodicCommand(BaseCommand, ABC):
    """Subclasses implement ``run_once`` returning the line to print after each round."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Chạy lặp lại sau mỗi khoảng thời gian này (dùng khi chạy như một dịch vụ).",
        )

    @abstractmethod
    def run_once(self) -> str:
        """One round of the sweep; the line to print about it."""

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        while True:
            self.stdout.write(self.run_once())
            if every <= 0:
                return
            time.sleep(every)
