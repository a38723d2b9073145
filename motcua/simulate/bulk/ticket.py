"""One hotline ticket's rows, built in memory as the ticket actions would write them for a
ticket story (docs/simulate.md "Bulk mode").

The same steps as the through-actions runner takes: a call is logged by the operator
(``log_call``, answered on the call when the story says so), a message on another channel
opens the ticket with no actor (``open_ticket``); then claim, route, ask for details or
decline (a feedback or petition), answer, rate and publish, and the deadline job
(``hotline.deadlines.flag_tickets``) at each day's end, which flags the overdue and
escalates them once. The ticket's final share of the hotline counters is the one
``hotline.counters.share`` gives its final state.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.chain import canonical
from motcua.core.text import fold, normalize, normalize_block
from motcua.dossiers.models import DeadlineFlag
from motcua.hotline import routing
from motcua.hotline.actions.feedback import decline_text
from motcua.hotline.actions.publication import approved_texts, draft_texts
from motcua.hotline.channels.registry import DELIVERED_CHANNELS
from motcua.hotline.deadlines import NEAR_DUE
from motcua.hotline.models import (
    Delivery,
    Direction,
    PublicAnswer,
    Ticket,
    TicketMessage,
    TicketOutcome,
)
from motcua.hotline.status import OPEN, TicketChannel, TicketStatus
from motcua.simulate.bulk.chains import History
from motcua.simulate.bulk.ledger import CodeBook, IdPool
from motcua.simulate.bulk.province import Province
from motcua.simulate.stories import TicketStory
from motcua.workcalendar.hours import add_working_hours, working_hours_between

logger = logging.getLogger(__name__)
ESCALATION_REASON = "Quá hạn trả lời."


def _defaults(model: Any) -> dict[str, Any]:
    return {
        f.column: f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key and not (f.has_default() and callable(f.default))
    }


TICKET_DEFAULTS = _defaults(Ticket)
MESSAGE_DEFAULTS = _defaults(TicketMessage)
PUBLIC_ANSWER_DEFAULTS = _defaults(PublicAnswer)


@functools.lru_cache(maxsize=16_384)
def suggestions(text: str) -> str:
    """The routing suggestions ``open_ticket`` keeps, as JSON, once per text (the plan's
    texts repeat; each suggestion asks the database whether the model is current)."""
    try:
        found = routing.suggest(text)
    except Exception:  # as intake: suggestions help operators, their failure loses nothing
        logger.exception("routing suggestions failed")
        return "[]"
    return canonical(
        [
            {
                "sector_id": s.sector_id,
                "sector": s.sector_name,
                "agency_id": s.agency_id,
                "agency": s.agency_name,
                "confidence": round(s.confidence, 3),
            }
            for s in found
        ]
    )


def summary(body: str) -> str:
    """``intake._summary``."""
    first = body.splitlines()[0] if body else ""
    return first if len(first) <= 120 else first[:117].rstrip() + "…"


class TicketDraft:
    def __init__(
        self,
        province: Province,
        *,
        pk: int,
        message_ids: IdPool,
        codes: CodeBook,
        contact_id: int,
        recipient: str,
        answer_ids: IdPool | None = None,
        contact_name: str = "",
    ) -> None:
        self.province = province
        self.pk = pk
        self._message_ids = message_ids
        self._codes = codes
        self.contact_id = contact_id
        self.recipient = recipient
        self.history = History("ticket", pk, province.zone)
        self.row: dict[str, Any] = {}
        self.messages: list[dict[str, Any]] = []
        self.publications: list[dict[str, Any]] = []  # PublicAnswer rows
        self._answer_ids = answer_ids
        self.contact_name = contact_name
        self._changed_at: dt.datetime | None = None
        self._first_answer_at: dt.datetime | None = None

    @property
    def status(self) -> str:
        return str(self.row["status"])

    def _event(self, kind: str, at: dt.datetime, actor: int | None, **data: Any) -> None:
        self.history.append(kind, at=at, actor=self.province.actor(actor), **data)
        self._changed_at = at

    def _transition(
        self, kind: str, at: dt.datetime, actor: int | None, target: str | None, **data: Any
    ) -> None:
        """``handling._transition``: the status moves if the action moves it."""
        before = self.status
        if target is not None:
            self.row["status"] = target
        self._event(
            kind,
            at,
            actor,
            from_status=before,
            to_status=self.row["status"] if target else "",
            **data,
        )

    def _message(self, **values: Any) -> int:
        pk = self._message_ids.take()
        self.messages.append({**MESSAGE_DEFAULTS, "id": pk, "ticket_id": self.pk, **values})
        return pk

    # ---- intake (actions/intake.py) ------------------------------------------------------

    def open(self, story: TicketStory, *, actor: int | None, at: dt.datetime) -> None:
        body = normalize_block(story.body)
        subject = "" if story.channel == TicketChannel.PHONE else story.subject
        facts = self.province.procedures.get(story.procedure_id or 0)
        procedure = facts.procedure if facts else None
        due = add_working_hours(
            self.province.calendar(None),
            at,
            dt.timedelta(hours=float(self.province.response_hours[story.kind])),
        )
        self.row = {
            **TICKET_DEFAULTS,
            "id": self.pk,
            "code": self._codes.ticket_code(at.astimezone(self.province.zone).date()),
            "kind": story.kind,
            "channel": story.channel,
            "status": TicketStatus.NEW,
            "contact_id": self.contact_id,
            "subject": normalize(subject)[:255] or summary(body),
            "body": body,
            "sector_id": procedure.sector_id if procedure else None,
            "procedure_id": procedure.pk if procedure else None,
            "received_at": at,
            "due_at": due,
            "created_by_id": actor,
            "suggestions": suggestions(f"{subject} {body}"),
        }
        message = self._message(
            direction=Direction.INBOUND, channel=story.channel, body=body, at=at
        )
        self._event(
            "open",
            at,
            actor,
            to_status=TicketStatus.NEW,
            channel=story.channel,
            ticket_kind=story.kind,
            contact=self.contact_id,
            message=message,
            due_at=due,
        )

    # ---- handling (actions/handling.py, publication.py) ------------------------------------

    def claim(self, *, user: int, at: dt.datetime) -> None:
        self._transition("claim", at, user, TicketStatus.TRIAGE)
        self.row["assignee_id"] = user

    def route(self, *, user: int, at: dt.datetime, agency_id: int) -> None:
        previous = self.row["agency_id"]
        self.row.update(agency_id=agency_id, assignee_id=None)
        self._transition(
            "route",
            at,
            user,
            TicketStatus.ROUTED,
            agency=agency_id,
            agency_name=self.province.agencies[agency_id].name,
            previous_agency=previous,
            note="",
        )

    def _reply(self, *, user: int, at: dt.datetime, body: str, in_person: bool) -> int:
        """``handling.write_reply``. Delivered in the past: recorded as sent (docs/simulate.md
        "Bulk mode"), so no reply outbox sends a simulated message to anyone."""
        delivered = self.row["channel"] in DELIVERED_CHANNELS and not in_person
        _pk, name = self.province.actor(user)
        return self._message(
            direction=Direction.OUTBOUND,
            channel=self.row["channel"],
            body=body,
            at=at,
            author_id=user,
            author_name=name,
            recipient=self.recipient if delivered else "",
            delivery=Delivery.SENT if delivered else Delivery.IN_PERSON,
            attempts=1 if delivered else 0,
            attempted_at=at if delivered else None,
            sent_at=at if delivered else None,
        )

    def _seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        """``clock.working_seconds_between``: in the calendar of the ticket's agency now."""
        calendar = self.province.calendar(self.row["agency_id"])
        return round(working_hours_between(calendar, start, end).total_seconds())

    def answer(self, *, user: int, at: dt.datetime, body: str, in_person: bool) -> None:
        body = normalize_block(body)
        delivered = self.row["channel"] in DELIVERED_CHANNELS and not in_person
        message = self._reply(user=user, at=at, body=body, in_person=in_person)
        if self._first_answer_at is None:
            self._first_answer_at = at
        if self.row["answered_at"] is None:
            due = self.row["due_at"]
            late = due is not None and at > due
            self.row["outcome"] = TicketOutcome.LATE if late else TicketOutcome.ON_TIME
            calendar = self.province.calendar(self.row["agency_id"])
            seconds = working_hours_between(calendar, self.row["received_at"], at).total_seconds()
            self.row["first_answer_seconds"] = round(seconds)
        self.row.update(answered_at=at, deadline_flag=DeadlineFlag.NONE)
        self._transition(
            "answer",
            at,
            user,
            TicketStatus.ANSWERED,
            message=message,
            in_person=not delivered,
            outcome=self.row["outcome"],
            public_answer=None,
        )

    def rate(self, *, at: dt.datetime, rating: int) -> None:
        self.row.update(rating=rating, rating_comment="")
        self._event("rate", at, None, rating=rating)

    # ---- feedback (actions/feedback.py, publication.py) ----------------------------------

    def ask_details(self, *, user: int, at: dt.datetime, body: str) -> None:
        message = self._reply(user=user, at=at, body=normalize_block(body), in_person=False)
        first = self.row["asked_at"] is None
        if first:
            self.row.update(asked_at=at, ask_seconds=self._seconds(self.row["received_at"], at))
        self._transition("ask_details", at, user, None, message=message, first=first)

    def decline(self, *, user: int, at: dt.datetime, reason: str) -> None:
        body = decline_text(self.row["code"], reason, "")
        message = self._reply(user=user, at=at, body=body, in_person=False)
        if self.row["decline_seconds"] is None:
            self.row["decline_seconds"] = self._seconds(self.row["received_at"], at)
        self.row.update(
            decline_reason=reason, declined_at=at, closed_at=at, deadline_flag=DeadlineFlag.NONE
        )
        self._transition(
            "decline", at, user, TicketStatus.CLOSED, reason=reason, note="", message=message
        )

    def publish(self, *, user: int, at: dt.datetime) -> None:
        """``publish_answer`` of the texts the publish form drafts."""
        assert self._answer_ids is not None, "publishing needs the public answers' ids"
        answers = [m for m in self.messages if m["direction"] == Direction.OUTBOUND]
        last = max(answers, key=lambda m: (m["at"], m["id"]))["body"] if answers else ""
        name = self.contact_name
        texts = approved_texts(
            name, **draft_texts(name, self.row["subject"], self.row["body"], last)
        )
        agency = self.row["agency_id"]
        pk = self._answer_ids.take()
        self.publications.append(
            {
                **PUBLIC_ANSWER_DEFAULTS,
                "id": pk,
                **texts,
                "sector_id": self.row["sector_id"],
                "procedure_id": self.row["procedure_id"],
                "answered_by": self.province.agencies[agency].name
                if agency
                else _("Tổng đài 1022"),
                "ticket_id": self.pk,
                "published": True,
                "published_at": at,
                "published_by_id": user,
                "search_text": fold(f"{texts['title']} {texts['question']} {texts['answer']}"),
            }
        )
        self._event("publish", at, user, public_answer=pk)
        if self.row["publish_seconds"] is None and self._first_answer_at is not None:
            self.row["publish_seconds"] = self._seconds(self._first_answer_at, at)

    # ---- the deadline job (hotline/deadlines.py) ----------------------------------------

    def catch_up(self, at: dt.datetime) -> None:
        """The runs of ``flag_tickets`` at the ends of the days since the last change, up
        to ``at``: the first that finds the ticket past due flags it and escalates it."""
        since = self._changed_at
        assert since is not None
        job = self.province.next_job_after(since)
        while job < at and self.status in OPEN:
            self.flag_as_of(job)
            job += dt.timedelta(days=1)
            if self.row["deadline_flag"] == DeadlineFlag.OVERDUE:
                break

    def flag_as_of(self, moment: dt.datetime) -> None:
        due = self.row["due_at"]
        if self.status not in OPEN or due is None:
            return
        flag = self.row["deadline_flag"]
        if moment <= due <= moment + NEAR_DUE and flag not in (
            DeadlineFlag.NEAR_DUE,
            DeadlineFlag.OVERDUE,
        ):
            self.row["deadline_flag"] = DeadlineFlag.NEAR_DUE
        elif due < moment and flag != DeadlineFlag.OVERDUE:
            self.row["deadline_flag"] = DeadlineFlag.OVERDUE
            if self.row["escalation_level"] == 0:
                self._transition("escalate", moment, None, None, level=1, reason=ESCALATION_REASON)
                self.row["escalation_level"] = 1

    def finish(self, last_job: dt.datetime) -> None:
        self.catch_up(last_job + dt.timedelta(seconds=1))
        self.row.update(event_seq=self.history.seq, event_head=self.history.head)
