"""Apply the procedure versions whose date has come (``catalog/versions.py``): a periodic job
(``PERIODIC_JOBS``), harmless to run again; ``--day 2026-12-31`` applies those due by then."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.versions import bring_into_force, today


class Command(BaseCommand):
    help = "Áp dụng các lần sửa đổi thủ tục hành chính đã đến ngày có hiệu lực."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="ngày, dạng YYYY-MM-DD (mặc định: hôm nay)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = today()
        if options["day"]:
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError("--day: cần một ngày dạng YYYY-MM-DD") from exc
            if day > today():
                raise CommandError("--day: không áp dụng trước ngày có hiệu lực")
        applied = bring_into_force(day=day)
        self.stdout.write(f"{day.strftime('%d/%m/%Y')}: {applied} lần sửa đổi đã áp dụng")
