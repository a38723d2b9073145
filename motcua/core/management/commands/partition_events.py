"""``manage.py partition_events [--convert] [--check] [--ahead N] [--width N]``: event tables
partitioned by their record's id on PostgreSQL (docs/decisions/partitions.md).

Without options it creates the partitions ahead of the record ids handed out, on the tables
already partitioned (daily from cron, or ``PERIODIC_JOBS=partition_events=86400`` where the
application's role owns the tables); ``--convert`` first turns each table that is not
partitioned yet into a partitioned one, one transaction per table; ``--check`` changes
nothing and exits non-zero when a table is not partitioned or has fewer partitions ahead than
``--ahead``. Run it with the role that owns the tables.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from motcua.core import partitions
from motcua.core.partitions import PartitionError, TableState


class Command(BaseCommand):
    help = _(
        "Phân vùng các bảng nhật ký (sự kiện) theo mã hồ sơ, phản ánh trên PostgreSQL và tạo"
        " trước các phân vùng sắp dùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--convert",
            action="store_true",
            help=_("Chuyển bảng chưa phân vùng thành bảng phân vùng (giữ nguyên dữ liệu)."),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Chỉ kiểm tra, không thay đổi gì; lỗi nếu thiếu phân vùng chờ sẵn."),
        )
        parser.add_argument(
            "--ahead",
            type=int,
            default=partitions.DEFAULT_AHEAD,
            help=_("Số phân vùng trống giữ sẵn sau mã mới nhất (mặc định %(default)s)."),
        )
        parser.add_argument(
            "--width",
            type=int,
            default=None,
            help=_("Số mã hồ sơ mỗi phân vùng (mặc định: như phân vùng cuối; khi chuyển đổi: %s).")
            % f"{partitions.DEFAULT_WIDTH:,}".replace(",", "."),
        )

    def handle(
        self, *args: Any, convert: bool, check: bool, ahead: int, width: int | None, **options: Any
    ) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                _(
                    "Chỉ PostgreSQL mới phân vùng được bảng nhật ký; cơ sở dữ liệu đang dùng là"
                    " %(vendor)s (dùng cho phát triển, không cần phân vùng)."
                )
                % {"vendor": connection.vendor}
            )
        if convert and check:
            raise CommandError(_("Chọn --convert hoặc --check, không chọn cả hai."))
        problems = []
        for table in partitions.event_tables():
            try:
                with transaction.atomic():
                    now = self._one(table, convert=convert, check=check, ahead=ahead, width=width)
            except PartitionError as exc:
                raise CommandError(str(exc)) from exc
            except OperationalError as exc:  # the lock was not granted in time
                raise CommandError(
                    _("%(table)s đang bận, chưa tạo được phân vùng; chạy lại sau: %(error)s")
                    % {"table": table.table, "error": exc}
                ) from exc
            self.stdout.write(self._describe(now))
            if not now.partitioned:
                problems.append(_("%(table)s chưa phân vùng") % {"table": table.table})
            elif now.ahead < ahead:
                problems.append(
                    _("%(table)s chỉ còn %(n)s phân vùng chờ sẵn")
                    % {"table": table.table, "n": now.ahead}
                )
        if check and problems:
            raise CommandError("; ".join(problems))

    def _one(
        self,
        table: partitions.EventTable,
        *,
        convert: bool,
        check: bool,
        ahead: int,
        width: int | None,
    ) -> TableState:
        now = partitions.state(table)
        if check:
            return now
        if not now.partitioned:
            if not convert:
                return now
            return partitions.convert(table, width=width or partitions.DEFAULT_WIDTH, ahead=ahead)
        created = partitions.extend(table, width=width, ahead=ahead)
        if created:
            self.stdout.write(_("Đã tạo: %(names)s") % {"names": ", ".join(created)})
        return partitions.state(table)

    def _describe(self, now: TableState) -> str:
        table = now.table.table
        if not now.partitioned:
            return _("%(table)s: chưa phân vùng (chạy với --convert).") % {"table": table}
        return _(
            "%(table)s: phân vùng theo %(key)s, %(count)s phân vùng, %(ahead)s phân vùng chờ"
            " sẵn sau mã mới nhất %(newest)s."
        ) % {
            "table": table,
            "key": now.table.key,
            "count": len(now.partitions),
            "ahead": now.ahead,
            "newest": now.newest_id,
        }
