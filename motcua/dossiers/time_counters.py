"""Where the time goes: measuring the workflow steps and the dossiers' processing time, and
keeping their counters (docs/rules/indicators.md "Where the time goes"; the tables:
``models/time.py``).

A step starts the moment the step before it is handed over (``actions/processing.py``
``forward_dossier``), so there is no gap between hand-overs to measure. What the records do
tell is when an officer of the step first did something with it: recorded an opinion
(``record_step``), asked for a supplement or for fees, or handed it over. The **waiting** of
a step is the working time from its start to that first act, measured then and kept on the
step; its **working** time is from its start to its hand-over, the clock's pauses (a
supplement, fees) excluded, measured when it finishes. Both are in the calendar of the
step's agency as it stood at the moment of measuring. A dossier's **processing time** is the
working time from reception to the result, its pauses excluded, in the competent agency's
calendar (the dossier's clock, ``clock.py``), measured when the result is ready and kept in
that event's data.

The step actions call ``step_acted`` and ``count_step`` (``finish_step``) and
``count_processing`` (``mark_result_ready``) in their transaction; the bulk simulator builds
the same changes with ``step_figures`` and ``processing_figures``. ``time_comparisons``
recounts every table from the steps and the events, for ``counters.differences``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Round
from django.utils import timezone

from motcua.core import counters
from motcua.core.counters import Comparison, Key, local_day, local_month
from motcua.core.histogram import bucket_expression, bucket_of
from motcua.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierStep,
    Outcome,
    ProcessingTimeDayCounter,
    ProcessingTimeMonthCounter,
    StepTimeDayCounter,
    StepTimeMonthCounter,
)
from motcua.dossiers.models.time import PROCESSING_TIME_FIELDS, STEP_TIME_FIELDS
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.hours import working_hours_between
from motcua.workcalendar.store import calendar_for

# The steps' fields the measures write (``finish_step`` saves them).
MEASURED = ["waiting_seconds", "working_seconds"]


def working_seconds(calendar: WorkCalendar, start: dt.datetime, end: dt.datetime) -> int:
    """Whole working seconds from ``start`` to ``end``."""
    return int(working_hours_between(calendar, start, end).total_seconds())


def over_allotted(seconds: int, allotted_hours: Decimal | None) -> int:
    """The working seconds beyond the hours allotted to the step (none when none are)."""
    if allotted_hours is None:
        return 0
    return max(0, seconds - int(Decimal(allotted_hours) * 3600))


def step_figures(
    *,
    day: dt.date,
    agency_id: int,
    procedure_id: int,
    position: int,
    name: str,
    role: str,
    allotted_hours: Decimal | None,
    outcome: str,
    working: int,
    waiting: int,
) -> tuple[Key, dict[str, int]]:
    """What one finished step adds to the day's row of its bucket."""
    key = (day, agency_id, procedure_id, position, name, role, bucket_of(working))
    return key, {
        "steps": 1,
        "late": int(outcome == Outcome.LATE),
        "seconds": working,
        "over_seconds": over_allotted(working, allotted_hours),
        "waiting_seconds": waiting,
    }


def processing_figures(
    *, day: dt.date, agency_id: int, procedure_id: int, seconds: int
) -> tuple[Key, dict[str, int]]:
    """What one dossier whose result is ready adds to the day's row of its bucket."""
    return (day, agency_id, procedure_id, bucket_of(seconds)), {"dossiers": 1, "seconds": seconds}


def monthly(changes: dict[Key, dict[str, int]]) -> dict[Key, dict[str, int]]:
    """Day-keyed changes summed by the month of the day (the key's first part)."""
    return counters.merged(((key[0].replace(day=1), *key[1:]), v) for key, v in changes.items())


# ---- kept by the actions ------------------------------------------------------------------


def step_acted(step: DossierStep | None, at: dt.datetime) -> list[str]:
    """An officer acted on ``step`` at ``at``: the first time, its waiting ends. The fields
    to save (none when the waiting had already ended)."""
    if step is None or step.started_at is None or step.waiting_seconds is not None:
        return []
    step.waiting_seconds = working_seconds(calendar_for(step.agency_id), step.started_at, at)
    return ["waiting_seconds"]


