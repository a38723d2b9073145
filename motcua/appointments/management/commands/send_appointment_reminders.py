"""``manage.py send_appointment_reminders``: write the home visits' reminders that are due
into the notification outbox, once each (docs/appointments.md "Confirmation and
reminders"). A periodic job (``PERIODIC_JOBS``); several may run at once."""

from __future__ import annotations

from motcua.appointments.reminders import send_due_reminders
from motcua.core.commands import PeriodicCommand


class Command(PeriodicCommand):
    help = "Gửi nhắc lịch hẹn tại nhà đến hạn (qua hộp thư đi)."

    def run_once(self) -> str:
        return f"sent={send_due_reminders()}"
