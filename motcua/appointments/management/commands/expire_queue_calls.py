"""``manage.py expire_queue_calls``: record as no-shows the called queue numbers nobody came
to the counter for within the desk's grace (docs/appointments.md "Desk queue"); safe to run
twice at once."""

from __future__ import annotations

from motcua.appointments.queue import expire_called_numbers
from motcua.core.commands import PeriodicCommand


class Command(PeriodicCommand):
    help = "Ghi nhận vắng mặt cho số thứ tự đã gọi quá thời gian chờ."

    def run_once(self) -> str:
        return f"Vắng mặt mới: {expire_called_numbers()}."
