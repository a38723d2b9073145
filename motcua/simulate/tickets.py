"""Hotline tickets of the plan: who writes or calls the 1022 hotline, about what, and how
it is answered (docs/simulate.md "Hotline").

A call is logged by an operator and, for most questions, answered on the call; anything
else waits in the 1022 queue until an operator claims it, then is answered by the operator
or routed to the agency responsible, whose specialist answers. Some citizens rate the
answer. A feedback or petition may be declined (its agency's leader, or the operator at
1022), or its sender asked for details before the answer; some answered ones are published.
The due moment is the kind's response time on the province's calendar
(``hotline.clock.due_for``); the outcome is late when the first answer comes after it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from motcua.hotline.models import TicketOutcome
from motcua.hotline.status import (
    FEEDBACK_KINDS,
    DeclineReason,
    TicketChannel,
    TicketKind,
    TicketStatus,
)
from motcua.org.models import Role
from motcua.simulate import people
from motcua.simulate.randomness import rng_for
from motcua.simulate.stories import Actor, TicketChange, TicketStory
from motcua.simulate.timeline import arrival, later
from motcua.workcalendar.hours import add_working_hours

if TYPE_CHECKING:
    from motcua.simulate.plan import Plan

# Calls and walk-ins come in working hours; messages on these channels come any day.
ANSWERED_LIVE = frozenset({TicketChannel.PHONE, TicketChannel.WALK_IN})
QUESTIONS: dict[str, str] = {
    TicketKind.QUESTION: "Xin hỏi thủ tục «{procedure}» cần những giấy tờ gì và mất bao lâu?",
    TicketKind.FEEDBACK: "Phản ánh: nộp hồ sơ «{procedure}» phải đi lại nhiều lần.",
    TicketKind.PETITION: "Kiến nghị rút ngắn thời gian giải quyết thủ tục «{procedure}».",
    TicketKind.COMPLAINT: "Khiếu nại việc hồ sơ «{procedure}» bị trả lại không nêu rõ lý do.",
    TicketKind.SERVICE_REQUEST: "Đề nghị bưu điện đến nhận hồ sơ «{procedure}» tại nhà.",
}
ANSWERS: dict[str, str] = {
    TicketKind.QUESTION: "Hồ sơ gồm các giấy tờ theo thủ tục đã công bố; thời hạn giải quyết "
    "ghi trên giấy tiếp nhận. Ông/bà có thể nộp trực tuyến trên Cổng dịch vụ công.",
    TicketKind.FEEDBACK: "Cơ quan đã tiếp thu phản ánh và chấn chỉnh việc hướng dẫn hồ sơ.",
    TicketKind.PETITION: "Kiến nghị đã được ghi nhận để rà soát, đơn giản hóa thủ tục.",
    TicketKind.COMPLAINT: "Cơ quan đã kiểm tra, hướng dẫn lại thành phần hồ sơ và xin lỗi ông/bà.",
    TicketKind.SERVICE_REQUEST: "Bưu điện sẽ liên hệ để hẹn thời gian đến nhận hồ sơ.",
}
ASK_DETAILS = (
    "Đề nghị ông/bà cho biết thêm địa điểm, thời gian và số hồ sơ (nếu có) để cơ quan xem xét."
)
OPERATOR = Role.HOTLINE_OPERATOR
# Mean working hours from claiming a feedback to declining it or asking for details, and from
# its answer to publishing it (docs/simulate.md "Hotline").
DECLINE_HOURS = 8.0
ASK_HOURS = 12.0
PUBLISH_HOURS = 8.0


def day_tickets(plan: Plan, day: dt.date, *, working: bool) -> list[TicketStory]:
    """The tickets arriving on ``day``: ``tickets_per_day`` on a working day, the online
    channels' ``weekend_ticket_share`` of it on a day off."""
    profile = plan.profile
    rng = rng_for(plan.seed, day.isoformat(), "tickets")
    expected = profile.tickets_per_day * (1.0 if working else profile.weekend_ticket_share)
    channels = {
        c: w for c, w in profile.ticket_channels.items() if working or c not in ANSWERED_LIVE
    }
    if not channels:
        return []
    count = round(expected * rng.uniform(0.8, 1.2))
    stories = []
    for number in range(1, count + 1):
        key = f"{day.isoformat()}/t{number:04d}"
        stories.append(ticket(plan, key, day, rng_for(plan.seed, key), channels))
    return stories


