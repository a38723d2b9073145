"""The hotline statistics' counters (docs/architecture.md rule 9, docs/rules/indicators.md
"Hotline counters"; the tables: ``models/counters.py``).

A ticket's ``share`` is what it adds to the counters as it stands: one received ticket on its
day under its agency, channel and kind, and in exactly one timeliness class, escalated or not,
its rating, and its first answer's working hours; a feedback or petition also counts as
handled, declined, asked for details and published, each on time or not, by the working
seconds its actions measured (``clock.py``). Every ticket action that can change the
share takes it before the change and calls ``follow`` after it, in the same transaction:
unchanged, nothing is written; changed, the difference is added (one statement per table).
``differences`` recounts the same figures from the tickets in SQL; ``rebuild`` replaces the
counters by the recount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.core import counters
from motcua.core.counters import Comparison, compare, local_day, local_month, replace
from motcua.core.histogram import bucket_expression, bucket_of
from motcua.dossiers.models import DeadlineFlag
from motcua.hotline.clock import (
    ASK_DAYS,
    DECLINE_DAYS,
    HANDLE_DAYS,
    PUBLISH_DAYS,
    WORKING_DAY_SECONDS,
    within,
)
from motcua.hotline.models import (
    AnswerHoursDayCounter,
    AnswerHoursMonthCounter,
    Ticket,
    TicketDayCounter,
    TicketMonthCounter,
    TicketOutcome,
)
from motcua.hotline.models.counters import HOURS_FIELDS, TICKET_FIELDS
from motcua.hotline.status import FEEDBACK_KINDS, OPEN, TicketStatus


@dataclass(frozen=True)
class Share:
    day: dt.date
    agency_id: int | None
    channel: str
    kind: str
    figures: tuple[tuple[str, int], ...]
    answer_seconds: int | None

    @property
    def key(self) -> tuple[object, ...]:
        return (self.day, self.agency_id, self.channel, self.kind)


def share(ticket: Ticket) -> Share | None:
    """What ``ticket`` adds to the counters now; None for a merged duplicate."""
    if ticket.status == TicketStatus.MERGED:
        return None
    waiting = ticket.status in OPEN and not ticket.outcome
    overdue = ticket.deadline_flag == DeadlineFlag.OVERDUE
    rating = ticket.rating or 0
    figures = {
        "received": 1,
        "answered_on_time": ticket.outcome == TicketOutcome.ON_TIME,
        "answered_late": ticket.outcome == TicketOutcome.LATE,
        "open_within": waiting and not overdue,
        "open_overdue": waiting and overdue,
        "escalated": ticket.escalation_level > 0,
        "rated": ticket.rating is not None,
        "rating_sum": rating,
        "rated_high": rating >= 4,
        **feedback_figures(ticket),
    }
    return Share(
        day=timezone.localtime(ticket.received_at).date(),
        agency_id=ticket.agency_id,
        channel=ticket.channel,
        kind=ticket.kind,
        figures=tuple((name, int(n)) for name, n in figures.items() if n),
        answer_seconds=ticket.first_answer_seconds,
    )


# Each feedback figure → the ticket's measured seconds it counts and its limit in working days.
FEEDBACK_STEPS = {
    "handled": ("first_answer_seconds", HANDLE_DAYS),
    "declined": ("decline_seconds", DECLINE_DAYS),
    "asked": ("ask_seconds", ASK_DAYS),
    "published": ("publish_seconds", PUBLISH_DAYS),
}


def feedback_figures(ticket: Ticket) -> dict[str, bool]:
    """The feedback indicators' figures of ``ticket`` (docs/rules/indicators.md "Feedback
    indicators"): none unless it is a feedback or a petition."""
    if ticket.kind not in FEEDBACK_KINDS:
        return {}
    figures: dict[str, bool] = {}
    for name, (field, days) in FEEDBACK_STEPS.items():
        seconds = getattr(ticket, field)
        figures[name] = seconds is not None
        figures[f"{name}_in_time"] = within(seconds, days)
    return figures


def follow(before: Share | None, ticket: Ticket) -> None:
    """Move the ticket's share from ``before`` to what it is now, in the action's
    transaction."""
    after = share(ticket)
    if after == before:
        return
    tickets: list[tuple[counters.Key, dict[str, int]]] = []
    hours: list[tuple[counters.Key, dict[str, int]]] = []
    for part, sign in ((before, -1), (after, 1)):
        if part is None:
            continue
        tickets.append((part.key, {name: sign * n for name, n in part.figures}))
        if part.answer_seconds is not None:
            key = (part.day, part.agency_id, bucket_of(part.answer_seconds))
            hours.append((key, {"answers": sign, "seconds": sign * part.answer_seconds}))
    _add(TicketDayCounter, TicketMonthCounter, tickets)
    _add(AnswerHoursDayCounter, AnswerHoursMonthCounter, hours)


