"""Working a ticket: claim, classify, route to an agency, answer on the ticket's channel,
close, reopen, merge duplicates, escalate, note, link dossiers."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure, Sector
from motcua.core.actions import ActionError, User, invalid, now, person, require_text
from motcua.core.chain import actor_of
from motcua.core.text import normalize_block
from motcua.dossiers.models import DeadlineFlag, Dossier
from motcua.hotline.actions.transitions import append_event, ensure, lock
from motcua.hotline.channels.registry import DELIVERED_CHANNELS, Recipient
from motcua.hotline.channels.registry import channel as channel_of
from motcua.hotline.clock import due_for, working_seconds_to
from motcua.hotline.counters import follow, following, share
from motcua.hotline.models import (
    ContactIdentity,
    Delivery,
    Direction,
    Ticket,
    TicketCategory,
    TicketMessage,
    TicketOutcome,
)
from motcua.hotline.replies import deliver_reply
from motcua.hotline.status import TicketKind, TicketStatus
from motcua.org.models import AdministrativeUnit, Agency


def _transition(
    ticket: Ticket, action: str, *, user: User | None, at: dt.datetime, **data: object
) -> str:
    """Guard, move the status if the action moves it, append the event; return the status the
    ticket had. The caller holds the lock and saves its own fields; an action that changes
    anything before it checks the guard (``ensure``) first."""
    target = ensure(ticket, action)
    before = ticket.status
    if target is not None:
        ticket.status = target
    append_event(
        ticket,
        kind=action,
        actor=user,
        at=at,
        from_status=before,
        to_status=ticket.status if target is not None else "",
        **data,
    )
    return before


@transaction.atomic
def claim_ticket(*, ticket: Ticket, user: User) -> Ticket:
    """An operator takes a new ticket from the 1022 queue; nobody else works it meanwhile."""
    ticket = lock(ticket)
    _transition(ticket, "claim", user=user, at=now())
    ticket.assignee = person(user)
    ticket.save(update_fields=["status", "assignee"])
    return ticket


@transaction.atomic
def release_ticket(*, ticket: Ticket, user: User) -> Ticket:
    ticket = lock(ticket)
    _transition(ticket, "release", user=user, at=now())
    ticket.assignee = None
    ticket.save(update_fields=["status", "assignee"])
    return ticket


@transaction.atomic
def take_ticket(*, ticket: Ticket, user: User) -> Ticket:
    """An agency officer takes a ticket from the agency's queue."""
    ticket = lock(ticket)
    _transition(ticket, "take", user=user, at=now())
    ticket.assignee = person(user)
    ticket.save(update_fields=["assignee"])
    return ticket


@transaction.atomic
def classify_ticket(
    *,
    ticket: Ticket,
    user: User,
    kind: str | None = None,
    category: TicketCategory | None = None,
    sector: Sector | None = None,
    procedure: Procedure | None = None,
    unit: AdministrativeUnit | None = None,
) -> Ticket:
    """Set what the ticket is about. A new kind moves the due moment: received at + the new
    kind's response time."""
    ticket = lock(ticket)
    changes: dict[str, Any] = {}
    if kind is not None and kind != ticket.kind:
        if kind not in TicketKind.values:
            raise invalid("kind", _("Loại phản ánh không hợp lệ."), field="kind")
        changes["kind"] = kind
    for field, value in {
        "category": category,
        "sector": sector,
        "procedure": procedure,
        "unit": unit,
    }.items():
        if value is not None and getattr(ticket, f"{field}_id") != value.pk:
            changes[field] = value
    if not changes:
        return ticket
    ensure(ticket, "classify")
    with following(ticket):
        _classify(ticket, changes, user=user)
    return ticket


def _classify(ticket: Ticket, changes: dict[str, Any], *, user: User) -> None:
    for field, value in changes.items():
        setattr(ticket, field, value)
    fields = list(changes)
    if "kind" in changes:
        ticket.due_at = due_for(ticket)
        fields.append("due_at")
        if ticket.deadline_flag == DeadlineFlag.OVERDUE and ticket.due_at >= now():
            # A longer response time: no longer past due; the deadline job flags it again
            # as it nears the new moment.
            ticket.deadline_flag = DeadlineFlag.NONE
            fields.append("deadline_flag")
    _transition(
        ticket,
        "classify",
        user=user,
        at=now(),
        # "kind" names the event itself, so the ticket's kind is recorded as "ticket_kind".
        **{
            ("ticket_kind" if f == "kind" else f): (v.pk if hasattr(v, "pk") else v)
            for f, v in changes.items()
        },
        due_at=ticket.due_at,
    )
    ticket.save(update_fields=fields)


@transaction.atomic
def route_ticket(*, ticket: Ticket, user: User, agency: Agency, note: str = "") -> Ticket:
    """Send the ticket to the agency responsible for answering it (its queue)."""
    ticket = lock(ticket)
    route_locked(ticket, agency=agency, user=user, at=now(), note=note)
    return ticket


