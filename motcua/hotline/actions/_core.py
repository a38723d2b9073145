"""What every ticket action does the same way: lock, guard, event, due moment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.chain import append
from motcua.dossiers.actions._core import ActionError, User, invalid
from motcua.hotline.models import (
    DEFAULT_WORKING_HOURS,
    ResponseTime,
    Ticket,
    TicketEvent,
    TicketSequence,
)
from motcua.hotline.status import TRANSITIONS
from motcua.workcalendar.hours import add_working_hours
from motcua.workcalendar.store import calendar_for

__all__ = ["ActionError", "append_event", "ensure", "invalid", "lock", "now"]


def now() -> dt.datetime:
    return timezone.now()


def lock(ticket: Ticket) -> Ticket:
    """The ticket's row, locked until the transaction ends, with its current state."""
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def ensure(ticket: Ticket, action: str) -> str | None:
    """Refuse an action the current status does not allow; return the status it leads to."""
    allowed, target = TRANSITIONS[action]
    if ticket.status not in allowed:
        raise ActionError(
            "invalid_transition",
            _("Phản ánh %(code)s đang ở trạng thái «%(status)s», không thể thực hiện thao tác này.")
            % {"code": ticket.code, "status": ticket.get_status_display()},
            details={"status": ticket.status, "action": action},
        )
    return target


def append_event(
    ticket: Ticket,
    *,
    kind: str,
    actor: User | None,
    at: dt.datetime,
    from_status: str = "",
    to_status: str = "",
    **data: Any,
) -> TicketEvent:
    """Append an event to the ticket's chain (``core.chain.append``)."""
    return append(
        TicketEvent,
        ticket,
        kind=kind,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=to_status,
        data=data,
    )


def response_hours(kind: str) -> Decimal:
    """The working hours the province gives itself to answer a ticket of ``kind``."""
    row = ResponseTime.objects.filter(kind=kind).first()
    return row.working_hours if row is not None else DEFAULT_WORKING_HOURS[kind]


def due_for(ticket: Ticket) -> dt.datetime:
    """Received at + the kind's response time, in the working hours of the responsible agency
    (or of the province while the ticket is still at 1022)."""
    calendar = calendar_for(ticket.agency_id)
    return add_working_hours(
        calendar, ticket.received_at, dt.timedelta(hours=float(response_hours(ticket.kind)))
    )


def next_code(day: dt.date) -> str:
    """``1022-yyMMdd-NNNN``: the day's sequence, safe under concurrent intake (the counter row
    is updated conditionally and held until the caller's transaction ends)."""
    if not TicketSequence.objects.filter(day=day).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                TicketSequence.objects.create(day=day, last=1)
        except IntegrityError:
            TicketSequence.objects.filter(day=day).update(last=F("last") + 1)
    last = TicketSequence.objects.get(day=day).last
    return f"1022-{day:%y%m%d}-{last:04d}"


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid("required", message, field=field)
    return value
