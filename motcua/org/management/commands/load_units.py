"""``manage.py load_units``: administrative units in both structures, with successions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.org.units import load_units


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính (cấu trúc 3 cấp đến 30/06/2025 và 2 cấp từ 01/07/2025) cùng "
        "quan hệ sắp xếp đơn vị cũ → mới."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help="Chỉ nạp tỉnh có mã này (và các tỉnh hợp nhất với nó); lặp lại được.",
        )

    def handle(self, *args: Any, provinces: list[str] | None, **options: Any) -> None:
        result = load_units(provinces)
        self.stdout.write(
            f"Đơn vị hành chính: thêm {result.units_created}, cập nhật {result.units_updated}; "
            f"quan hệ sắp xếp mới: {result.successions_created}."
        )
