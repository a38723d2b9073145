"""Handling a feedback or petition (phản ánh, kiến nghị, Decree 20/2008/NĐ-CP) short of an
answer: declining to handle it with a legal reason, and asking the citizen to supplement or
clarify it. Both tell the citizen on the ticket's channel, as answers are sent, and measure
once, in the acting agency's working time, how long after receipt the step came: the
national indicators of Decision 766/QĐ-TTg score them (docs/rules/indicators.md "Feedback
indicators")."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, User, invalid, now, require_text
from motcua.core.text import normalize_block
from motcua.dossiers.models import DeadlineFlag
from motcua.hotline.actions.handling import write_reply
from motcua.hotline.actions.transitions import append_event, ensure, lock
from motcua.hotline.clock import working_seconds_to
from motcua.hotline.counters import following
from motcua.hotline.models import Ticket, TicketMessage
from motcua.hotline.status import FEEDBACK_KINDS, DeclineReason, TicketStatus

NOTE_LIMIT = 2000


def decline_text(code: str, reason: str, note: str) -> str:
    """What the citizen is told: the ticket, the legal reason, the officer's note."""
    text = _("Phản ánh, kiến nghị %(code)s không được tiếp nhận xử lý. Lý do: %(reason)s.") % {
        "code": code,
        "reason": DeclineReason(reason).label,
    }
    return f"{text}\n{note}" if note else text


@transaction.atomic
def decline_ticket(*, ticket: Ticket, user: User, reason: str, note: str = "") -> Ticket:
    """Refuse to handle a feedback or petition (từ chối tiếp nhận xử lý) for one of the
    reasons of ``DeclineReason``: the ticket is closed, unanswered, and the citizen is told
    why on its channel. The first decline's working time from receipt is what the
    indicators count (2 working days)."""
    if reason not in DeclineReason.values:
        raise invalid("reason", _("Chọn lý do từ chối trong danh sách."), field="reason")
    note = normalize_block(note)[:NOTE_LIMIT]
    ticket = lock(ticket)
    if ticket.kind not in FEEDBACK_KINDS:
        raise ActionError(
            "not_feedback",
            _(
                "Chỉ phản ánh, kiến nghị mới từ chối tiếp nhận xử lý được; "
                "phân loại lại hoặc đóng phản ánh %(code)s."
            )
            % {"code": ticket.code},
        )
    ensure(ticket, "decline")
    at = now()
    reply = write_reply(
        ticket, user=user, body=decline_text(ticket.code, reason, note), in_person=False, at=at
    )
    with following(ticket):
        before = ticket.status
        ticket.status = TicketStatus.CLOSED
        ticket.decline_reason = reason
        ticket.declined_at = at
        if ticket.decline_seconds is None:
            ticket.decline_seconds = working_seconds_to(ticket, at)
        ticket.closed_at = at
        ticket.deadline_flag = DeadlineFlag.NONE
        append_event(
            ticket,
            kind="decline",
            actor=user,
            at=at,
            from_status=before,
            to_status=ticket.status,
            reason=reason,
            note=note,
            message=reply.pk,
        )
        ticket.save(
            update_fields=[
                "status",
                "decline_reason",
                "declined_at",
                "decline_seconds",
                "closed_at",
                "deadline_flag",
            ]
        )
    return ticket


@transaction.atomic
def ask_for_details(*, ticket: Ticket, user: User, body: str) -> TicketMessage:
    """Ask the citizen to supplement or clarify (đề nghị bổ sung, làm rõ) on the ticket's
    channel. The ticket stays open, in the same queue; the citizen's next message on the
    channel (or in answer to this one) continues it (``intake.receive_message``). The first
    request's working time from receipt is what the indicators count (5 working days)."""
    body = require_text(
        normalize_block(body), "body", _("Nêu nội dung người dân cần bổ sung, làm rõ.")
    )
    ticket = lock(ticket)
    ensure(ticket, "ask_details")
    at = now()
    request = write_reply(ticket, user=user, body=body, in_person=False, at=at)
    with following(ticket):
        first = ticket.asked_at is None
        if first:
            ticket.asked_at = at
            ticket.ask_seconds = working_seconds_to(ticket, at)
            ticket.save(update_fields=["asked_at", "ask_seconds"])
        append_event(
            ticket,
            kind="ask_details",
            actor=user,
            at=at,
            from_status=ticket.status,
            to_status="",
            message=request.pk,
            first=first,
        )
    return request
