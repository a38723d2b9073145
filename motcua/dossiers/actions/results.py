"""Results: ready, returned (at the desk, online, by post), revoked."""

from __future__ import annotations

import hashlib

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, User, invalid, now
from motcua.dossiers.actions.processing import finish_step, start_step
from motcua.dossiers.actions.store import keep_results
from motcua.dossiers.actions.transitions import append_event, ensure, lock
from motcua.dossiers.clock import outcome_of
from motcua.dossiers.counters import bump_daily, close_dossier
from motcua.dossiers.models import Dossier, DossierResult, ResultDelivery, SignatureStatus
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.permissions import authorise, next_step, return_step, steps_of
from motcua.dossiers.signatures import queue_signature
from motcua.dossiers.time_counters import count_processing
from motcua.notifications.models import NotificationKind

UPDATED = ["status", "updated_at"]


def sha256_of(upload: File) -> str:
    """The SHA-256 of an uploaded file, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def mark_result_ready(
    *,
    dossier: Dossier,
    officer: User,
    results: list[str] | None = None,
    result_file: File | None = None,
    note: str = "",
) -> Dossier:
    """The agency has decided: the result is ready. Early / on time / late is decided here,
    by the moment the result exists against the due moment. ``result_file`` (already checked
    by the caller) is the electronic result the applicant downloads once it is returned."""
    dossier = lock(dossier)
    target = ensure(dossier, "mark_result_ready")
    steps = steps_of(dossier)
    remaining = next_step(steps)
    if remaining is not None:
        raise ActionError(
            "steps_remaining",
            _("Hồ sơ còn bước «%(step)s» chưa thực hiện; hãy chuyển hồ sơ sang bước đó.")
            % {"step": remaining.name},
        )
    authorise(dossier, officer, "mark_result_ready", steps)
    at = now()
    previous = dossier.status
    finish_step(dossier, actor=officer, at=at, note=note)
    # The return step, if the workflow has one, starts now at the receiving desk.
    back = return_step(steps)
    if back is not None and back.started_at is None:
        back.agency_id = dossier.receiving_agency_id
        start_step(dossier, back, at=at)
    dossier.status = target or dossier.status
    dossier.finished_at = at
    dossier.outcome = outcome_of(at, dossier.due_at, apologised=dossier.apologised)
    # The step and processing times before the flows (docs/rules/indicators.md "Rollups").
    working_seconds = count_processing(dossier, at)
    # Flows before the in-progress stock, as in every action (docs/rules/indicators.md
    # "Rollups"): transactions lock counter rows in one order and cannot deadlock.
    bump_daily(dossier, f"finished_{dossier.outcome}", at)
    close_dossier(dossier)
    dossier.save(
        update_fields=[
            *UPDATED,
            "finished_at",
            "outcome",
            "current_step",
            "current_agency",
            "assignee",
        ]
    )
    names = results or [r.name for r in dossier.procedure.results.all()][:1]
    issued = []
    for index, name in enumerate(names or [_("Kết quả giải quyết")]):
        result = DossierResult(dossier=dossier, name=name)
        digest = ""
        if index == 0 and result_file is not None:
            digest = sha256_of(result_file)
            result.file.save(result_file.name or "ket-qua.pdf", result_file, save=False)
        result.save()
        if index == 0 and result_file is not None:
            # Signed by the competent agency's key, if it has one, in a job queued on
            # commit; meanwhile the result awaits its signature (docs/signatures.md).
            queue_signature(result, result_file)
        issued.append({"name": name, "sha256": digest})
    append_event(
        dossier,
        kind="mark_result_ready",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        outcome=dossier.outcome,
        due_at=dossier.due_at,
        # The electronic result's fingerprint is in the chain: a file swapped on the disk
        # no longer matches the history (docs/decisions/audit.md).
        results=issued,
        # Reception to result in working seconds, pauses excluded: the processing time the
        # counters hold and their recount reads (docs/rules/indicators.md "Where the time goes").
        working_seconds=working_seconds,
        note=note,
    )
    notify_applicant(dossier=dossier, kind=NotificationKind.RESULT_READY)
    return dossier


@transaction.atomic
def return_result(
    *, dossier: Dossier, officer: User | None, channel: str | None = None, note: str = ""
) -> Dossier:
    """Hand the result to the applicant (at the desk, online, or by post). With no officer
    (``None``: the system) only by post: the carrier delivered it (``postal/tracking.py``).

    An officer cannot return a result still awaiting its agency's signature
    (docs/signatures.md "Returning"): the applicant gets the signed electronic result or
    none. The carrier's delivery is recorded whatever the signature: it happened, on paper;
    the electronic copy is served once signed."""
    via = channel or ""
    if via and via not in ResultDelivery.values:
        raise invalid("bad_channel", _("Hình thức trả kết quả không hợp lệ."))
    dossier = lock(dossier)
    target = ensure(dossier, "return_result")
    by_post = officer is None and via == ResultDelivery.POSTAL
    authorise(dossier, officer, "return_result_by_post" if by_post else "return_result")
    if not by_post and dossier.results.filter(signature=SignatureStatus.AWAITING).exists():
        raise ActionError(
            "awaiting_signature",
            _("Kết quả điện tử đang chờ ký số; chỉ trả kết quả khi đã ký số xong."),
        )
    at = now()
    previous = dossier.status
    finish_step(dossier, actor=officer, at=at, note=note)
    dossier.status = target or dossier.status
    dossier.returned_at = at
    dossier.returned_via = via or dossier.result_delivery
    dossier.current_agency = None
    dossier.save(update_fields=[*UPDATED, "returned_at", "returned_via", "current_agency"])
    append_event(
        dossier,
        kind="return_result",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        via=dossier.returned_via,
        note=note,
    )
    bump_daily(dossier, "returned", at)
    keep_results(dossier=dossier, at=at)
    return dossier


@transaction.atomic
def revoke_result(*, dossier: Dossier, officer: User, reason: str) -> Dossier:
    """Revoke a returned result (a wrong result, a decision annulled), with the reason."""
    if not reason.strip():
        raise invalid("reason_required", _("Cần nêu lý do thu hồi."))
    dossier = lock(dossier)
    target = ensure(dossier, "revoke_result")
    authorise(dossier, officer, "revoke_result")
    at = now()
    previous = dossier.status
    dossier.status = target or dossier.status
    dossier.save(update_fields=UPDATED)
    append_event(
        dossier,
        kind="revoke_result",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        reason=reason.strip(),
    )
    return dossier
