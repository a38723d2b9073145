"""The desk queue's sweeps (docs/appointments.md "Desk queue"): the windows of the days
ahead (the ``open_desk_queue`` job) and the called numbers nobody came for (the
``expire_queue_calls`` job, and each ``call_next_number``). Both are safe to run twice and
at once: windows are made under the desk's row lock, no-shows with conditional updates."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from motcua.appointments import events
from motcua.appointments.models import Appointment, AppointmentStatus, QueueTicket, TicketState
from motcua.appointments.queue_days import ensure_windows, hours_of, open_days
from motcua.core.actions import now
from motcua.org.models import Desk


def expire_called_numbers(*, desk: Desk | None = None) -> int:
    """Record as no-shows the called numbers nobody came for within their desk's grace (the
    ``expire_queue_calls`` sweep, and each ``call_next_number``); safe to run twice."""
    at = now()
    called = QueueTicket.objects.filter(state=TicketState.CALLED)
    if desk is not None:
        called = called.filter(desk=desk)
    expired = 0
    for desk_id in called.values_list("desk_id", flat=True).distinct():
        grace = hours_of(Desk.objects.get(pk=desk_id)).grace
        ids = list(
            called.filter(desk_id=desk_id, last_called_at__lte=at - grace).values_list(
                "pk", flat=True
            )
        )
        if not ids:
            continue
        with transaction.atomic():
            # The grace is judged again in the update: a recall between the read above and
            # here restarts it, and that number is not a no-show.
            due = QueueTicket.objects.filter(
                pk__in=ids, state=TicketState.CALLED, last_called_at__lte=at - grace
            )
            # Locked, so the rows updated are exactly those whose appointments get the event.
            rows = list(due.select_for_update().values_list("pk", "appointment_id"))
            expired += due.filter(pk__in=[pk for pk, _a in rows]).update(
                state=TicketState.NO_SHOW, finished_at=at
            )
            events.append_many([a for _pk, a in rows], "no_show_sweep", at=at)
            Appointment.objects.filter(
                ticket__pk__in=ids,
                ticket__state=TicketState.NO_SHOW,
                status=AppointmentStatus.BOOKED,
            ).update(status=AppointmentStatus.NO_SHOW)
    return expired


def open_desk_days(*, moment: dt.datetime | None = None) -> int:
    """Make the windows of every active desk's offered days (the ``open_desk_queue`` job);
    the number of windows made. Each desk in a transaction of its own, under its row lock."""
    at = moment or timezone.now()
    made = 0
    for desk in Desk.objects.filter(active=True).order_by("pk"):
        with transaction.atomic():
            Desk.objects.select_for_update().filter(pk=desk.pk).first()
            for day in open_days(desk, at):
                made += ensure_windows(desk, day)
    return made
