"""One dossier's story, change by change, with the clock the actions keep
(docs/simulate.md "Stories").

``Timeline`` applies each change to the story's state exactly as the action would: the due
moment at reception (``statutory_due``'s rule), each step's due moment from its allotted
hours, pauses that move both by the working time that passed, outcomes by
``dossiers.clock.outcome_of``. A change after the plan's horizon stops the story
(``BeyondHorizonError``): the dossier stays as it was then.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from motcua.dossiers.clock import FAST_TRACK_HOURS, outcome_of
from motcua.dossiers.models import Outcome
from motcua.dossiers.status import DossierStatus as S
from motcua.org.models import Role
from motcua.simulate.stories import Actor, Change, DossierStory, StepStory
from motcua.simulate.world import ProcedureInfo, World
from motcua.workcalendar.deadlines import TimeUnit, compute_due_at
from motcua.workcalendar.hours import add_working_hours, postpone, working_hours_between

# A step whose template states no hours still takes time; this is how long, on average.
UNTIMED_STEP_HOURS = 4.0


class BeyondHorizonError(Exception):
    """The next change falls after the plan's horizon."""


def later(world: World, agency_id: int | None, start: dt.datetime, hours: float) -> dt.datetime:
    """``start`` plus ``hours`` of the agency's working time, to the minute."""
    minutes = max(1, round(hours * 60))
    return add_working_hours(world.calendar(agency_id), start, dt.timedelta(minutes=minutes))


def statutory_due(
    world: World, procedure: ProcedureInfo, *, channel: str, agency_id: int, at: dt.datetime
) -> dt.datetime | None:
    """``dossiers.clock.statutory_due`` on the world's plain data."""
    calendar = world.calendar(agency_id)
    if procedure.fast_track:
        return add_working_hours(calendar, at, dt.timedelta(hours=int(FAST_TRACK_HOURS)))
    time = procedure.times.get(channel)
    if time is None:
        return None
    value, unit = time
    return compute_due_at(
        calendar, received_at=at, value=value, unit=TimeUnit(unit), cutoff=procedure.cutoff
    )


def staff(role: str, agency_id: int, desk_id: int | None = None) -> Actor:
    return Actor("staff", role=role, agency_id=agency_id, desk_id=desk_id)


