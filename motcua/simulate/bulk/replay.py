"""A story played on a draft: each change of the plan becomes the call of the action it
names, mirrored in memory (docs/simulate.md "Bulk mode")."""

from __future__ import annotations

from collections.abc import Callable

from motcua.dossiers.status import DossierStatus
from motcua.hotline.status import TicketChannel
from motcua.simulate.bulk.dossier import DossierDraft
from motcua.simulate.bulk.reception import Applicant
from motcua.simulate.bulk.ticket import TicketDraft
from motcua.simulate.stories import Actor, Change, DossierStory, TicketStory

Resolve = Callable[[Actor, DossierStory], int | None]
ResolveStaff = Callable[[Actor], int | None]


def play(story: DossierStory, draft: DossierDraft, who: Resolve) -> None:
    """Every change of ``story`` in order."""
    for change in story.changes:
        _apply(story, draft, change, who(change.actor, story))


def _create(
    story: DossierStory, draft: DossierDraft, change: Change, actor: int | None, status: str
) -> None:
    applicant = story.applicant
    draft.create(
        procedure_id=story.procedure_id,
        desk_id=story.desk_id,
        channel=story.channel,
        applicant=Applicant(
            kind=applicant.kind,
            name=applicant.name,
            id_number=applicant.id_number,
            phone=applicant.phone,
            email=applicant.email,
            address=applicant.address,
        ),
        documents=draft.province.procedures[story.procedure_id].documents,
        status=status,
        actor=actor,
        at=change.at,
        account=actor if status == DossierStatus.SUBMITTED else None,
        result_delivery=story.result_delivery,
        competent_agency_id=story.competent_agency_id,
    )


def _apply(story: DossierStory, draft: DossierDraft, change: Change, actor: int | None) -> None:
    kind, at = change.kind, change.at
    created = bool(draft.row)
    if created:
        draft.catch_up(at)
    if kind == "submit":
        _create(story, draft, change, actor, DossierStatus.SUBMITTED)
        draft.submit(citizen=actor, at=at)
    elif kind == "receive" and not created:
        _create(story, draft, change, actor, DossierStatus.RECEIVED)
        draft.receive(officer=_staff(actor), at=at)
    elif kind == "receive":
        draft.accept(officer=_staff(actor), at=at)
    elif kind == "refuse":
        if not created:
            _create(story, draft, change, actor, DossierStatus.REFUSED)
        draft.refuse(officer=_staff(actor), at=at, reason=change.reason)
    elif kind == "forward":
        draft.forward(officer=_staff(actor), at=at)
    elif kind == "request_supplement":
        draft.request_supplement(
            officer=_staff(actor), at=at, reason=change.reason, items=list(change.items)
        )
    elif kind == "complete_supplement":
        draft.complete_supplement(officer=actor, at=at)
    elif kind == "request_payment":
        draft.request_payment(officer=_staff(actor), at=at, amount_vnd=change.amount_vnd)
    elif kind == "record_payment":
        draft.record_payment(
            officer=actor, at=at, amount_vnd=change.amount_vnd, reference=change.reference
        )
    elif kind == "apologise":
        assert change.due_at is not None
        draft.apologise(
            officer=_staff(actor), at=at, reason=change.reason, new_due_at=change.due_at
        )
    elif kind in {"withdraw", "stop"}:
        draft.end(kind, officer=actor, at=at, reason=change.reason)
    elif kind == "mark_result_ready":
        draft.mark_result_ready(officer=_staff(actor), at=at)
    elif kind == "return_result":
        draft.return_result(officer=_staff(actor), at=at)
    elif kind == "rate":
        if actor is not None:  # None: an account the identity provider would not give
            draft.rate(citizen=actor, at=at, level=change.level)
    else:
        raise ValueError(f"{story.key}: no action for change {kind!r}")


def _staff(actor: int | None) -> int:
    if actor is None:
        raise ValueError("this change needs a person")
    return actor


def play_ticket(story: TicketStory, draft: TicketDraft, who: ResolveStaff) -> None:
    """Every change of a ticket story, as the through-actions runner takes it: a call is
    logged with its answer when the operator answered on the call."""
    changes = story.changes
    for index, change in enumerate(changes):
        actor = who(change.actor)
        if draft.row:
            draft.catch_up(change.at)
        if change.kind == "open":
            draft.open(story, actor=actor, at=change.at)
            following = changes[index + 1] if index + 1 < len(changes) else None
            if (
                story.channel == TicketChannel.PHONE
                and following is not None
                and following.kind == "answer"
                and following.in_person
            ):
                draft.answer(user=_staff(actor), at=change.at, body=following.body, in_person=True)
        elif change.kind == "claim":
            draft.claim(user=_staff(actor), at=change.at)
        elif change.kind == "route" and change.agency_id is not None:
            draft.route(user=_staff(actor), at=change.at, agency_id=change.agency_id)
        elif change.kind == "answer":
            if draft.row["answered_at"] is None:
                draft.answer(
                    user=_staff(actor), at=change.at, body=change.body, in_person=change.in_person
                )
        elif change.kind == "rate":
            draft.rate(at=change.at, rating=change.rating)
        elif change.kind == "ask_details":
            draft.ask_details(user=_staff(actor), at=change.at, body=change.body)
        elif change.kind == "decline":
            draft.decline(user=_staff(actor), at=change.at, reason=change.reason)
        elif change.kind == "publish":
            draft.publish(user=_staff(actor), at=change.at)
        else:
            raise ValueError(f"{story.key}: no action for ticket change {change.kind!r}")
