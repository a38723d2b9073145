"""``manage.py open_desk_queue``: make the desk queue's windows of every active desk for
today and the days up to its horizon (docs/appointments.md "Desk queue"); safe to run twice."""

from __future__ import annotations

from motcua.appointments.queue import open_desk_days
from motcua.core.commands import PeriodicCommand


class Command(PeriodicCommand):
    help = "Tạo các khung giờ lấy số thứ tự tại quầy cho những ngày sắp tới."

    def run_once(self) -> str:
        return f"Khung giờ mới: {open_desk_days()}."
