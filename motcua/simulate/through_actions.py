"""``simulate --through-actions``: the plan's stories replayed through the real actions, in
time order, on a moving clock (docs/simulate.md "Through the actions").

Every change is the action a desk, an agency, a citizen or the payment gateway would take,
called inside ``core.actions.acting_at(change.at)`` and its own transaction, so the events,
their chains, the counters, the notices and the outbox rows are exactly what production
writes, dated when the story says. At the end of each day the deadline jobs run as of that
moment (``flag_deadlines``, ``flag_tickets``), so near-due and overdue flags and the open
counters are what they would have been.

Interrupting (Ctrl-C) stops between two changes: every change done is committed whole, and
the run is marked interrupted with what it did. Where the real action arrives at another due
moment or outcome than the plan computed, the change still happens (the action is the
truth) and ``Progress.mismatches`` counts it: the bulk writer trusts the plan's figures, and
the tests require none.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from motcua.catalog.models import Channel, Procedure
from motcua.core.actions import acting_at
from motcua.dossiers import actions as desk
from motcua.dossiers.deadlines import flag_deadlines
from motcua.dossiers.models import Dossier, RatingCriterion
from motcua.hotline import actions as hotline
from motcua.hotline.actions.publication import publication_draft
from motcua.hotline.contacts import contact_for
from motcua.hotline.deadlines import flag_tickets
from motcua.hotline.models import Ticket
from motcua.hotline.status import TicketChannel
from motcua.org.models import Agency, Desk
from motcua.simulate.cast import Cast, day_end
from motcua.simulate.models import SimulatedDossier, SimulatedTicket, SimulationRun
from motcua.simulate.plan import Plan
from motcua.simulate.stories import Change, DossierStory, TicketChange, TicketStory

# Channels where the contact is an account on a chat platform: the reply goes there.
PLATFORM_CHANNELS = {TicketChannel.ZALO, TicketChannel.FACEBOOK}


@dataclass
class Progress:
    """What a run did so far."""

    dossiers: int = 0
    tickets: int = 0
    changes: int = 0
    days: int = 0
    flagged: int = 0
    mismatches: list[str] = field(default_factory=list)


Story = DossierStory | TicketStory


class ThroughActions:
    """Replays ``plan`` into the database for ``run``; ``tick`` is called after each change
    (a progress bar)."""

    def __init__(
        self, plan: Plan, run: SimulationRun, tick: Callable[[Progress], None] | None = None
    ) -> None:
        self.plan, self.run = plan, run
        self.cast = Cast(plan.world, plan.seed)
        self.progress = Progress()
        self.tick = tick or (lambda progress: None)
        self._records: dict[str, Any] = {}  # story key → its Dossier or Ticket
        self._queue: list[tuple[dt.datetime, int, int, Story]] = []
        self._order = 0
        self._procedures: dict[int, Procedure] = {}
        self._desks: dict[int, Desk] = {}
        self._agencies: dict[int, Agency] = {}
        self._criteria = list(
            RatingCriterion.objects.filter(active=True).values_list("pk", flat=True)
        )

    def run_all(self) -> Progress:
        """Every day of the plan: its stories join the queue, the changes due before the
        day's end are taken in time order, then the deadline jobs run."""
        for day in self.plan.days():
            stories: list[Story] = [*day.dossiers, *day.tickets]
            for story in stories:
                self._push(story, 0)
            end = min(day_end(day.day, self.plan.world), self.plan.horizon)
            while self._queue and self._queue[0][0] <= end:
                _at, _order, index, story = heapq.heappop(self._queue)
                self._take(story, index)
                if index + 1 < len(story.changes):
                    self._push(story, index + 1)
            self._end_of_day(end)
        return self.progress

    def _push(self, story: Story, index: int) -> None:
        if index < len(story.changes):
            self._order += 1
            heapq.heappush(self._queue, (story.changes[index].at, self._order, index, story))

    def _take(self, story: Story, index: int) -> None:
        change = story.changes[index]
        created = self._records.get(story.key) is None
        with acting_at(change.at), transaction.atomic():
            if isinstance(story, DossierStory):
                assert isinstance(change, Change)
                self._dossier_change(story, change)
            else:
                assert isinstance(change, TicketChange)
                self._ticket_change(story, change)
        # Counted once committed: an interrupted change counts for nothing.
        if created and isinstance(story, DossierStory):
            self.progress.dossiers += 1
        elif created:
            self.progress.tickets += 1
        self.progress.changes += 1
        self.tick(self.progress)

    def _end_of_day(self, end: dt.datetime) -> None:
        with acting_at(end):
            flagged = flag_deadlines(at=end)
            flag_tickets(at=end)
        self.progress.flagged += flagged.overdue + flagged.near_due
        self.progress.days += 1
        SimulationRun.objects.filter(pk=self.run.pk).update(
            dossiers=self.progress.dossiers,
            tickets=self.progress.tickets,
            changes=self.progress.changes,
        )

    # Dossiers
    def _dossier_change(self, story: DossierStory, change: Change) -> None:
        officer = self.cast.user(change.actor, story.applicant)
        known: Dossier | None = self._records.get(story.key)
        if known is None:
            dossier = self._first(story, change, officer)
            SimulatedDossier.objects.create(dossier=dossier, run=self.run)
        elif change.kind == "rate":
            if officer is not None:  # None: an account the identity provider would not give
                answers = dict.fromkeys(self._criteria, change.level)
                desk.rate_dossier(
                    dossier=known, citizen=officer, level=change.level, answers=answers
                )
            return
        else:
            dossier = self._next(known, change, officer)
        self._records[story.key] = dossier
        self._check(story, change, dossier)

    def _first(self, story: DossierStory, change: Change, officer: Any) -> Dossier:
        """The change that creates the dossier: submitted online, received, or refused."""
        application = self._application(story)
        if change.kind == "submit":
            return desk.submit_online(application=application, citizen=officer)
        if change.kind == "receive":
            return desk.receive_dossier(application=application, officer=officer)
        if change.kind == "refuse":
            return desk.refuse_at_desk(
                application=application, officer=officer, reason=change.reason
            )
        raise ValueError(f"a dossier cannot start with {change.kind!r}")

    def _next(self, dossier: Dossier, change: Change, officer: Any) -> Dossier:
        """Every later change: the action of the same name."""
        kind, reason = change.kind, change.reason
        if kind == "receive":
            return desk.accept_submission(dossier=dossier, officer=officer)
        if kind == "refuse":
            return desk.refuse_submission(dossier=dossier, officer=officer, reason=reason)
        if kind == "forward":
            return desk.forward_dossier(dossier=dossier, officer=officer)
        if kind == "request_supplement":
            items = list(change.items)
            return desk.request_supplement(
                dossier=dossier, officer=officer, reason=reason, items=items
            )
        if kind == "complete_supplement":
            return desk.complete_supplement(dossier=dossier, officer=officer)
        if kind == "request_payment":
            amount = change.amount_vnd
            return desk.request_payment(dossier=dossier, officer=officer, amount_vnd=amount)
        if kind == "record_payment":
            return desk.record_payment(
                dossier=dossier,
                officer=officer,
                amount_vnd=change.amount_vnd,
                reference=change.reference,
            )
        if kind == "apologise" and change.due_at is not None:
            return desk.apologise(
                dossier=dossier, officer=officer, reason=reason, new_due_at=change.due_at
            )
        if kind == "withdraw":
            return desk.withdraw_dossier(dossier=dossier, officer=officer, reason=reason)
        if kind == "mark_result_ready":
            results = list(dossier.procedure.results.values_list("name", flat=True)[:1])
            return desk.mark_result_ready(dossier=dossier, officer=officer, results=results or None)
        if kind == "return_result":
            return desk.return_result(dossier=dossier, officer=officer)
        raise ValueError(f"unknown dossier change {kind!r}")

    def _check(self, story: DossierStory, change: Change, dossier: Dossier) -> None:
        """Count where the action and the plan disagree (the plan is the bulk writer's)."""
        wanted: dict[str, object] = {"outcome": change.outcome} if change.outcome else {}
        if change.due_at is not None and change.kind != "apologise":
            wanted["due_at"] = change.due_at
        for name, value in wanted.items():
            have = getattr(dossier, name)
            if have != value:
                self.progress.mismatches.append(
                    f"{story.key} {change.kind} {name}: {have} ≠ {value}"
                )

    def _application(self, story: DossierStory) -> desk.Application:
        procedure = self._procedure(story.procedure_id)
        office = self._desk(story.desk_id)
        chosen = None if procedure.competent_agency_id else self._agency(story.competent_agency_id)
        applicant = story.applicant
        documents = [
            desk.ReceivedDocument(name=d.name, originals=d.originals, copies=d.copies)
            for d in procedure.documents.all()
            if d.mandatory and d.withdrawn_from is None
        ][:6]
        return desk.Application(
            procedure=procedure,
            desk=office,
            channel=story.channel,
            applicant=desk.Applicant(
                kind=applicant.kind,
                name=applicant.name,
                id_number=applicant.id_number,
                phone=applicant.phone,
                email=applicant.email,
                address=applicant.address,
            ),
            documents=documents,
            result_delivery=story.result_delivery,
            delivery_address=applicant.address if story.channel == Channel.POSTAL else "",
            competent_agency=chosen,
        )

    def _procedure(self, pk: int) -> Procedure:
        if pk not in self._procedures:
            self._procedures[pk] = Procedure.objects.prefetch_related(
                "methods__fees",
                "results",
                # Only the mandatory ones are handed in (RequiredDocument.mandatory).
                "documents",
            ).get(pk=pk)
        return self._procedures[pk]

    def _desk(self, pk: int) -> Desk:
        if pk not in self._desks:
            self._desks[pk] = Desk.objects.select_related("unit", "agency").get(pk=pk)
        return self._desks[pk]

    def _agency(self, pk: int) -> Agency:
        if pk not in self._agencies:
            self._agencies[pk] = Agency.objects.select_related("unit").get(pk=pk)
        return self._agencies[pk]

    # Tickets
    def _ticket_change(self, story: TicketStory, change: TicketChange) -> None:
        user = self.cast.user(change.actor)
        known: Ticket | None = self._records.get(story.key)
        if known is None:
            ticket = self._open(story, user)
            SimulatedTicket.objects.create(ticket=ticket, run=self.run)
        elif change.kind == "claim":
            ticket = hotline.claim_ticket(ticket=known, user=user)
        elif change.kind == "route" and change.agency_id is not None:
            agency = self._agency(change.agency_id)
            ticket = hotline.route_ticket(ticket=known, user=user, agency=agency)
        elif change.kind == "answer":
            ticket = known
            if known.answered_at is None:  # else answered on the call, when it was logged
                hotline.answer_ticket(
                    ticket=known, user=user, body=change.body, in_person=change.in_person
                )
        elif change.kind == "rate":
            ticket = hotline.rate_ticket(ticket=known, rating=change.rating)
        elif change.kind == "ask_details":
            ticket = known
            hotline.ask_for_details(ticket=known, user=user, body=change.body)
        elif change.kind == "decline":
            ticket = hotline.decline_ticket(ticket=known, user=user, reason=change.reason)
        elif change.kind == "publish":
            ticket = known
            hotline.publish_answer(ticket=known, user=user, **publication_draft(known))
        else:
            raise ValueError(f"unknown ticket change {change.kind!r}")
        self._records[story.key] = Ticket.objects.get(pk=ticket.pk)

    def _open(self, story: TicketStory, user: Any) -> Ticket:
        procedure = self._procedure(story.procedure_id) if story.procedure_id else None
        if story.channel == TicketChannel.PHONE:
            # A question answered on the call is logged with its answer (the next change).
            answered = next(
                (c for c in story.changes[1:2] if c.kind == "answer" and c.in_person), None
            )
            return hotline.log_call(
                operator=user,
                phone=story.contact_phone,
                name=story.contact_name,
                kind=story.kind,
                body=story.body,
                answer=answered.body if answered else "",
                procedure=procedure,
            )
        sender = f"mophong-{story.contact_phone}" if story.channel in PLATFORM_CHANNELS else ""
        email = (
            f"{story.contact_phone}@mo-phong.invalid"
            if story.channel == TicketChannel.EMAIL
            else ""
        )
        contact = contact_for(
            channel=story.channel if sender else "",
            sender_id=sender,
            name=story.contact_name,
            phone=story.contact_phone,
            email=email,
        )
        return hotline.open_ticket(
            channel=story.channel,
            kind=story.kind,
            body=story.body,
            subject=story.subject,
            contact=contact,
            actor=None,
            procedure=procedure,
            sector=procedure.sector if procedure else None,
        )
