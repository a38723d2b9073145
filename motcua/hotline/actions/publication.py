"""After the answer: publish it as a public Q&A (personal data removed), the citizen's
rating, and merging two contacts that turn out to be one person."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, User, invalid, now, person
from motcua.core.text import normalize, normalize_block
from motcua.hotline.actions.transitions import append_event, ensure, lock
from motcua.hotline.clock import working_seconds_between
from motcua.hotline.counters import following
from motcua.hotline.models import (
    Contact,
    ContactIdentity,
    Direction,
    PublicAnswer,
    Ticket,
    TicketEvent,
)
from motcua.hotline.redaction import redact


def publication_draft(ticket: Ticket) -> dict[str, str]:
    """What the publish form starts from: the question and the last answer with every rule
    of ``redaction.redact`` applied, names of third parties included (docs/hotline.md
    "Redaction"). The operator reviews this text before it is published."""
    last_answer = (
        ticket.messages.filter(direction=Direction.OUTBOUND).order_by("-at", "-id").first()
    )
    return draft_texts(
        ticket.contact.name, ticket.subject, ticket.body, last_answer.body if last_answer else ""
    )


def draft_texts(contact: str, title: str, question: str, answer: str) -> dict[str, str]:
    """``publication_draft`` from the texts themselves (the bulk simulator writes the same)."""
    names = _names(contact)
    return {
        "title": redact(title, names=names),
        "question": redact(question, names=names),
        "answer": redact(answer, names=names) if answer else "",
    }


def approved_texts(contact: str, title: str, question: str, answer: str) -> dict[str, str]:
    """What is published of the texts an operator approved: identifiers and the contact's
    name removed once more (``publish_answer``)."""
    names = _names(contact)
    return {
        "title": redact(normalize(title), names=names, people=False)[:255],
        "question": redact(normalize_block(question), names=names, people=False),
        "answer": redact(normalize_block(answer), names=names, people=False),
    }


def _names(contact: str) -> list[str]:
    return [contact, *contact.split()[-1:]]


@transaction.atomic
def publish_answer(
    *, ticket: Ticket, user: User, title: str, question: str, answer: str
) -> PublicAnswer:
    """Publish an answered ticket at /hoi-dap/. The operator approved these texts, starting
    from ``publication_draft``; whatever they typed, identifiers (ID, phone, account and tax
    numbers, emails, dates of birth) and the contact's own name are removed once more, so
    they never reach the public page. The guesses about other people's names are not
    applied again: a name the operator kept (an official's, a school's) was kept on purpose."""
    ticket = lock(ticket)
    ensure(ticket, "publish")
    texts = approved_texts(ticket.contact.name, title, question, answer)
    title, question, answer = texts["title"], texts["question"], texts["answer"]
    if not (title and question and answer):
        raise invalid(
            "required", _("Cần đủ tiêu đề, câu hỏi và câu trả lời để công khai."), field="answer"
        )
    at = now()
    publication, _created = PublicAnswer.objects.update_or_create(
        ticket=ticket,
        defaults={
            "title": title,
            "question": question,
            "answer": answer,
            "sector": ticket.sector,
            "procedure": ticket.procedure,
            "answered_by": ticket.agency.name if ticket.agency else _("Tổng đài 1022"),
            "published": True,
            "published_at": at,
            "published_by": person(user),
        },
    )
    with following(ticket):
        append_event(ticket, kind="publish", actor=user, at=at, public_answer=publication.pk)
        first_answer = first_answer_at(ticket)
        if ticket.publish_seconds is None and first_answer is not None:
            # Measured once, at the first publication (docs/rules/indicators.md "Feedback
            # indicators"): a correction published later does not move it.
            ticket.publish_seconds = working_seconds_between(ticket, first_answer, at)
            ticket.save(update_fields=["publish_seconds"])
    return publication


def first_answer_at(ticket: Ticket) -> dt.datetime | None:
    """When the ticket was first answered: its first "answer" event."""
    return (
        TicketEvent.objects.filter(ticket=ticket, kind="answer")
        .order_by("seq")
        .values_list("at", flat=True)
        .first()
    )


@transaction.atomic
def unpublish_answer(*, ticket: Ticket, user: User, reason: str) -> None:
    ticket = lock(ticket)
    ensure(ticket, "unpublish")
    updated = PublicAnswer.objects.filter(ticket=ticket, published=True).update(published=False)
    if updated:
        append_event(ticket, kind="unpublish", actor=user, at=now(), reason=normalize(reason))


@transaction.atomic
def rate_ticket(*, ticket: Ticket, rating: int, comment: str = "") -> Ticket:
    """The citizen's satisfaction with the answer, 1 (very unhappy) to 5 (very happy); once."""
    if rating not in range(1, 6):
        raise invalid("rating", _("Mức hài lòng từ 1 đến 5."), field="rating")
    ticket = lock(ticket)
    ensure(ticket, "rate")
    if ticket.rating is not None:
        raise ActionError("already_rated", _("Phản ánh này đã được đánh giá."))
    with following(ticket):
        ticket.rating = rating
        ticket.rating_comment = normalize_block(comment)[:2000]
        append_event(ticket, kind="rate", actor=None, at=now(), rating=rating)
        ticket.save(update_fields=["rating", "rating_comment"])
    return ticket


@transaction.atomic
def merge_contacts(*, keep: Contact, other: Contact, user: User) -> Contact:
    """``other`` is the same person as ``keep``: its channel ids and tickets move to
    ``keep``; ``other`` stays, pointing at ``keep``, so old links still resolve."""
    if keep.pk == other.pk:
        raise invalid("merge_self", _("Không thể gộp một người liên hệ vào chính họ."))
    first, second = sorted([keep, other], key=lambda c: c.pk)
    rows = {c.pk: Contact.objects.select_for_update().get(pk=c.pk) for c in (first, second)}
    keep, other = rows[keep.pk], rows[other.pk]
    if keep.merged_into_id or other.merged_into_id:
        raise ActionError("already_merged", _("Người liên hệ này đã được gộp trước đó."))
    at = now()
    ContactIdentity.objects.filter(contact=other).update(contact=keep)
    for ticket in Ticket.objects.select_for_update().filter(contact=other):
        ticket.contact = keep
        append_event(
            ticket, kind="contact_merged", actor=user, at=at, contact=keep.pk, previous=other.pk
        )
        ticket.save(update_fields=["contact"])
    missing = [
        field
        for field in ("name", "phone", "email", "address", "organisation")
        if not getattr(keep, field) and getattr(other, field)
    ]
    for field in missing:
        setattr(keep, field, getattr(other, field))
    if missing:
        keep.save(update_fields=missing)
    other.merged_into = keep
    other.save(update_fields=["merged_into"])
    return keep
