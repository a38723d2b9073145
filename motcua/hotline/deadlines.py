"""Flagging tickets near and past their due moment, and escalating the overdue once
(docs/rules/deadlines.md "Hotline tickets"): conditional updates, so two runs at once flag and
escalate once.
``flag_ticket_deadlines`` is the periodic task, ``manage.py hotline_flag_deadlines`` the
command."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from motcua.dossiers.models import DeadlineFlag
from motcua.hotline.actions import escalate_ticket
from motcua.hotline.counters import following
from motcua.hotline.models import Ticket
from motcua.hotline.status import OPEN

NEAR_DUE = dt.timedelta(hours=24)


@dataclass
class FlagReport:
    near_due: int = 0
    overdue: int = 0
    escalated: int = 0


def flag_tickets(at: dt.datetime | None = None) -> FlagReport:
    at = at or timezone.now()
    report = FlagReport()
    open_tickets = Ticket.objects.filter(status__in=OPEN, due_at__isnull=False)
    # An overdue ticket leaves "past due" only through an action (the counters follow it).
    report.near_due = (
        open_tickets.filter(due_at__gte=at, due_at__lte=at + NEAR_DUE)
        .exclude(deadline_flag__in=[DeadlineFlag.NEAR_DUE, DeadlineFlag.OVERDUE])
        .update(deadline_flag=DeadlineFlag.NEAR_DUE)
    )
    newly_overdue = list(
        open_tickets.filter(due_at__lt=at)
        .exclude(deadline_flag=DeadlineFlag.OVERDUE)
        .values_list("pk", flat=True)
    )
    for pk in newly_overdue:
        with transaction.atomic():
            # The locked read of a ticket not yet flagged is the claim: of two runs, the
            # second finds it flagged once the first commits, and skips it.
            ticket = (
                Ticket.objects.select_for_update()
                .filter(pk=pk, status__in=OPEN)
                .exclude(deadline_flag=DeadlineFlag.OVERDUE)
                .first()
            )
            if ticket is None:
                continue
            with following(ticket):  # from "open within time" to "open past due"
                ticket.deadline_flag = DeadlineFlag.OVERDUE
                ticket.save(update_fields=["deadline_flag"])
            report.overdue += 1
            if ticket.escalation_level == 0:
                escalate_ticket(ticket=ticket, user=None, reason="Quá hạn trả lời.", at=at)
                report.escalated += 1
    return report


@task()
def flag_ticket_deadlines() -> dict[str, int]:
    return asdict(flag_tickets())
