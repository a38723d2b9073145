"""``manage.py flag_overdue``: flag dossiers near due and overdue; safe to run twice at once."""

from __future__ import annotations

from motcua.core.commands import PeriodicCommand
from motcua.dossiers.deadlines import flag_deadlines


class Command(PeriodicCommand):
    help = "Đánh dấu hồ sơ sắp đến hạn và quá hạn."

    def run_once(self) -> str:
        flagged = flag_deadlines()
        return f"Quá hạn mới: {flagged.overdue}; sắp đến hạn mới: {flagged.near_due}."