def ticket(
    plan: Plan, key: str, day: dt.date, rng: random.Random, channels: dict[str, float]
) -> TicketStory:
    profile, world = plan.profile, plan.world
    channel = rng.choices(list(channels), weights=list(channels.values()))[0]
    kinds = profile.ticket_kinds
    kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
    procedure = plan.popularity.draw(rng)
    who = people.person(rng, on=day, province_code=world.province_id_code, communes=world.communes)
    calendar = world.calendar(None)
    if channel in ANSWERED_LIVE:
        at = arrival(rng, world, None, day)
    else:
        at = dt.datetime.combine(day, dt.time(6), calendar.tz) + dt.timedelta(
            minutes=rng.randrange(16 * 60)
        )
    due = add_working_hours(calendar, at, dt.timedelta(hours=float(world.ticket_hours[kind])))
    body = QUESTIONS[kind].format(procedure=procedure.name[:150])
    story = TicketStory(
        key=key,
        channel=channel,
        kind=kind,
        contact_name=who.name,
        contact_phone=who.phone,
        subject=body[:120],
        body=body,
        procedure_id=procedure.id,
        sector=procedure.sector,
        received_at=at,
        due_at=due,
    )
    agency = procedure.competent_agency_id or rng.choice(world.committees)
    _handle(plan, story, rng, agency)
    return story


def _handle(plan: Plan, story: TicketStory, rng: random.Random, agency_id: int) -> None:
    profile, world = plan.profile, plan.world
    operator = Actor("staff", role=OPERATOR)  # any operator of the province's 1022
    live = story.channel in ANSWERED_LIVE
    on_call = (
        live and story.kind == TicketKind.QUESTION and rng.random() < profile.answered_on_call_share
    )
    routed = rng.random() < profile.routed_share
    rated = rng.random() < profile.ticket_rating_share
    rating = rng.choices(range(1, 6), weights=profile.ticket_ratings)[0]
    opener = operator if live else Actor("system")
    if not _add(plan, story, TicketChange("open", story.received_at, opener, due_at=story.due_at)):
        return
    story.status = TicketStatus.NEW
    if on_call:
        answered = story.received_at
        answerer = operator
    else:
        claimed = later(world, None, story.received_at, max(1 / 60, rng.expovariate(1.0)))
        if not _add(plan, story, TicketChange("claim", claimed, operator)):
            return
        story.status = TicketStatus.TRIAGE
        answerer = operator
        if routed:
            if not _add(plan, story, TicketChange("route", claimed, operator, agency_id=agency_id)):
                return
            story.status, story.agency_id = TicketStatus.ROUTED, agency_id
            answerer = Actor("staff", role=Role.SPECIALIST, agency_id=agency_id)
        hours = max(1 / 60, rng.expovariate(1 / max(profile.answer_hours, 1 / 60)))
        answered = later(world, answerer.agency_id, claimed, hours)
        if story.kind in FEEDBACK_KINDS:
            # Drawn apart, so the other tickets' draws stay those of earlier plans.
            feedback = rng_for(plan.seed, story.key, "feedback")
            draw = feedback.random()
            agency = story.agency_id
            if draw < profile.ticket_decline_share:
                decider = Actor("staff", role=Role.LEADER, agency_id=agency) if agency else operator
                at = later(world, agency, claimed, feedback.expovariate(1 / DECLINE_HOURS))
                reason = feedback.choice(DeclineReason.values)
                if _add(plan, story, TicketChange("decline", at, decider, reason=reason)):
                    story.status = TicketStatus.CLOSED
                return
            if draw < profile.ticket_decline_share + profile.ticket_ask_share:
                asked = later(world, agency, claimed, feedback.expovariate(1 / ASK_HOURS))
                if not _add(
                    plan, story, TicketChange("ask_details", asked, answerer, body=ASK_DETAILS)
                ):
                    return
                answered = later(world, agency, asked, hours)
    outcome = TicketOutcome.LATE if answered > story.due_at else TicketOutcome.ON_TIME
    change = TicketChange(
        "answer",
        answered,
        answerer,
        body=ANSWERS[story.kind],
        outcome=outcome,
        in_person=on_call,
    )
    if not _add(plan, story, change):
        return
    story.status, story.answered_at, story.outcome = TicketStatus.ANSWERED, answered, outcome
    after: list[TicketChange] = []
    if rated:
        at = answered + dt.timedelta(minutes=rng.randrange(5, 48 * 60))
        after.append(TicketChange("rate", at, Actor("citizen"), rating=rating))
    if story.kind in FEEDBACK_KINDS:
        feedback = rng_for(plan.seed, story.key, "publish")
        if feedback.random() < profile.ticket_publish_share:
            hours = feedback.expovariate(1 / PUBLISH_HOURS)
            at = later(world, story.agency_id, answered, hours)
            after.append(TicketChange("publish", at, operator))
    for change in sorted(after, key=lambda c: c.at):
        if not _add(plan, story, change):
            return
        if change.kind == "rate":
            story.rating = rating


def _add(plan: Plan, story: TicketStory, change: TicketChange) -> bool:
    """Append the change unless it falls after the plan's horizon."""
    if change.at > plan.horizon:
        return False
    story.changes.append(change)
    return True