def route_locked(
    ticket: Ticket, *, agency: Agency, user: User | None, at: dt.datetime, note: str
) -> None:
    if not agency.active:
        raise invalid("agency", _("Cơ quan này không còn hoạt động."), field="agency")
    ensure(ticket, "route")
    previous = ticket.agency_id
    with following(ticket):
        ticket.agency = agency
        ticket.assignee = None
        _transition(
            ticket,
            "route",
            user=user,
            at=at,
            agency=agency.pk,
            agency_name=agency.name,
            previous_agency=previous,
            note=normalize_block(note),
        )
        ticket.save(update_fields=["status", "agency", "assignee"])


@transaction.atomic
def return_to_hotline(*, ticket: Ticket, user: User, reason: str) -> Ticket:
    """The agency says the ticket is not its to answer: back to the 1022 queue, with why."""
    reason = require_text(reason, "reason", _("Nêu lý do chuyển trả về Tổng đài 1022."))
    ticket = lock(ticket)
    previous = ticket.agency_id
    with following(ticket):
        _transition(
            ticket, "return_to_hotline", user=user, at=now(), reason=reason, agency=previous
        )
        ticket.agency = None
        ticket.assignee = None
        ticket.save(update_fields=["status", "agency", "assignee"])
    return ticket


@transaction.atomic
def answer_ticket(
    *,
    ticket: Ticket,
    user: User,
    body: str,
    in_person: bool = False,
    public_answer_id: int | None = None,
) -> TicketMessage:
    """Answer the citizen. The reply goes out on the channel the ticket came from (Zalo,
    Messenger, email, the portal, the national portal's Q&A), after commit, through the
    reply outbox; on the phone, at a desk or at a dialogue it was given in person and is
    recorded as such. The first answer decides whether the ticket was answered on time."""
    ticket = lock(ticket)
    return answer_locked(
        ticket, user=user, body=body, in_person=in_person, at=now(), source=public_answer_id
    )


def answer_locked(
    ticket: Ticket,
    *,
    user: User,
    body: str,
    in_person: bool,
    at: dt.datetime,
    source: int | None = None,
) -> TicketMessage:
    body = require_text(normalize_block(body), "body", _("Nội dung trả lời không được để trống."))
    ensure(ticket, "answer")
    reply = write_reply(ticket, user=user, body=body, in_person=in_person, at=at)
    delivered = reply.delivery == Delivery.PENDING
    before = share(ticket)
    fields = ["status", "answered_at", "deadline_flag"]
    first = ticket.answered_at is None
    if first:
        ticket.outcome = (
            TicketOutcome.LATE
            if ticket.due_at is not None and at > ticket.due_at
            else TicketOutcome.ON_TIME
        )
        ticket.first_answer_seconds = working_seconds_to(ticket, at)
        fields += ["outcome", "first_answer_seconds"]
    ticket.answered_at = at
    ticket.deadline_flag = DeadlineFlag.NONE
    _transition(
        ticket,
        "answer",
        user=user,
        at=at,
        message=reply.pk,
        in_person=not delivered,
        outcome=ticket.outcome,
        public_answer=source,
    )
    ticket.save(update_fields=fields)
    follow(before, ticket)
    return reply


def write_reply(
    ticket: Ticket, *, user: User | None, body: str, in_person: bool, at: dt.datetime
) -> TicketMessage:
    """A message to the citizen (an answer, a decline, a request for details): sent on the
    ticket's channel after commit, through the reply outbox, or recorded as given in person
    (on the phone, at a desk, at a dialogue, or when ``in_person``)."""
    delivered = ticket.channel in DELIVERED_CHANNELS and not in_person
    reply = TicketMessage.objects.create(
        ticket=ticket,
        direction=Direction.OUTBOUND,
        channel=ticket.channel,
        body=body,
        at=at,
        author=person(user),
        author_name=_display_name(user),
        recipient=_recipient(ticket) if delivered else "",
        delivery=Delivery.PENDING if delivered else Delivery.IN_PERSON,
        next_attempt_at=at if delivered else None,
    )
    if delivered:
        transaction.on_commit(partial(deliver_reply.enqueue, reply.pk), robust=True)
    return reply


@transaction.atomic
def close_ticket(*, ticket: Ticket, user: User, reason: str = "") -> Ticket:
    """Close an answered ticket, or one that needs no answer (a test call, spam, a
    duplicate already answered elsewhere: then ``reason`` is required)."""
    ticket = lock(ticket)
    if ticket.status != TicketStatus.ANSWERED:
        reason = require_text(reason, "reason", _("Phản ánh chưa được trả lời: nêu lý do đóng."))
    with following(ticket):
        _transition(ticket, "close", user=user, at=now(), reason=normalize_block(reason))
        ticket.closed_at = now()
        ticket.deadline_flag = DeadlineFlag.NONE
        ticket.save(update_fields=["status", "closed_at", "deadline_flag"])
    return ticket


