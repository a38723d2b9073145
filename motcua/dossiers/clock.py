"""A dossier's clock (docs/decisions/dossiers.md "Clock", "Early / on time / late").

The due moment is computed at reception from the procedure's processing time on the
competent agency's working calendar (``statutory_due``); each workflow step has its own,
from its allotted hours (``add_hours``). The clock stops while the applicant owes something
(a supplement, fees): ``pause_clock`` records when, and ``resume_clock`` moves the dossier's
and the current step's due moments by the working time that passed. Whether a finished
dossier or step was early, on time or late is ``outcome_of``. The deadline job that flags
near-due and overdue dossiers is ``deadlines.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from motcua.catalog.deadlines import method_due_at
from motcua.catalog.models import Channel, Procedure
from motcua.dossiers.counters import set_deadline_flag
from motcua.dossiers.models import DeadlineFlag, Dossier, Outcome
from motcua.dossiers.reference import methods_of
from motcua.dossiers.status import DossierStatus
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.hours import add_working_hours, postpone, working_hours_between
from motcua.workcalendar.store import calendar_for

# "4 tại chỗ": received, appraised, approved and returned within one working day.
FAST_TRACK_HOURS = Decimal(8)


def calendar_of(agency_id: int | None) -> WorkCalendar:
    """The working calendar the agency's time runs on (the province's, with its overrides)."""
    return calendar_for(agency_id)


def statutory_due(
    procedure: Procedure, *, channel: str, received_at: dt.datetime, calendar: WorkCalendar
) -> dt.datetime | None:
    """The due moment for a dossier received through ``channel``
    (docs/rules/deadlines.md "The statutory due moment (hẹn trả)")."""
    if procedure.fast_track:
        return add_working_hours(calendar, received_at, dt.timedelta(hours=int(FAST_TRACK_HOURS)))
    timed = (plan.method for plan in methods_of(procedure.pk))
    methods = {m.channel: m for m in timed if m.time_value is not None}
    method = (
        methods.get(channel) or methods.get(Channel.DIRECT) or next(iter(methods.values()), None)
    )
    if method is None:
        return None
    return method_due_at(procedure, method, received_at=received_at, calendar=calendar)


def add_hours(
    calendar: WorkCalendar, start: dt.datetime, hours: Decimal | None
) -> dt.datetime | None:
    """``start`` plus ``hours`` of working time; None when no time is allotted."""
    if hours is None:
        return None
    return add_working_hours(calendar, start, dt.timedelta(hours=float(hours)))


def outcome_of(finished_at: dt.datetime, due_at: dt.datetime | None, *, apologised: bool) -> str:
    """Early: finished on a day before the due day; on time: by the due moment; else late.
    A dossier that was apologised for stays late whatever its new date (Form 04)."""
    if apologised:
        return Outcome.LATE
    if due_at is None:
        return Outcome.ON_TIME
    if finished_at > due_at:
        return Outcome.LATE
    if timezone.localtime(finished_at).date() < timezone.localtime(due_at).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


def flag_for(due_at: dt.datetime | None, at: dt.datetime) -> str:
    """The deadline flag a dossier due at ``due_at`` has at ``at`` (near-due is the job's)."""
    if due_at is not None and due_at < at:
        return DeadlineFlag.OVERDUE
    return DeadlineFlag.NONE


def pause_clock(dossier: Dossier, *, at: dt.datetime, target: str) -> None:
    """Stop the clock: the dossier waits in ``target`` (a supplement, fees) and remembers the
    status it resumes in."""
    dossier.resume_status = dossier.status
    dossier.status = target
    dossier.paused_at = at


def resume_clock(dossier: Dossier, *, at: dt.datetime) -> int:
    """Restart the clock; the due moments move by the paused working time. Returns it, in
    seconds."""
    paused_from = dossier.paused_at or at
    calendar = calendar_of(dossier.competent_agency_id)
    paused = working_hours_between(calendar, paused_from, at)
    if dossier.due_at is not None:
        dossier.due_at = postpone(calendar, dossier.due_at, paused)
    step = dossier.current_step
    if step is not None and step.finished_at is None:
        # The step's own clock stops too: its due moment moves, and its working time will
        # leave the pause out (time_counters.py).
        step_paused = working_hours_between(calendar_of(step.agency_id), paused_from, at)
        step.paused_seconds += int(step_paused.total_seconds())
        if step.due_at is not None:
            step.due_at = postpone(calendar_of(step.agency_id), step.due_at, step_paused)
        step.save(update_fields=["due_at", "paused_seconds"])
    seconds = int(paused.total_seconds())
    dossier.paused_seconds += seconds
    dossier.paused_at = None
    dossier.status = dossier.resume_status or DossierStatus.IN_PROGRESS
    dossier.resume_status = ""
    set_deadline_flag(dossier, flag_for(dossier.due_at, at))
    return seconds
