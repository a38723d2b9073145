"""A ticket's due moment: received at + the response time the province gives itself for the
ticket's kind, in working hours (docs/decisions/hotline.md). The job that flags and escalates
tickets near and past it is ``deadlines.py``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.hotline.models import DEFAULT_WORKING_HOURS, ResponseTime, Ticket
from motcua.workcalendar.hours import add_working_hours
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
