"""A home visit's confirmation and reminders, through the notification outbox
(docs/appointments.md "Confirmation and reminders"; docs/architecture.md rule 7).

Booking writes the confirmation (its change/cancel link sealed, as a verification code is:
the link carries the appointment's token) and two reminder rows, due a day and two hours
before the visit. ``send_due_reminders`` (the periodic job ``send_appointment_reminders``)
turns each due row into an outbox message once: the row moves pending → sent by a
conditional update, and the message's idempotency key names the appointment and the kind,
so a crash, a second worker or a second run sends nothing more. A cancel or an outcome drops
the pending rows; a reschedule moves them. The messages carry no personal data: the
number, the procedure, the moment and the purpose; the address and phone stay here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from motcua.appointments.models import (
    Appointment,
    AppointmentReminder,
    AppointmentStatus,
    Purpose,
    ReminderKind,
    ReminderStatus,
)
from motcua.core.phones import is_mobile
from motcua.notifications.models import Notification, NotificationKind
from motcua.notifications.outbox import notify_person

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# How long before the visit each reminder is due.
OFFSETS: dict[str, dt.timedelta] = {
    ReminderKind.DAY_BEFORE: dt.timedelta(days=1),
    ReminderKind.TWO_HOURS: dt.timedelta(hours=2),
}
_PURPOSE_TEXT = {
    Purpose.SUBMIT: "nhận hồ sơ",
    Purpose.RECEIVE_RESULT: "trả kết quả",
    Purpose.COUNTER: "giao dịch",
}


def when_text(moment: dt.datetime) -> str:
    """``HH:MM ngày dd/mm/yyyy`` in Vietnam's time."""
    return timezone.localtime(moment, VIETNAM).strftime("%H:%M ngày %d/%m/%Y")


def manage_url(token: str) -> str:
    """The signed link of the confirmation: the token only, no personal data."""
    path = reverse("appointments:manage", kwargs={"token": token})
    return f"{settings.MOTCUA_PUBLIC_URL}{path}"


def _context(appointment: Appointment) -> dict[str, str]:
    return {
        "number": str(appointment.pk),
        "when": when_text(appointment.slot.start),
        "purpose": _PURPOSE_TEXT.get(Purpose(appointment.purpose), "giao dịch"),
        # A desk queue number has no procedure; a home visit always has one.
        "procedure": " ".join(appointment.procedure.name.split())[:120]
        if appointment.procedure
        else "",
    }


def _phone(appointment: Appointment) -> str | None:
    return appointment.contact_phone if is_mobile(appointment.contact_phone) else None


def confirm(appointment: Appointment, token: str) -> list[Notification]:
    """The confirmation of a booking (or of a move, with its new token): one message per
    channel the contact gave, the link sealed. Keyed by the token's digest, so the same
    booking never confirms twice."""
    return notify_person(
        recipient_email=appointment.contact_email or None,
        recipient_phone=_phone(appointment),
        kind=NotificationKind.APPOINTMENT_CONFIRMED,
        context=_context(appointment),
        idempotency_key=f"appointment-confirmed:{appointment.cancel_digest}",
        secret=manage_url(token),
    )


def schedule(appointment: Appointment, *, at: dt.datetime) -> None:
    """Write (or move) the reminders of a booked visit: a pending one moves with the visit,
    one already sent stays sent (never two of a kind), one whose moment has passed is not
    written."""
    start = appointment.slot.start
    for kind, offset in OFFSETS.items():
        due = start - offset
        row = AppointmentReminder.objects.filter(appointment=appointment, kind=kind).first()
        if row is None:
            if due > at:
                AppointmentReminder.objects.create(appointment=appointment, kind=kind, due_at=due)
        elif row.status == ReminderStatus.PENDING:
            if due > at:
                AppointmentReminder.objects.filter(pk=row.pk).update(due_at=due)
            else:
                AppointmentReminder.objects.filter(pk=row.pk).update(status=ReminderStatus.DROPPED)
        elif row.status == ReminderStatus.DROPPED and due > at:
            AppointmentReminder.objects.filter(pk=row.pk).update(
                status=ReminderStatus.PENDING, due_at=due
            )


def drop(appointment: Appointment) -> int:
    """Drop the pending reminders of a visit cancelled or already recorded."""
    return AppointmentReminder.objects.filter(
        appointment=appointment, status=ReminderStatus.PENDING
    ).update(status=ReminderStatus.DROPPED)


def send_due_reminders(*, at: dt.datetime | None = None, limit: int = 500) -> int:
    """Turn each reminder due by ``at`` into outbox messages, once; the number sent. Safe to
    run twice and from two workers at once."""
    at = at or timezone.now()
    due = list(
        AppointmentReminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=at)
        .order_by("due_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            claimed = AppointmentReminder.objects.filter(
                pk=pk, status=ReminderStatus.PENDING
            ).update(status=ReminderStatus.SENT, sent_at=at)
            if not claimed:
                continue
            reminder = AppointmentReminder.objects.select_related(
                "appointment__slot", "appointment__procedure"
            ).get(pk=pk)
            appointment = reminder.appointment
            if appointment.status != AppointmentStatus.BOOKED or appointment.slot.start <= at:
                AppointmentReminder.objects.filter(pk=pk).update(
                    status=ReminderStatus.DROPPED, sent_at=None
                )
                continue
            notify_person(
                recipient_email=appointment.contact_email or None,
                recipient_phone=_phone(appointment),
                kind=NotificationKind.APPOINTMENT_REMINDER,
                context=_context(appointment),
                idempotency_key=f"appointment-reminder:{appointment.pk}:{reminder.kind}",
            )
            sent += 1
    return sent
