"""A ticket's due moment: received at + the response time the province gives itself for the
ticket's kind, in working hours (docs/decisions/hotline.md). The job that flags and escalates
tickets near and past it is ``deadlines.py``. And the working time it took to answer, measured
once, when the first answer is given (docs/rules/indicators.md "Hotline counters")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.hotline.models import DEFAULT_WORKING_HOURS, ResponseTime, Ticket
from motcua.workcalendar.hours import add_working_hours, working_hours_between
from motcua.workcalendar.store import calendar_for


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


def working_seconds_to(ticket: Ticket, at: dt.datetime) -> int:
    """Working seconds from receipt to ``at``, in the calendar of the agency answering (the
    province's while the ticket is at 1022)."""
    calendar = calendar_for(ticket.agency_id)
    return round(working_hours_between(calendar, ticket.received_at, at).total_seconds())
