"""A dossier story played on a ``DossierDraft``: each change of the plan becomes the call of
the action it names, mirrored in memory (docs/simulate.md "Bulk mode")."""

from __future__ import annotations

from collections.abc import Callable

from motcua.dossiers.status import DossierStatus
from motcua.simulate.bulk.dossier import Applicant, DossierDraft
from motcua.simulate.stories import Actor, Change, DossierStory

Resolve = Callable[[Actor, DossierStory], int | None]


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
        draft.apologise(officer=_staff(actor), at=at, reason=change.reason, new_due_at=change.due_at)
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
