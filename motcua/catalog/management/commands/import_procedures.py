"""``manage.py import_procedures FILE``: load a national catalogue export (JSONL, CSV, XLSX)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.catalog.importer import import_records
from motcua.catalog.importing.readers import ImportFileError, read_records


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục hành chính từ tệp xuất của Cổng DVC quốc gia (JSONL, CSV, XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--no-progress", action="store_true", help="Không hiện thanh tiến trình."
        )

    def handle(self, *args: Any, file: Path, no_progress: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        started = time.monotonic()
        show = not no_progress and options.get("verbosity", 1) > 0
        with tqdm(desc="Nhập thủ tục", unit=" bản ghi", disable=not show) as bar:
            try:
                report = import_records(read_records(file), on_record=lambda: bar.update(1))
            except ImportFileError as exc:
                raise CommandError(f"{exc} Không có dữ liệu nào được ghi.") from exc
        for line in report.lines(time.monotonic() - started, warn=self.style.WARNING):
            self.stdout.write(line)
