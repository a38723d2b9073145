"""``manage.py hotline_flag_deadlines``: flag tickets near due and overdue, escalating each
overdue ticket once; safe to run twice at once."""

from __future__ import annotations

from motcua.core.commands import PeriodicCommand
from motcua.hotline.deadlines import flag_tickets


class Command(PeriodicCommand):
    help = "Đánh dấu phản ánh sắp đến hạn, quá hạn và nhắc lãnh đạo phản ánh quá hạn."

    def run_once(self) -> str:
        report = flag_tickets()
        return (
            f"Quá hạn mới: {report.overdue} (đã nhắc {report.escalated}); "
            f"sắp đến hạn mới: {report.near_due}."
        )