@contextmanager
def following(ticket: Ticket) -> Iterator[None]:
    """``follow`` the ticket across the block (an action's changes)."""
    before = share(ticket)
    yield
    follow(before, ticket)


def _add(
    by_day: type[models.Model],
    by_month: type[models.Model],
    changes: list[tuple[counters.Key, dict[str, int]]],
) -> None:
    counters.add(by_day, counters.merged(changes))
    monthly = [((key[0].replace(day=1), *key[1:]), deltas) for key, deltas in changes]
    counters.add(by_month, counters.merged(monthly))


# ---- recounted from the tickets -----------------------------------------------------------


def recount_tickets(period: str) -> QuerySet[Any, Any]:
    """The ticket figures by ``period`` ("day" or "month") × agency × channel × kind."""
    waiting = Q(status__in=OPEN, outcome="")
    overdue = Q(deadline_flag=DeadlineFlag.OVERDUE)
    figures = {
        "received": Count("pk"),
        "answered_on_time": Count("pk", filter=Q(outcome=TicketOutcome.ON_TIME)),
        "answered_late": Count("pk", filter=Q(outcome=TicketOutcome.LATE)),
        "open_within": Count("pk", filter=waiting & ~overdue),
        "open_overdue": Count("pk", filter=waiting & overdue),
        "escalated": Count("pk", filter=Q(escalation_level__gt=0)),
        "rated": Count("rating"),
        "rating_sum": Coalesce(Sum("rating"), 0),
        "rated_high": Count("pk", filter=Q(rating__gte=4)),
    }
    feedback = Q(kind__in=FEEDBACK_KINDS)
    for name, (field, days) in FEEDBACK_STEPS.items():
        measured = feedback & Q(**{f"{field}__isnull": False})
        limit = Q(**{f"{field}__lte": days * WORKING_DAY_SECONDS})
        figures[name] = Count("pk", filter=measured)
        figures[f"{name}_in_time"] = Count("pk", filter=measured & limit)
    return (
        _counted()
        .annotate(period=_period(period))
        .values("period", "agency_id", "channel", "kind")
        .annotate(**{name: figures[name] for name in TICKET_FIELDS})
    )


def recount_hours(period: str) -> QuerySet[Any, Any]:
    """The first answers' histogram by ``period`` × agency × bucket."""
    return (
        _counted()
        .filter(first_answer_seconds__isnull=False)
        .annotate(period=_period(period), bucket=bucket_expression("first_answer_seconds"))
        .values("period", "agency_id", "bucket")
        .annotate(answers=Count("pk"), seconds=Sum("first_answer_seconds"))
    )


def _counted() -> QuerySet[Ticket]:
    return Ticket.objects.exclude(status=TicketStatus.MERGED).order_by()


def _period(period: str) -> models.Expression:
    return local_day("received_at") if period == "day" else local_month("received_at")


def comparisons() -> list[Comparison]:
    ticket_key = ("period", "agency_id", "channel", "kind")
    hours_key = ("period", "agency_id", "bucket")
    return [
        Comparison(
            "tickets_day", TicketDayCounter, TICKET_FIELDS, recount_tickets("day"), ticket_key
        ),
        Comparison(
            "tickets_month",
            TicketMonthCounter,
            TICKET_FIELDS,
            recount_tickets("month"),
            ticket_key,
        ),
        Comparison(
            "hours_day", AnswerHoursDayCounter, HOURS_FIELDS, recount_hours("day"), hours_key
        ),
        Comparison(
            "hours_month",
            AnswerHoursMonthCounter,
            HOURS_FIELDS,
            recount_hours("month"),
            hours_key,
        ),
    ]


def differences() -> list[str]:
    """Every key where the hotline counters and a recount from the tickets disagree."""
    return [line for comparison in comparisons() for line in compare(comparison)]


def rebuild() -> dict[str, int]:
    """Replace the hotline counters by their recount (each table in a transaction of its
    own); the rows written per table."""
    return {comparison.name: replace(comparison) for comparison in comparisons()}
