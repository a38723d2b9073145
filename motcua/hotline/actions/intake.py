"""Tickets coming in: from a channel's message, from an operator logging a call, from a
dialogue, from the web form or an Open311 client."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure, Sector
from motcua.core import uploads
from motcua.core.actions import User, invalid, now, person, require_text
from motcua.core.phones import normalize_phone
from motcua.core.text import normalize, normalize_block
from motcua.dossiers.models import Dossier
from motcua.hotline import contacts
from motcua.hotline.actions.transitions import append_event, ensure, lock
from motcua.hotline.clock import due_for
from motcua.hotline.codes import next_code
from motcua.hotline.counters import follow
from motcua.hotline.inbound import InboundAttachment, InboundMessage
from motcua.hotline.models import (
    Contact,
    Direction,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketMessage,
)
from motcua.hotline.status import OPEN, TicketChannel, TicketKind, TicketStatus
from motcua.org.models import AdministrativeUnit, Agency

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 20_000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# A chat message continues the sender's ticket on that channel while it is open or was
# answered less than this long ago; after that it starts a new ticket.
CHAT_THREAD_WINDOW = dt.timedelta(days=7)


def open_ticket(
    *,
    channel: str,
    kind: str,
    body: str,
    contact: Contact,
    actor: User | None,
    subject: str = "",
    received_at: dt.datetime | None = None,
    category: TicketCategory | None = None,
    sector: Sector | None = None,
    procedure: Procedure | None = None,
    agency: Agency | None = None,
    unit: AdministrativeUnit | None = None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    dialogue_id: int | None = None,
    external_id: str = "",
    attachments: Sequence[InboundAttachment] = (),
    dossiers: Iterable[Dossier] = (),
) -> Ticket:
    """A new ticket with its first message, due by its kind's response time; routed at once
    when ``agency`` is given (a category's usual agency, an issue assigned at a dialogue).
    Call inside a transaction."""
    if channel not in TicketChannel.values:
        raise invalid("channel", _("Kênh tiếp nhận không hợp lệ."), field="channel")
    if kind not in TicketKind.values:
        raise invalid("kind", _("Loại phản ánh không hợp lệ."), field="kind")
    body = require_text(
        normalize_block(body), "body", _("Nội dung phản ánh, câu hỏi không được để trống.")
    )
    if len(body) > MAX_BODY_CHARS:
        raise invalid(
            "too_long",
            _("Nội dung dài quá %(n)s ký tự.") % {"n": f"{MAX_BODY_CHARS:,}".replace(",", ".")},
            field="body",
        )
    at = received_at or now()
    ticket = Ticket(
        code=next_code(timezone.localtime(at).date()),
        kind=kind,
        channel=channel,
        status=TicketStatus.NEW,
        contact=contact,
        subject=normalize(subject)[:255] or _summary(body),
        body=body,
        category=category,
        sector=sector or (category.sector if category else None),
        procedure=procedure,
        unit=unit,
        address=normalize(address)[:255],
        latitude=latitude,
        longitude=longitude,
        dialogue_id=dialogue_id,
        received_at=at,
        created_by=person(actor),
        suggestions=_suggestions(f"{subject} {body}"),
    )
    ticket.due_at = due_for(ticket)
    ticket.save()
    message = _store_message(
        ticket,
        direction=Direction.INBOUND,
        body=body,
        at=at,
        external_id=external_id,
        attachments=attachments,
    )
    append_event(
        ticket,
        kind="open",
        actor=actor,
        at=at,
        to_status=TicketStatus.NEW,
        channel=channel,
        ticket_kind=kind,
        contact=contact.pk,
        message=message.pk,
        due_at=ticket.due_at,
    )
    follow(None, ticket)
    linked = list(dossiers)
    if linked:
        ticket.dossiers.add(*linked)
        append_event(ticket, kind="link", actor=actor, at=at, dossiers=[d.code for d in linked])
    agency = agency or (category.agency if category else None)
    if agency is not None:
        from motcua.hotline.actions.handling import route_locked

        route_locked(ticket, agency=agency, user=actor, at=at, note="")
    return ticket


@dataclass(frozen=True)
class ReceiveResult:
    ticket: Ticket
    message: TicketMessage
    created: bool  # a new ticket was opened
    duplicate: bool  # the platform sent a message already stored; nothing changed


def receive_message(*, message: InboundMessage, kind: str = TicketKind.QUESTION) -> ReceiveResult:
    """Take one message from a channel: store it once (a platform's retry finds the message
    already stored and changes nothing), on the sender's ongoing ticket (an email's thread; a
    chat's open or recently answered ticket) or on a new one. A message on an answered ticket
    reopens it."""
    if message.external_id:
        found = _already_stored(message)
        if found is not None:
            return found
    try:
        with transaction.atomic():
            return _receive(message, kind)
    except IntegrityError:
        # The same message, delivered twice at the same moment: the other delivery stored it.
        found = _already_stored(message)
        if found is None:
            raise
        return found


def _already_stored(message: InboundMessage) -> ReceiveResult | None:
    stored = (
        TicketMessage.objects.select_related("ticket")
        .filter(channel=message.channel, external_id=message.external_id)
        .first()
    )
    if stored is None:
        return None
    return ReceiveResult(stored.ticket, stored, created=False, duplicate=True)


def _receive(message: InboundMessage, kind: str) -> ReceiveResult:
    phone = ""
    if message.phone:
        try:
            phone = normalize_phone(message.phone)
        except Exception:  # a platform's odd number format is no reason to lose the message
            phone = ""
    contact = contacts.contact_for(
        channel=message.channel,
        sender_id=message.sender_id,
        name=message.sender_name,
        email=message.email,
        phone=phone,
    )
    at = message.sent_at or now()
    ticket = _ongoing_ticket(message, contact)
    if ticket is None:
        ticket = open_ticket(
            channel=message.channel,
            kind=kind,
            body=message.text or _("(tin nhắn không có chữ)"),
            subject=message.subject,
            contact=contact,
            actor=None,
            received_at=at,
            external_id=message.external_id,
            attachments=message.attachments,
        )
        return ReceiveResult(ticket, ticket.messages.get(), created=True, duplicate=False)
    ticket = lock(ticket)
    stored = add_inbound(ticket, message=message, at=at)
    return ReceiveResult(ticket, stored, created=False, duplicate=False)


def add_inbound(ticket: Ticket, *, message: InboundMessage, at: dt.datetime) -> TicketMessage:
    """Append the citizen's new message to a locked ticket, reopening it if it was answered."""
    text = normalize_block(message.text)[:MAX_BODY_CHARS] or _("(tin nhắn không có chữ)")
    if ticket.status in OPEN:
        ensure(ticket, "add_message")
        before = ticket.status
    else:
        from motcua.hotline.actions.handling import reopen_locked

        before = ticket.status
        reopen_locked(ticket, user=None, at=at, reason=_("Người dân gửi thêm tin nhắn."))
    stored = _store_message(
        ticket,
        direction=Direction.INBOUND,
        body=text,
        at=at,
        channel=message.channel,
        external_id=message.external_id,
        attachments=message.attachments,
    )
    append_event(
        ticket, kind="message_in", actor=None, at=at, message=stored.pk, status_before=before
    )
    return stored


def _ongoing_ticket(message: InboundMessage, contact: Contact) -> Ticket | None:
    """The ticket this message continues, if any."""
    if message.thread_ids:
        ids = list(message.thread_ids)
        # Our own replies' ids are matched on every channel: the answer to a web-form
        # ticket goes out by email, and the citizen may answer that email.
        earlier = TicketMessage.objects.filter(
            Q(channel=message.channel, external_id__in=ids) | Q(provider_message_id__in=ids)
        )
        ticket = Ticket.objects.filter(messages__in=earlier).order_by("-received_at").first()
        # Only the ticket's own contact continues it: a Message-ID is no secret, and a
        # stranger answering it must not write into (or reopen) someone else's ticket.
        if ticket is not None and contacts.canonical(ticket.contact) == contact:
            return _follow_merges(ticket)
    if message.channel in (TicketChannel.EMAIL, TicketChannel.NATIONAL_QA):
        # An email that answers nothing we know is a new matter; each national-portal
        # question is its own (its answer is pushed to that question).
        return None
    ticket = (
        Ticket.objects.filter(contact=contact, channel=message.channel)
        .exclude(status=TicketStatus.CLOSED)
        .order_by("-received_at")
        .first()
    )
    if ticket is None:
        return None
    ticket = _follow_merges(ticket)
    if ticket.status in OPEN:
        return ticket
    answered_recently = (
        ticket.status == TicketStatus.ANSWERED
        and ticket.answered_at is not None
        and ticket.answered_at >= now() - CHAT_THREAD_WINDOW
    )
    return ticket if answered_recently else None


def _follow_merges(ticket: Ticket) -> Ticket:
    seen = set()
    while ticket.merged_into_id is not None and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
    return ticket


def log_call(
    *,
    operator: User,
    phone: str,
    name: str = "",
    kind: str = TicketKind.QUESTION,
    body: str,
    answer: str = "",
    procedure: Procedure | None = None,
    sector: Sector | None = None,
    agency: Agency | None = None,
    dossiers: Iterable[Dossier] = (),
    received_at: dt.datetime | None = None,
) -> Ticket:
    """An operator logs a call: the caller by number (the same contact as before), what they
    asked, and, if answered on the call, the answer given (the ticket is then answered at
    once); otherwise it waits in the queue or goes to ``agency``."""
    from motcua.hotline.actions.handling import answer_locked

    try:
        phone = normalize_phone(phone) if phone.strip() else ""
    except Exception as exc:
        raise invalid("phone", str(getattr(exc, "messages", [exc])[0]), field="phone") from exc
    with transaction.atomic():
        contact = contacts.contact_for(name=normalize(name), phone=phone)
        ticket = open_ticket(
            channel=TicketChannel.PHONE,
            kind=kind,
            body=body,
            contact=contact,
            actor=operator,
            received_at=received_at,
            procedure=procedure,
            sector=sector or (procedure.sector if procedure else None),
            agency=None if answer.strip() else agency,
            dossiers=dossiers,
        )
        if answer.strip():
            answer_locked(ticket, user=operator, body=answer, in_person=True, at=now())
    return ticket


def _store_message(
    ticket: Ticket,
    *,
    direction: str,
    body: str,
    at: dt.datetime,
    channel: str = "",
    external_id: str = "",
    attachments: Sequence[InboundAttachment] = (),
) -> TicketMessage:
    message = TicketMessage.objects.create(
        ticket=ticket,
        direction=direction,
        # The channel it came in on, which may differ from the ticket's (an email answering
        # the emailed answer to a web-form ticket); its id is unique on that channel.
        channel=channel or ticket.channel,
        body=body,
        at=at,
        external_id=external_id[:255],
    )
    refused = []
    for attachment in attachments:
        content = ContentFile(attachment.content, name=attachment.name or "tep")
        try:
            # The same check as every upload (docs/decisions/files.md): a channel's file is
            # no more trusted than the web form's.
            kind = uploads.check(content)
        except ValidationError:
            kind = None
        if kind is None or len(attachment.content) > MAX_ATTACHMENT_BYTES:
            refused.append(attachment.name)
            continue
        name = get_valid_filename(attachment.name or "tep") or "tep"
        stored = TicketAttachment(
            message=message,
            name=name[:255],
            content_type=kind.content_type,
            size=len(attachment.content),
        )
        stored.file.save(uploads.stored_name(kind=kind), content, save=False)
        stored.save()
    if refused:
        # How many, not their names: a file name can carry a person's name or number.
        logger.info("ticket %s: %s attachments not kept", ticket.code, len(refused))
    return message


def _summary(body: str) -> str:
    first = body.splitlines()[0] if body else ""
    return first if len(first) <= 120 else first[:117].rstrip() + "…"


def _suggestions(text: str) -> list[dict[str, object]]:
    from motcua.hotline import routing

    try:
        found = routing.suggest(text)
    except Exception:  # suggestions help operators; their failure must not lose a ticket
        logger.exception("routing suggestions failed")
        return []
    return [
        {
            "sector_id": s.sector_id,
            "sector": s.sector_name,
            "agency_id": s.agency_id,
            "agency": s.agency_name,
            "confidence": round(s.confidence, 3),
        }
        for s in found
    ]
