"""A ticket's due moment: received at + the response time the province gives itself for the
ticket's kind, in working hours (docs/decisions/hotline.md). The job that flags and escalates
tickets near and past it is ``deadlines.py``. And the working time it took to answer, measured
once, when the first answer is given (docs/rules/indicators.md "Hotline counters"), and the
feedback indicators' limits in working days (docs/rules/indicators.md "Feedback indicators")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.hotline.models import DEFAULT_WORKING_HOURS, ResponseTime, Ticket
from motcua.workcalendar.deadlines import WORKING_DAY_HOURS
from motcua.workcalendar.hours import add_working_hours, working_hours_between
from motcua.workcalendar.store import calendar_for

# Decision 766/QĐ-TTg's limits for feedback and petitions, in working days of 8 working hours
# (docs/rules/deadlines.md "Working time"): handled from receipt, declined from receipt, the
# citizen asked for details from receipt, the result published from the first answer.
HANDLE_DAYS = 15
DECLINE_DAYS = 2
ASK_DAYS = 5
PUBLISH_DAYS = 2
WORKING_DAY_SECONDS = WORKING_DAY_HOURS * 3600


def within(seconds: int | None, days: int) -> bool:
    """Whether a step measured at ``seconds`` working seconds came within ``days`` working
    days (the limit itself included)."""
    return seconds is not None and seconds <= days * WORKING_DAY_SECONDS


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
    return working_seconds_between(ticket, ticket.received_at, at)


def working_seconds_between(ticket: Ticket, start: dt.datetime, end: dt.datetime) -> int:
    """Working seconds from ``start`` to ``end`` in the calendar of the agency acting on the
    ticket now (the province's while it is at 1022)."""
    calendar = calendar_for(ticket.agency_id)
    return round(working_hours_between(calendar, start, end).total_seconds())