class Timeline:
    """Builds ``story``'s changes; each method is one action and refuses what it would."""

    def __init__(self, world: World, story: DossierStory, horizon: dt.datetime) -> None:
        self.world = world
        self.story = story
        self.horizon = horizon

    # Who acts
    @property
    def desk_officer(self) -> Actor:
        desk = self.world.desks[self.story.desk_id]
        role = Role.POSTAL_OFFICER if desk.kind == "post_office" else Role.RECEPTIONIST
        return staff(role, desk.agency_id, desk.id)

    def holder(self) -> Actor:
        """The role the current step names, at its agency."""
        step = self.current
        return staff(step.role, step.agency_id)

    @property
    def current(self) -> StepStory:
        step = self.story.step(self.story.current_step)
        assert step is not None
        return step

    def _emit(self, change: Change) -> None:
        if change.at > self.horizon:
            raise BeyondHorizonError
        self.story.changes.append(change)

    # Reception
    def submit(self, at: dt.datetime, citizen: Actor) -> None:
        self._emit(Change("submit", at, citizen))
        self.story.status = S.SUBMITTED

    def refuse(self, at: dt.datetime, reason: str) -> None:
        self._emit(Change("refuse", at, self.desk_officer, reason=reason))
        self.story.status = S.REFUSED

    def receive(self, at: dt.datetime, steps: list[StepStory]) -> None:
        story, world = self.story, self.world
        procedure = world.procedure(story.procedure_id)
        due = statutory_due(
            world, procedure, channel=story.channel, agency_id=story.competent_agency_id, at=at
        )
        self._emit(Change("receive", at, self.desk_officer, to_step=1, due_at=due))
        story.status, story.received_at = S.RECEIVED, at
        story.due_at = story.original_due_at = due
        story.steps = steps
        back = self.return_step
        if back is not None:
            back.agency_id = story.receiving_agency_id  # the result is handed back there
        first = steps[0]
        first.agency_id = story.receiving_agency_id
        self._start(first, at)

    def _start(self, step: StepStory, at: dt.datetime) -> None:
        step.started_at = at
        step.due_at = (
            None
            if step.allotted_hours is None
            else add_working_hours(
                self.world.calendar(step.agency_id),
                at,
                dt.timedelta(hours=float(step.allotted_hours)),
            )
        )
        self.story.current_step = step.position

    def _finish(self, at: dt.datetime, actor: Actor) -> int:
        step = self.current
        step.finished_at = at
        step.outcome = outcome_of(at, step.due_at, apologised=False)
        step.handled_by = actor
        return step.position

    # Processing
    def forward(self, at: dt.datetime) -> None:
        actor = self.holder()
        following = self.story.steps[self.story.steps.index(self.current) + 1]
        self._emit(
            Change("forward", at, actor, step=self.current.position, to_step=following.position)
        )
        self._finish(at, actor)
        self._start(following, at)
        self.story.status = S.IN_PROGRESS

    def _pause(self, at: dt.datetime, target: str) -> None:
        story = self.story
        story.resume_status, story.status, story.paused_at = story.status, target, at

    def _resume(self, at: dt.datetime) -> tuple[dt.datetime | None, int]:
        story = self.story
        paused_from = story.paused_at or at
        calendar = self.world.calendar(story.competent_agency_id)
        paused = working_hours_between(calendar, paused_from, at)
        if story.due_at is not None:
            story.due_at = postpone(calendar, story.due_at, paused)
        step = self.current
        if step.due_at is not None and step.finished_at is None:
            step_calendar = self.world.calendar(step.agency_id)
            step_paused = working_hours_between(step_calendar, paused_from, at)
            step.due_at = postpone(step_calendar, step.due_at, step_paused)
        seconds = int(paused.total_seconds())
        story.paused_seconds += seconds
        story.paused_at = None
        story.status, story.resume_status = story.resume_status or S.IN_PROGRESS, ""
        return story.due_at, seconds

    def request_supplement(self, at: dt.datetime, reason: str, items: tuple[str, ...]) -> None:
        self._emit(
            Change(
                "request_supplement",
                at,
                self.holder(),
                step=self.current.position,
                reason=reason,
                items=items,
            )
        )
        self._pause(at, S.SUPPLEMENT_REQUESTED)

    def complete_supplement(self, at: dt.datetime) -> None:
        if at > self.horizon:
            raise BeyondHorizonError
        due, seconds = self._resume(at)
        self._emit(
            Change("complete_supplement", at, self.desk_officer, due_at=due, paused_seconds=seconds)
        )

    def request_payment(self, at: dt.datetime, amount_vnd: int) -> None:
        self._emit(
            Change(
                "request_payment",
                at,
                self.holder(),
                step=self.current.position,
                amount_vnd=amount_vnd,
            )
        )
        self.story.fee_total_vnd = self.story.paid_vnd + amount_vnd
        self._pause(at, S.AWAITING_PAYMENT)

    def record_payment(
        self, at: dt.datetime, amount_vnd: int, reference: str, online: bool
    ) -> None:
        if at > self.horizon:
            raise BeyondHorizonError
        actor = Actor("system") if online else self.desk_officer
        self.story.paid_vnd += amount_vnd
        due, seconds = self._resume(at)
        self._emit(
            Change(
                "record_payment",
                at,
                actor,
                amount_vnd=amount_vnd,
                reference=reference,
                due_at=due,
                paused_seconds=seconds,
            )
        )

    def apologise(self, at: dt.datetime, new_due_at: dt.datetime, reason: str) -> None:
        leader = staff(Role.LEADER, self.current.agency_id)
        self._emit(Change("apologise", at, leader, reason=reason, due_at=new_due_at))
        self.story.due_at, self.story.apologised = new_due_at, True

    def withdraw(self, at: dt.datetime, reason: str) -> None:
        self._emit(Change("withdraw", at, self.desk_officer, reason=reason))
        self.story.status, self.story.finished_at, self.story.paused_at = S.WITHDRAWN, at, None

    # Results
    def mark_result_ready(self, at: dt.datetime) -> None:
        story = self.story
        actor = self.holder()
        outcome = outcome_of(at, story.due_at, apologised=story.apologised)
        back = self.return_step
        self._emit(
            Change(
                "mark_result_ready",
                at,
                actor,
                step=self.current.position,
                to_step=back.position if back else None,
                outcome=outcome,
                due_at=story.due_at,
            )
        )
        self._finish(at, actor)
        if back is not None:
            back.agency_id = story.receiving_agency_id
            self._start(back, at)
        story.status, story.finished_at, story.outcome = S.RESULT_READY, at, outcome

    def return_result(self, at: dt.datetime) -> None:
        back = self.return_step
        actor = staff(Role.RECEPTIONIST, back.agency_id) if back else self.desk_officer
        self._emit(Change("return_result", at, actor, step=back.position if back else None))
        if back is not None:
            self._finish(at, actor)
        self.story.status = S.RETURNED

    def rate(self, at: dt.datetime, level: str) -> None:
        self._emit(Change("rate", at, Actor("citizen"), level=level))
        self.story.rating = level

    @property
    def return_step(self) -> StepStory | None:
        """``dossiers.permissions.return_step``: a receptionist's last step after another."""
        steps = self.story.steps
        if len(steps) > 1 and steps[-1].role == Role.RECEPTIONIST:
            return steps[-1]
        return None

    def is_late(self, at: dt.datetime) -> bool:
        return outcome_of(at, self.story.due_at, apologised=False) == Outcome.LATE


def steps_for(procedure: ProcedureInfo, competent_agency_id: int) -> list[StepStory]:
    """The dossier's steps as reception copies them from the template."""
    return [
        StepStory(
            position=spec.position,
            name=spec.name,
            role=spec.role,
            agency_id=spec.agency_id or competent_agency_id,
            allotted_hours=spec.hours,
        )
        for spec in procedure.steps
    ]


def allotted(step: StepStory) -> float:
    hours = step.allotted_hours
    return float(hours) if hours is not None and hours > Decimal(0) else UNTIMED_STEP_HOURS


def arrival(rng: random.Random, world: World, agency_id: int | None, day: dt.date) -> dt.datetime:
    """A working moment of ``day`` on the agency's calendar, each working minute as likely."""
    calendar = world.calendar(agency_id)
    periods: Sequence[tuple[dt.time, dt.time]] = calendar.periods_on(day) or calendar.periods_on(
        next(
            d
            for d in (day + dt.timedelta(days=k) for k in range(1, 15))
            if calendar.is_working_day(d)
        )
    )
    minutes = [(_minutes(b) - _minutes(a), a) for a, b in periods]
    pick = rng.uniform(0, sum(length for length, _ in minutes))
    for length, begin in minutes:
        if pick <= length:
            start = dt.datetime.combine(day, begin, calendar.tz)
            return start + dt.timedelta(seconds=round(pick * 60))
        pick -= length
    return dt.datetime.combine(day, periods[-1][0], calendar.tz)


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute
