"""Where the time goes (business-process re-engineering): which steps of which procedures take
the working time, how late they finish, where dossiers wait, and how the actual processing
time of a procedure compares with the time its catalogue entry promises.

Read from the counters the step actions keep (docs/architecture.md rule 9; the tables and how
they are measured: ``dossiers/time_counters.py``): the whole months of the period from the
monthly rows, the days at its edges from the daily ones (``periods.py``), so the cost depends
on the number of procedures, steps, agencies and histogram buckets, never on the number of
dossiers. A step counts in the period it finished in; a dossier's processing time in the
period its result was ready.

The measures (docs/rules/indicators.md "Where the time goes"):
- working hours of a step: start to hand-over in the step agency's calendar, the clock's
  pauses (a supplement, fees) left out; median and 90th percentile (nearest rank) read from
  the histogram, each value the mean of its bucket (``core/histogram.py``);
- late share: steps finished after their own due moment ÷ steps finished;
- hours beyond the allotted time: per step, the working time over the hours the process
  allots to it, summed; the bottlenecks are ranked by it, as it weighs how often a step
  overruns by how much, the total delay the step puts on the applicants;
- waiting: from the start of a step to the first thing an officer did on it (an opinion, a
  request, the hand-over), in working hours, averaged per step;
- processing time of a dossier: reception to result, pauses left out, in working days of
  eight working hours, against the statutory time of the procedure's methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Channel, ExecutionMethod, Procedure, TimeUnit
from motcua.core.histogram import Histogram
from motcua.dossiers.models import (
    ProcessingTimeDayCounter,
    ProcessingTimeMonthCounter,
    StepTimeDayCounter,
    StepTimeMonthCounter,
)
from motcua.dossiers.models.time import STEP_TIME_FIELDS
from motcua.org.models import Agency, Role
from motcua.reports.hotline import Period
from motcua.reports.periods import cover, totals
from motcua.workcalendar.deadlines import WORKING_DAY_HOURS

HOUR = 3600
# The bottlenecks a page shows; the workbook has them all.
SHOWN = 30


@dataclass
class StepFigures:
    """One step of one procedure (or one agency's steps): counts summed over the period."""

    label: str
    procedure_id: int | None = None
    procedure: str = ""
    position: int | None = None
    role: str = ""
    steps: int = 0
    late: int = 0
    seconds: int = 0
    over_seconds: int = 0
    waiting_seconds: int = 0
    hours: Histogram = field(default_factory=Histogram)

    def add(self, row: Mapping[str, int], bucket: int | None = None) -> None:
        # PostgreSQL sums bigint columns as numeric: back to whole numbers.
        for name in STEP_TIME_FIELDS:
            setattr(self, name, getattr(self, name) + int(row[name] or 0))
        if bucket is not None:
            self.hours.add(bucket, int(row["steps"]), int(row["seconds"]))

    @property
    def median_hours(self) -> float | None:
        return self.hours.median

    @property
    def p90_hours(self) -> float | None:
        return self.hours.p90

    @property
    def late_share(self) -> float | None:
        return self.late / self.steps if self.steps else None

    @property
    def late_percent(self) -> float | None:
        return None if self.late_share is None else self.late_share * 100

    @property
    def over_hours(self) -> float:
        return self.over_seconds / HOUR

    @property
    def total_hours(self) -> float:
        return self.seconds / HOUR

    @property
    def waiting_hours(self) -> float:
        return self.waiting_seconds / HOUR

    @property
    def mean_waiting_hours(self) -> float | None:
        return self.waiting_seconds / self.steps / HOUR if self.steps else None


@dataclass
class Statutory:
    """A method's processing time as the catalogue publishes it, in working days when the
    unit allows (calendar days do not convert: they depend on the holidays in between)."""

    channel: str
    text: str
    working_days: float | None


@dataclass
class ProcessingFigures:
    """A procedure's dossiers whose result was ready in the period: reception to result."""

    procedure_id: int
    procedure: str
    hours: Histogram = field(default_factory=Histogram)
    statutory: list[Statutory] = field(default_factory=list)

    @property
    def dossiers(self) -> int:
        return self.hours.count

    @property
    def median_days(self) -> float | None:
        return None if self.hours.median is None else self.hours.median / WORKING_DAY_HOURS

    @property
    def p90_days(self) -> float | None:
        return None if self.hours.p90 is None else self.hours.p90 / WORKING_DAY_HOURS

    @property
    def statutory_days(self) -> float | None:
        """The working days the comparison is made with: the in-person method's, or the
        first that has working days."""
        timed = [s for s in self.statutory if s.working_days is not None]
        return timed[0].working_days if timed else None

    def used(self, days: float | None) -> float | None:
        """``days`` as a percentage of the statutory time."""
        limit = self.statutory_days
        return None if days is None or not limit else days / limit * 100

    @property
    def median_used(self) -> float | None:
        return self.used(self.median_days)

    @property
    def p90_used(self) -> float | None:
        return self.used(self.p90_days)


@dataclass
class TimeReport:
    period: Period
    at: dt.datetime
    bottlenecks: list[StepFigures]  # procedure × step, the most hours beyond allotted first
    agencies: list[StepFigures]  # the longest mean waiting first
    processing: list[ProcessingFigures]  # the most dossiers first
    total: StepFigures

    @property
    def shown(self) -> list[StepFigures]:
        return self.bottlenecks[:SHOWN]

    @property
    def widest_over(self) -> float:
        """The largest hours beyond allotted, for the bars' scale."""
        return max((row.over_hours for row in self.bottlenecks), default=0.0)

    @property
    def widest_waiting(self) -> float:
        return max((row.mean_waiting_hours or 0 for row in self.agencies), default=0.0)


@dataclass
class ProcedureReport:
    period: Period
    at: dt.datetime
    procedure: Procedure
    steps: list[StepFigures]  # in the order of the process
    processing: ProcessingFigures

    @property
    def widest_p90(self) -> float:
        return max((row.p90_hours or 0 for row in self.steps), default=0.0)


def _where(agencies: Collection[int] | None, procedure: int | None = None) -> Q:
    where = Q()
    if agencies is not None:
        where &= Q(agency_id__in=list(agencies))
    if procedure is not None:
        where &= Q(procedure_id=procedure)
    return where


STEP_SUMS = {name: Sum(name) for name in STEP_TIME_FIELDS}


def _steps(period: Period, where: Q, group: tuple[str, ...]) -> dict[tuple[Any, ...], Any]:
    return totals(
        cover(period.start, period.end),
        by_day=StepTimeDayCounter,
        by_month=StepTimeMonthCounter,
        where=where,
        group=group,
        sums=STEP_SUMS,
    )


def _processing(period: Period, where: Q) -> dict[int, Histogram]:
    found = totals(
        cover(period.start, period.end),
        by_day=ProcessingTimeDayCounter,
        by_month=ProcessingTimeMonthCounter,
        where=where,
        group=("procedure_id", "bucket"),
        sums={"dossiers": Sum("dossiers"), "seconds": Sum("seconds")},
    )
    out: dict[int, Histogram] = {}
    for (procedure_id, bucket), row in found.items():
        if row["dossiers"]:
            figures = out.setdefault(procedure_id, Histogram())
            figures.add(bucket, int(row["dossiers"]), int(row["seconds"]))
    return out


def _step_label(position: int, name: str) -> str:
    return _("Bước %(n)s: %(name)s") % {"n": position, "name": name}


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _by_step(
    rows: Mapping[tuple[Any, ...], Mapping[str, int]], names: Mapping[int, str]
) -> list[StepFigures]:
    steps: dict[tuple[Any, ...], StepFigures] = {}
    for (procedure_id, position, name, role, bucket), row in rows.items():
        if not row["steps"]:
            continue
        key = (procedure_id, position, name, role)
        if key not in steps:
            steps[key] = StepFigures(
                label=_step_label(position, name),
                procedure_id=procedure_id,
                procedure=names.get(procedure_id, ""),
                position=position,
                role=_role_label(role),
            )
        steps[key].add(row, bucket)
    return list(steps.values())


def statutory_of(procedure_ids: Collection[int]) -> dict[int, list[Statutory]]:
    """Each procedure's methods' processing times, the in-person method first."""
    out: dict[int, list[Statutory]] = {}
    methods = ExecutionMethod.objects.filter(procedure_id__in=list(procedure_ids)).order_by(
        "procedure_id", "pk"
    )
    for method in methods:
        days: float | None = None
        if method.time_value is not None and method.time_unit == TimeUnit.WORKING_DAY:
            days = float(method.time_value)
        elif method.time_value is not None and method.time_unit == TimeUnit.HOUR:
            days = float(method.time_value / Decimal(WORKING_DAY_HOURS))
        text = method.time_text or (
            f"{method.time_value:g} {method.get_time_unit_display()}"
            if method.time_value is not None
            else ""
        )
        entry = Statutory(str(method.get_channel_display()), text, days)
        listed = out.setdefault(method.procedure_id, [])
        listed.insert(0 if method.channel == Channel.DIRECT else len(listed), entry)
    return out


def time_report(
    *, period: Period, agencies: Collection[int] | None = None, at: dt.datetime | None = None
) -> TimeReport:
    """The bottlenecks, the agencies where dossiers wait, the procedures' processing time;
    only ``agencies``' steps and dossiers when given (a leader's own)."""
    where = _where(agencies)
    rows = _steps(period, where, ("procedure_id", "position", "name", "role", "bucket"))
    processing = _processing(period, where)
    procedure_ids = {key[0] for key in rows} | set(processing)
    names = dict(Procedure.objects.filter(pk__in=procedure_ids).values_list("pk", "name"))
    steps = _by_step(rows, names)
    bottlenecks = sorted(
        steps,
        key=lambda s: (-s.over_seconds, -s.late, -(s.p90_hours or 0), s.procedure, s.position),
    )
    by_agency = _steps(period, where, ("agency_id",))
    agency_names = dict(
        Agency.objects.filter(pk__in=[k[0] for k in by_agency]).values_list("pk", "name")
    )
    agency_rows = []
    for (agency_id,), row in by_agency.items():
        if row["steps"]:
            figures = StepFigures(label=agency_names.get(agency_id, str(agency_id)))
            figures.add(row)
            agency_rows.append(figures)
    agency_rows.sort(key=lambda a: (-(a.mean_waiting_hours or 0), -a.steps, a.label))
    total = StepFigures(label=_("Tổng cộng"))
    for one in steps:
        total.add({name: getattr(one, name) for name in STEP_TIME_FIELDS})
        total.hours.merge(one.hours)
    statutory = statutory_of(list(processing))
    timed = [
        ProcessingFigures(p, names.get(p, ""), hours, statutory.get(p, []))
        for p, hours in processing.items()
    ]
    timed.sort(key=lambda p: (-p.dossiers, p.procedure))
    return TimeReport(
        period=period,
        at=at or timezone.now(),
        bottlenecks=bottlenecks,
        agencies=agency_rows,
        processing=timed,
        total=total,
    )


def procedure_report(
    *,
    period: Period,
    procedure: Procedure,
    agencies: Collection[int] | None = None,
    at: dt.datetime | None = None,
) -> ProcedureReport:
    """One procedure: each step's time, and the actual processing time against the
    statutory time."""
    where = _where(agencies, procedure.pk)
    rows = _steps(period, where, ("procedure_id", "position", "name", "role", "bucket"))
    steps = sorted(
        _by_step(rows, {procedure.pk: procedure.name}),
        key=lambda s: (s.position or 0, s.label, s.role),
    )
    hours = _processing(period, where).get(procedure.pk, Histogram())
    processing = ProcessingFigures(
        procedure.pk, procedure.name, hours, statutory_of([procedure.pk]).get(procedure.pk, [])
    )
    return ProcedureReport(
        period=period,
        at=at or timezone.now(),
        procedure=procedure,
        steps=steps,
        processing=processing,
    )
