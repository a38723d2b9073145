"""Keep last week's Decision 766 scores (``reports/indicators/snapshots.py``): a periodic
job (``PERIODIC_JOBS``), harmless to run again; ``--week 2026-W47`` keeps a given week."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.reports.indicators.periods import PeriodError, parse_period
from motcua.reports.indicators.snapshots import last_full_week, snapshot_week


class Command(BaseCommand):
    help = "Chốt điểm chỉ số QĐ 766 của tuần trước (hoặc của tuần --week)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", help="ví dụ 2026-W47")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["week"]:
            try:
                period = parse_period(options["week"])
            except PeriodError as exc:
                raise CommandError(str(exc)) from exc
            if period.kind != "week":
                raise CommandError("--week: cần một tuần, ví dụ 2026-W47")
        else:
            period = last_full_week(timezone.localdate())
        written = snapshot_week(period)
        self.stdout.write(f"{period.code}: {written} điểm đã chốt")
