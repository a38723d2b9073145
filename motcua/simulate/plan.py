"""The simulation plan: which dossiers and tickets arrive on which day, and what happens to
each, drawn from a seed (docs/simulate.md "The plan").

``Plan(world, profile, start=…, days=…, seed=…)`` is deterministic: the same world,
profile, dates and seed give the same stories, day by day (``plan.day(d)``) or all at once
(iterating ``plan.days()``). Each day draws from its own generator, seeded with the seed
and the date, and each story from its own, so a day's stories do not depend on the days
before it and a writer may plan days in any order or in parallel.

Arrivals come on working days only (the province's calendar), at working moments; hotline
messages on online channels come every day. Stories stop at ``horizon`` (the end of the
last day unless given), so the last days leave dossiers in progress, as a real province has.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from motcua.catalog.models import Channel
from motcua.core.id_numbers import PROVINCE_CODES
from motcua.dossiers.models import ApplicantKind, RatingLevel, ResultDelivery
from motcua.org.models import DeskKind, Role
from motcua.simulate import people, tickets
from motcua.simulate.profile import Profile
from motcua.simulate.randomness import rng_for
from motcua.simulate.stories import Actor, Applicant, DossierStory, TicketStory
from motcua.simulate.timeline import (
    BeyondHorizonError,
    Timeline,
    allotted,
    arrival,
    later,
    steps_for,
)
from motcua.simulate.world import DeskInfo, ProcedureInfo, World

PROCESSING_ROLES = {Role.SPECIALIST, Role.LEADER}
REFUSALS = (
    "Thành phần hồ sơ không đầy đủ theo quy định.",
    "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan.",
    "Giấy tờ nộp kèm đã hết hiệu lực.",
)
SUPPLEMENTS = (
    ("Thiếu bản sao giấy tờ chứng minh nơi cư trú.", ("Giấy xác nhận thông tin về cư trú",)),
    ("Tờ khai chưa ghi đủ thông tin.", ("Tờ khai (bổ sung chữ ký, ngày tháng)",)),
    ("Bản vẽ không khớp hiện trạng.", ("Bản vẽ hiện trạng", "Biên bản xác minh")),
)
WITHDRAWALS = ("Người nộp không còn nhu cầu giải quyết.", "Người nộp xin rút để bổ sung sau.")
APOLOGY = "Hồ sơ cần xác minh thêm nên chưa giải quyết kịp thời hạn; xin lỗi và hẹn lại."
# Amounts asked during processing when the method states no fee (land taxes, duties), VND.
OBLIGATIONS = (50_000, 100_000, 200_000, 500_000, 1_500_000, 4_000_000)


@dataclass(frozen=True)
class Popularity:
    """How often each procedure is chosen: the sector's weight (``sector_weights``, the rest
    sharing ``other_sectors_weight`` by their number of procedures), split inside the sector
    by Zipf over a seeded ranking of its procedures."""

    procedures: list[ProcedureInfo]
    cumulative: list[float]

    @classmethod
    def of(cls, world: World, profile: Profile, seed: int) -> Popularity:
        by_sector: dict[str, list[ProcedureInfo]] = {}
        for procedure in world.procedures:
            by_sector.setdefault(procedure.sector, []).append(procedure)
        others = sum(len(p) for s, p in by_sector.items() if s not in profile.sector_weights)
        ranking = rng_for(seed, "popularity")
        chosen, weights = [], []
        for sector in sorted(by_sector):
            members = by_sector[sector]
            ranking.shuffle(members)
            if sector in profile.sector_weights:
                total = profile.sector_weights[sector]
            else:
                total = profile.other_sectors_weight * len(members) / max(others, 1)
            zipf = [1 / (rank**profile.procedure_zipf) for rank in range(1, len(members) + 1)]
            scale = total / sum(zipf)
            chosen += members
            weights += [w * scale for w in zipf]
        return cls(chosen, list(itertools.accumulate(weights)))

    def draw(self, rng: random.Random) -> ProcedureInfo:
        point = rng.random() * self.cumulative[-1]
        return self.procedures[bisect.bisect_right(self.cumulative, point)]

    def weight(self, procedure_id: int) -> float:
        index = next(i for i, p in enumerate(self.procedures) if p.id == procedure_id)
        before = self.cumulative[index - 1] if index else 0.0
        return (self.cumulative[index] - before) / self.cumulative[-1]


@dataclass
class DayPlan:
    day: dt.date
    dossiers: list[DossierStory] = field(default_factory=list)
    tickets: list[TicketStory] = field(default_factory=list)


class Plan:
    """Stories for ``days`` calendar days from ``start``."""

    def __init__(
        self,
        world: World,
        profile: Profile,
        *,
        start: dt.date,
        days: int,
        seed: int,
        horizon: dt.datetime | None = None,
    ) -> None:
        if not world.procedures:
            raise ValueError("Chưa có thủ tục nào nhận hồ sơ (cần quy trình và nơi tiếp nhận).")
        self.world, self.profile, self.seed = world, profile, seed
        self.start, self.end = start, start + dt.timedelta(days=days)
        tz = world.calendar(None).tz
        self.horizon = horizon or dt.datetime.combine(self.end, dt.time(), tz)
        self.popularity = Popularity.of(world, profile, seed)

    def dates(self) -> Iterator[dt.date]:
        day = self.start
        while day < self.end:
            yield day
            day += dt.timedelta(days=1)

    def days(self) -> Iterator[DayPlan]:
        for day in self.dates():
            yield self.day(day)

    def day(self, day: dt.date) -> DayPlan:
        plan = DayPlan(day)
        calendar = self.world.calendar(None)
        working = calendar.is_working_day(day)
        rng = rng_for(self.seed, day.isoformat(), "count")
        if working:
            count = round(self.profile.arrivals_per_day * rng.uniform(0.8, 1.2))
            for number in range(1, count + 1):
                key = f"{day.isoformat()}/{number:05d}"
                plan.dossiers.append(self.dossier(key, day, rng_for(self.seed, key)))
        plan.tickets = tickets.day_tickets(self, day, working=working)
        return plan

    # One dossier
    def dossier(self, key: str, day: dt.date, rng: random.Random) -> DossierStory:
        world = self.world
        procedure = self.popularity.draw(rng)
        channel = self._channel(rng, procedure)
        desk = self._desk(rng, procedure, channel)
        if desk is None:  # no desk takes it that way: at any desk that takes it
            channel = Channel.DIRECT
            desk = world.desks[rng.choice(procedure.desk_ids)]
        competent = (
            procedure.competent_agency_id or desk.committee_id or rng.choice(world.committees)
        )
        applicant = self._applicant(rng, day, online=channel == Channel.ONLINE)
        story = DossierStory(
            key=key,
            procedure_id=procedure.id,
            procedure_code=procedure.code,
            sector=procedure.sector,
            template_id=procedure.template_id,
            desk_id=desk.id,
            receiving_agency_id=desk.agency_id,
            competent_agency_id=competent,
            channel=channel,
            applicant=applicant,
            result_delivery=ResultDelivery.POSTAL
            if channel == Channel.POSTAL
            else ResultDelivery.DESK,
            fee_total_vnd=procedure.fees.get(channel, 0),
            result_names=procedure.result_names,
            arrives_at=arrival(rng, world, desk.agency_id, day),
        )
        timeline = Timeline(world, story, self.horizon)
        with contextlib.suppress(BeyondHorizonError):
            self._live(rng, timeline, procedure)
        return story

    def _channel(self, rng: random.Random, procedure: ProcedureInfo) -> str:
        draw = rng.random()
        if procedure.online and draw < self.profile.online_share:
            return Channel.ONLINE
        if draw >= 1 - self.profile.postal_share:
            return Channel.POSTAL
        return Channel.DIRECT

    def _desk(self, rng: random.Random, procedure: ProcedureInfo, channel: str) -> DeskInfo | None:
        desks = [self.world.desks[d] for d in procedure.desk_ids]
        if channel == Channel.POSTAL:
            kinds = [DeskKind.POST_OFFICE]
        else:
            share = (
                self.profile.commune_desk_share
                if procedure.commune_level
                else self.profile.province_at_commune_share
            )
            if channel == Channel.ONLINE:  # checked where the procedure is decided
                share = 1.0 if procedure.commune_level else 0.0
            kinds = (
                [DeskKind.COMMUNE] if rng.random() < share else [DeskKind.CENTRE, DeskKind.AGENCY]
            )
        fitting = [d for d in desks if d.kind in kinds]
        return rng.choice(fitting) if fitting else None

    def _applicant(self, rng: random.Random, day: dt.date, *, online: bool) -> Applicant:
        born_here = rng.random() < 0.85
        code = self.world.province_id_code if born_here else rng.choice(sorted(PROVINCE_CODES))
        who = people.person(rng, on=day, province_code=code, communes=self.world.communes)
        business = rng.random() < self.profile.business_share
        return Applicant(
            kind=ApplicantKind.BUSINESS if business else ApplicantKind.CITIZEN,
            name=people.firm_name(rng) if business else who.name,
            id_number=who.id_number,
            phone=who.phone,
            email="",
            address=who.address,
            born=who.born,
            account=not business and (online or rng.random() < self.profile.account_share),
        )

    def _live(self, rng: random.Random, timeline: Timeline, procedure: ProcedureInfo) -> None:
        """Draw the dossier's fate, then play it on the timeline until it ends or the horizon
        stops it. The horizon only cuts the tail: a longer plan extends a story, it never
        rewrites it."""
        profile, story = self.profile, timeline.story
        fate = {
            name: rng.random()
            for name in (
                "refuse", "late", "apology", "supplement", "payment", "online_payment",
                "withdraw", "rating",
            )
        }  # fmt: skip

        u, wait = rng.uniform, partial(_wait, rng)
        at = story.arrives_at
        if story.channel == Channel.ONLINE:
            timeline.submit(at, Actor("citizen"))
            at = later(self.world, story.receiving_agency_id, at, wait(profile.acceptance_hours))
        if fate["refuse"] < profile.refusal_share:
            timeline.refuse(at, rng.choice(REFUSALS))
            return
        steps = steps_for(procedure, story.competent_agency_id)
        timeline.receive(at, steps)
        late = fate["late"] < profile.late_share
        back = timeline.return_step
        working = [s for s in story.steps if s is not back]
        processing = next((s for s in working if s.role in PROCESSING_ROLES), working[-1])
        withdraw_in = (
            rng.choice(working).position if fate["withdraw"] < profile.withdrawal_share else None
        )
        for step in working:
            length = allotted(step) * u(*profile.step_pace)
            start = step.started_at or at
            end = later(self.world, step.agency_id, start, length)
            if withdraw_in == step.position:
                timeline.withdraw(
                    later(self.world, step.agency_id, start, length * u(0.1, 0.9)),
                    rng.choice(WITHDRAWALS),
                )
                return
            if step is processing:
                end = self._pauses(rng, timeline, fate, start, length)
            if step is working[-1]:
                end = self._decide(rng, timeline, fate, end, late)
                timeline.mark_result_ready(end)
            else:
                timeline.forward(end)
        returned = later(
            self.world,
            story.receiving_agency_id,
            story.finished_at or at,
            wait(profile.pickup_hours),
        )
        timeline.return_result(returned)
        if story.applicant.account and fate["rating"] < profile.rating_share:
            level = rng.choices(list(RatingLevel.values), weights=profile.rating_levels)[0]
            timeline.rate(later(self.world, story.receiving_agency_id, returned, u(0.1, 16)), level)

    def _pauses(
        self,
        rng: random.Random,
        timeline: Timeline,
        fate: dict[str, float],
        start: dt.datetime,
        length: float,
    ) -> dt.datetime:
        """A supplement, then fees, in the processing step; the step's work resumes after."""
        u, wait = rng.uniform, partial(_wait, rng)
        profile, story, agency = self.profile, timeline.story, timeline.current.agency_id
        done = 0.0
        at = start
        if fate["supplement"] < profile.supplement_share:
            done = length * u(0.2, 0.5)
            reason, items = rng.choice(SUPPLEMENTS)
            timeline.request_supplement(later(self.world, agency, start, done), reason, items)
            at = later(
                self.world,
                story.competent_agency_id,
                story.paused_at or start,
                wait(profile.supplement_hours),
            )
            timeline.complete_supplement(at)
        if fate["payment"] < profile.payment_share:
            step_done = length * u(0.55, 0.9)
            asked = later(self.world, agency, at, max(step_done - done, 0.05))
            done = max(done, step_done)
            due = story.fee_total_vnd - story.paid_vnd
            amount = due if due > 0 else rng.choice(OBLIGATIONS)
            timeline.request_payment(asked, amount)
            online = fate["online_payment"] < profile.online_payment_share
            at = later(self.world, story.competent_agency_id, asked, wait(profile.payment_hours))
            timeline.record_payment(at, amount, f"SIM-{story.key}-{len(story.changes)}", online)
        return later(self.world, agency, at, max(length - done, 0.05))

    def _decide(
        self,
        rng: random.Random,
        timeline: Timeline,
        fate: dict[str, float],
        end: dt.datetime,
        late: bool,
    ) -> dt.datetime:
        """When the deciding step ends: by the due moment for an on-time dossier (when there
        is still time), after it for a late one, with an apology before it if drawn."""
        profile, story, u = self.profile, timeline.story, rng.uniform
        due, start = story.due_at, timeline.current.started_at
        if due is None or start is None:
            return end
        if late:
            if not timeline.is_late(end):
                end = later(
                    self.world, story.competent_agency_id, due, profile.late_hours * u(0.2, 1.8)
                )
            if fate["apology"] < profile.apology_share:
                before = max(start, story.changes[-1].at) + dt.timedelta(minutes=1)
                if before < due:
                    new_due = later(self.world, story.competent_agency_id, end, u(1, 16))
                    timeline.apologise(
                        max(before, due - dt.timedelta(hours=u(0.5, 4))), new_due, APOLOGY
                    )
        else:
            last = max(start, story.changes[-1].at)
            if timeline.is_late(end) and last < due - dt.timedelta(minutes=5):
                end = last + (due - last) * u(0.5, 0.99)
        return end


def _wait(rng: random.Random, mean: float) -> float:
    """A wait in working hours: exponential around ``mean``, at least a minute."""
    return max(1 / 60, rng.expovariate(1 / mean)) if mean > 0 else 1 / 60