@transaction.atomic
def reopen_ticket(*, ticket: Ticket, user: User, reason: str) -> Ticket:
    reason = require_text(reason, "reason", _("Nêu lý do mở lại."))
    ticket = lock(ticket)
    reopen_locked(ticket, user=user, at=now(), reason=reason)
    return ticket


def reopen_locked(ticket: Ticket, *, user: User | None, at: dt.datetime, reason: str) -> None:
    """Back to the agency's queue if it has one, else to 1022. The first answer's timeliness
    stands; the new question is answered on the same ticket."""
    ensure(ticket, "reopen")
    before = ticket.status
    with following(ticket):
        ticket.status = TicketStatus.ROUTED if ticket.agency_id else TicketStatus.NEW
        ticket.closed_at = None
        append_event(
            ticket,
            kind="reopen",
            actor=user,
            at=at,
            from_status=before,
            to_status=ticket.status,
            reason=reason,
        )
        ticket.save(update_fields=["status", "closed_at"])


@transaction.atomic
def merge_ticket(*, ticket: Ticket, into: Ticket, user: User) -> Ticket:
    """``ticket`` repeats ``into`` (the same person asking again, or many reporting one
    pothole): it stops counting, and whoever answers ``into`` sees it."""
    if ticket.pk == into.pk:
        raise invalid("merge_self", _("Không thể gộp một phản ánh vào chính nó."), field="into")
    first, second = sorted([ticket, into], key=lambda t: t.pk)
    locked = {t.pk: lock(t) for t in (first, second)}
    ticket, into = locked[ticket.pk], locked[into.pk]
    if into.status == TicketStatus.MERGED:
        raise ActionError(
            "merged_target",
            _("Phản ánh %(code)s đã được gộp vào phản ánh khác.") % {"code": into.code},
        )
    at = now()
    with following(ticket):  # a merged duplicate counts nowhere
        _transition(ticket, "merge", user=user, at=at, into=into.code)
        ticket.merged_into = into
        ticket.deadline_flag = DeadlineFlag.NONE
        ticket.save(update_fields=["status", "merged_into", "deadline_flag"])
    append_event(into, kind="merged_in", actor=user, at=at, duplicate=ticket.code)
    return ticket


@transaction.atomic
def escalate_ticket(
    *, ticket: Ticket, user: User | None, reason: str, at: dt.datetime | None = None
) -> Ticket:
    """Raise an overdue (or urgent) ticket to the leaders' attention: it shows at the top of
    the leaders' list with its escalation level. ``at``: when the deadline job found it
    overdue (default now)."""
    ticket = lock(ticket)
    escalate_locked(ticket, user=user, at=at or now(), reason=reason)
    return ticket


def escalate_locked(ticket: Ticket, *, user: User | None, at: dt.datetime, reason: str) -> None:
    with following(ticket):
        _transition(
            ticket,
            "escalate",
            user=user,
            at=at,
            level=ticket.escalation_level + 1,
            reason=normalize_block(reason),
        )
        ticket.escalation_level += 1
        ticket.save(update_fields=["escalation_level"])


@transaction.atomic
def add_note(*, ticket: Ticket, user: User, body: str) -> TicketMessage:
    """An internal note: visible to staff, never sent to the citizen."""
    body = require_text(normalize_block(body), "body", _("Ghi chú không được để trống."))
    ticket = lock(ticket)
    ensure(ticket, "note")
    at = now()
    note = TicketMessage.objects.create(
        ticket=ticket,
        direction=Direction.NOTE,
        channel=ticket.channel,
        body=body,
        at=at,
        author=person(user),
        author_name=_display_name(user),
    )
    _transition(ticket, "note", user=user, at=at, message=note.pk)
    return note


@transaction.atomic
def link_dossier(*, ticket: Ticket, user: User, dossier: Dossier) -> Ticket:
    """The ticket is about this dossier (a caller asking where their application is)."""
    ticket = lock(ticket)
    if ticket.dossiers.filter(pk=dossier.pk).exists():
        return ticket
    _transition(ticket, "link", user=user, at=now(), dossiers=[dossier.code])
    ticket.dossiers.add(dossier)
    return ticket


def _recipient(ticket: Ticket) -> str:
    """Who the reply goes to on the ticket's channel, fixed when it is written
    (``channels/registry.py``): the contact's account on a chat platform, or their email
    address. Channels that answer elsewhere (the web form's email or SMS, a national-portal
    question, an Open311 request) find their own address."""
    found = channel_of(ticket.channel)
    if found is None:
        return ""
    if found.recipient is Recipient.PLATFORM_ACCOUNT:
        identity = (
            ContactIdentity.objects.filter(contact=ticket.contact, channel=ticket.channel)
            .order_by("-pk")
            .first()
        )
        return identity.external_id if identity else ""
    if found.recipient is Recipient.EMAIL:
        return ticket.contact.email
    return ""


def _display_name(user: User | None) -> str:
    return actor_of(user)[1]