def count_step(dossier: Dossier, step: DossierStep) -> None:
    """Measure the step ``finish_step`` just closed and add it to the counters; the caller
    saves ``MEASURED``. The step-time tables are written before the dossier flows, in every
    action (docs/rules/indicators.md "Rollups")."""
    if step.started_at is None or step.finished_at is None:
        return
    step_acted(step, step.finished_at)
    elapsed = working_seconds(calendar_for(step.agency_id), step.started_at, step.finished_at)
    step.working_seconds = max(0, elapsed - step.paused_seconds)
    key, change = step_figures(
        day=timezone.localtime(step.finished_at).date(),
        agency_id=step.agency_id,
        procedure_id=dossier.procedure_id,
        position=step.position,
        name=step.name,
        role=step.role,
        allotted_hours=step.allotted_hours,
        outcome=step.outcome,
        working=step.working_seconds,
        waiting=step.waiting_seconds or 0,
    )
    counters.add(StepTimeDayCounter, {key: change})
    counters.add(StepTimeMonthCounter, monthly({key: change}))


def count_processing(dossier: Dossier, at: dt.datetime) -> int | None:
    """Measure the dossier whose result is ready at ``at`` (reception to result, the clock's
    pauses excluded) and add it to the counters; the seconds, for the event's data."""
    if dossier.received_at is None:
        return None
    elapsed = working_seconds(calendar_for(dossier.competent_agency_id), dossier.received_at, at)
    seconds = max(0, elapsed - dossier.paused_seconds)
    key, change = processing_figures(
        day=timezone.localtime(at).date(),
        agency_id=dossier.competent_agency_id,
        procedure_id=dossier.procedure_id,
        seconds=seconds,
    )
    counters.add(ProcessingTimeDayCounter, {key: change})
    counters.add(ProcessingTimeMonthCounter, monthly({key: change}))
    return seconds


# ---- recounted from the steps and the events ----------------------------------------------


def _period(period: str, field: str) -> Any:
    return local_day(field) if period == "day" else local_month(field)


def recount_steps(period: str) -> QuerySet[Any]:
    """The measured steps by ``period`` ("day" or "month" they finished) × agency ×
    procedure × step × bucket."""
    allotted = Cast(
        Round(
            ExpressionWrapper(
                F("allotted_hours") * Value(Decimal(3600)),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        ),
        BigIntegerField(),
    )
    over = Case(
        When(allotted_hours__isnull=True, then=Value(0)),
        When(working_seconds__gt=allotted, then=F("working_seconds") - allotted),
        default=Value(0),
        output_field=BigIntegerField(),
    )
    return (
        DossierStep.objects.filter(working_seconds__isnull=False, finished_at__isnull=False)
        .annotate(
            period=_period(period, "finished_at"),
            procedure=F("dossier__procedure_id"),
            bucket=bucket_expression("working_seconds"),
        )
        .order_by()
        .values("period", "agency_id", "procedure", "position", "name", "role", "bucket")
        .annotate(
            steps=Count("pk"),
            late=Count("pk", filter=Q(outcome=Outcome.LATE)),
            seconds=Sum("working_seconds"),
            over_seconds=Sum(over),
            waiting_seconds=Sum("waiting_seconds"),
        )
    )


def recount_processing(period: str) -> QuerySet[Any]:
    """The dossiers' processing time by ``period`` the result was ready × competent agency ×
    procedure × bucket, from the results' events (those measured)."""
    return (
        DossierEvent.objects.filter(kind="mark_result_ready", data__has_key="working_seconds")
        .annotate(taken=Cast(KT("data__working_seconds"), BigIntegerField()))
        .annotate(
            period=_period(period, "at"),
            agency=F("dossier__competent_agency_id"),
            procedure=F("dossier__procedure_id"),
            bucket=bucket_expression("taken"),
        )
        .order_by()
        .values("period", "agency", "procedure", "bucket")
        .annotate(dossiers=Count("pk"), seconds=Sum("taken"))
    )


def time_comparisons() -> list[Comparison]:
    """The step-time and processing-time tables beside their recounts."""
    steps = ("period", "agency_id", "procedure", "position", "name", "role", "bucket")
    processing = ("period", "agency", "procedure", "bucket")
    return [
        Comparison(
            "step_time_day", StepTimeDayCounter, STEP_TIME_FIELDS, recount_steps("day"), steps
        ),
        Comparison(
            "step_time_month", StepTimeMonthCounter, STEP_TIME_FIELDS, recount_steps("month"), steps
        ),
        Comparison(
            "processing_time_day",
            ProcessingTimeDayCounter,
            PROCESSING_TIME_FIELDS,
            recount_processing("day"),
            processing,
        ),
        Comparison(
            "processing_time_month",
            ProcessingTimeMonthCounter,
            PROCESSING_TIME_FIELDS,
            recount_processing("month"),
            processing,
        ),
    ]
