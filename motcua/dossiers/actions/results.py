"""Results: ready, signed by a leader in person where the workflow asks it, returned (at the
desk, online, by post), revoked."""

from __future__ import annotations

import hashlib
import logging

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, User, invalid, now
from motcua.core.outbox.models import OutboxStatus
from motcua.dossiers.actions.processing import finish_step, start_step
from motcua.dossiers.actions.store import keep_results
from motcua.dossiers.actions.transitions import append_event, ensure, lock
from motcua.dossiers.clock import outcome_of
from motcua.dossiers.counters import bump_daily, close_dossier
from motcua.dossiers.models import (
    UNSIGNED_YET,
    Dossier,
    DossierResult,
    ResultDelivery,
    ResultSigning,
    SignatureStatus,
)
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.permissions import (
    Scope,
    authorise,
    forbidden,
    next_step,
    return_step,
    steps_of,
)
from motcua.dossiers.signatures import (
    SigningError,
    queue_agency_signature,
    queue_signature,
    sign_personally,
    store_signed,
)
from motcua.dossiers.time_counters import count_processing
from motcua.notifications.models import NotificationKind
from motcua.signing.queries import personal_key

logger = logging.getLogger(__name__)

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
    deciding_step = dossier.current_step
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
            # commit, after the personal signature of the leader of the deciding step if
            # it asks for one; meanwhile the result awaits them (docs/signatures.md).
            queue_signature(result, result_file, deciding_step)
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

    An officer cannot return a result still awaiting its leader's or its agency's signature
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
    if not by_post and dossier.results.filter(signature__in=UNSIGNED_YET).exists():
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
    """Revoke a returned result (a wrong result, a decision annulled), with the reason.

    The dossier's result is revoked as a whole: every result document issued for it is marked
    revoked with the moment and the reason, and the public verification answers "Đã bị thu
    hồi" for each of them (docs/signatures.md "Verification and revocation")."""
    if not reason.strip():
        raise invalid("reason_required", _("Cần nêu lý do thu hồi."))
    dossier = lock(dossier)
    target = ensure(dossier, "revoke_result")
    authorise(dossier, officer, "revoke_result")
    at = now()
    previous = dossier.status
    dossier.status = target or dossier.status
    dossier.save(update_fields=UPDATED)
    dossier.results.filter(revoked_at__isnull=True).update(
        revoked_at=at, revocation_reason=reason.strip()
    )
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


@transaction.atomic
def sign_result_personally(
    *, dossier: Dossier, result: DossierResult, officer: User, pin: str = ""
) -> Dossier:
    """The leader of the step that decided signs the result's PDF with their own key, before
    the agency (docs/signatures.md "A leader's personal signature"): a PAdES signature with
    their name and position on the stamp, timestamped when an authority is configured. Then
    the agency's signing job is queued, to sign on top of it.

    ``pin`` is the key's PIN or passphrase as the leader typed it (their key's variable when
    empty): used to open the key and forgotten, never stored nor logged. A wrong PIN or an
    authority that does not answer refuses, and nothing is changed."""
    dossier = lock(dossier)
    ensure(dossier, "sign_result_personally")
    authorise(dossier, officer, "sign_result_personally")
    found = (
        # The result row alone: its step is on the nullable side of the join.
        DossierResult.objects.select_for_update(of=("self",))
        .filter(pk=result.pk, dossier_id=dossier.pk)
        .select_related("personal_step", "dossier")
        .first()
    )
    if found is None or found.signature != SignatureStatus.AWAITING_LEADER:
        raise ActionError(
            "not_awaiting_leader",
            _("Kết quả này không chờ lãnh đạo ký số."),
            status=409,
        )
    result = found
    if not Scope.of(officer).signs_personally(result.personal_step):
        raise forbidden(dossier.code)
    key = personal_key(officer.pk)
    if key is None:
        raise ActionError(
            "no_personal_key",
            _("Bạn chưa có khóa ký số cá nhân đang dùng; đề nghị quản trị hệ thống thêm khóa."),
            status=409,
        )
    try:
        signed = sign_personally(result, key, pin)
    except SigningError as exc:
        # The message names the key or the authority, never the PIN.
        logger.info("personal signature of result %s refused: %s", result.pk, exc)
        if exc.retryable:
            raise ActionError(
                "signing_unavailable",
                _("Chưa ký số được (%(error)s); hãy thử lại sau.") % {"error": exc},
                status=503,
            ) from None
        raise ActionError(
            "signing_refused",
            _("Không ký số được: %(error)s. Kiểm tra lại mã PIN hoặc khóa ký số.") % {"error": exc},
            status=422,
        ) from None
    digest = hashlib.sha256(signed.data).hexdigest()
    name = store_signed(result, signed.data)
    at = now()
    result.personal_file.name = name
    result.personally_signed_at = signed.signed_at
    result.personally_signed_by = signed.signer[:255]
    result.signature = SignatureStatus.AWAITING
    updated = ["personal_file", "personally_signed_at", "personally_signed_by", "signature"]
    result.save(update_fields=updated)
    ResultSigning.objects.create(
        result=result,
        key=key,
        step=result.personal_step,
        level=signed.level,
        status=OutboxStatus.SENT,
        attempts=1,
        attempted_at=at,
        sent_at=at,
        provider_message_id=digest,
    )
    if queue_agency_signature(result) is None:
        # No agency key: the leader's signature is the result's.
        result.signature = SignatureStatus.SIGNED
        result.signed_file.name = name
        result.signed_sha256 = digest
        result.signed_at = signed.signed_at
        result.signed_by = signed.signer[:255]
        result.save(
            update_fields=["signature", "signed_file", "signed_sha256", "signed_at", "signed_by"]
        )
    append_event(
        dossier,
        kind="sign_result_personally",
        actor=officer,
        at=at,
        from_status=dossier.status,
        to_status=dossier.status,
        result=result.name,
        sha256=digest,
        signer=signed.signer,
        level=signed.level,
    )
    return dossier
