"""The deadline job: flag dossiers near their due moment and overdue (docs/rules/deadlines.md
"Near-due and overdue flags"; docs/architecture.md rule 4).

Run by ``manage.py flag_overdue`` (every few minutes, from cron or with ``--every``) or as the
``flag_deadlines`` task. Each flag change is a conditional UPDATE on the flag it expects to
replace, so two runs at once change each dossier once, and the in-progress counters move
between "within" and "past due" exactly once, in the same transaction.

The due moments themselves are set and moved by the actions through ``clock.py``: computed
at reception, paused while a supplement or fees are awaited (``pause_clock``), moved by the
paused working time on resumption (``resume_clock``); a paused dossier is not flagged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from motcua.dossiers.counters import move_open
from motcua.dossiers.models import DeadlineFlag, Dossier
from motcua.dossiers.status import ACTIVE, PAUSED
from motcua.workcalendar.hours import add_working_hours
from motcua.workcalendar.store import calendar_for

RUNNING = ACTIVE - PAUSED


@dataclass
class Flagged:
    overdue: int = 0
    near_due: int = 0


def flag_deadlines(*, at: dt.datetime | None = None) -> Flagged:
    moment = at or timezone.now()
    result = Flagged()
    # Uses the due_at index; paused dossiers are not running against their deadline.
    newly_overdue = Dossier.objects.filter(status__in=RUNNING, due_at__lt=moment).exclude(
        deadline_flag=DeadlineFlag.OVERDUE
    )
    for dossier in newly_overdue.only(
        "pk", "deadline_flag", "unit", "competent_agency", "procedure"
    ):
        with transaction.atomic():
            changed = Dossier.objects.filter(
                pk=dossier.pk,
                deadline_flag=dossier.deadline_flag,
                status__in=RUNNING,
                due_at__lt=moment,
            ).update(deadline_flag=DeadlineFlag.OVERDUE)
            if changed:
                move_open(dossier, overdue=True, now=True)
                result.overdue += 1

    horizon = add_working_hours(
        calendar_for(), moment, dt.timedelta(hours=settings.NEAR_DUE_WORKING_HOURS)
    )
    result.near_due = Dossier.objects.filter(
        status__in=RUNNING,
        deadline_flag=DeadlineFlag.NONE,
        due_at__gte=moment,
        due_at__lte=horizon,
    ).update(deadline_flag=DeadlineFlag.NEAR_DUE)
    return result


@task()
def flag_deadlines_task() -> dict[str, int]:
    flagged = flag_deadlines()
    return {"overdue": flagged.overdue, "near_due": flagged.near_due}
