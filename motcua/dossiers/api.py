"""Dossier endpoints of the public API (docs/rules/api.md "Endpoints", "Public lookup")."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.responses import Status

from motcua.catalog.models import Procedure
from motcua.core.api_errors import ApiError, ErrorOut
from motcua.dossiers import actions
from motcua.dossiers.access import Scope, dossier_for_action, dossier_for_user
from motcua.dossiers.actions import ActionError, Applicant, Application, ReceivedDocument
from motcua.dossiers.api_schemas import (
    ActionBody,
    DossierCreate,
    DossierDetail,
    DossierOut,
    LookupOut,
    dossier_out,
)
from motcua.dossiers.lookup import CODE_MAX, LOOKUPS, look_up
from motcua.dossiers.models import Dossier, IdempotencyKey
from motcua.dossiers.tokens import BearerToken
from motcua.org.models import Agency, Desk

router = Router(tags=["dossiers"], auth=BearerToken())
lookup_router = Router(tags=["lookup"])


def _staff(request: HttpRequest) -> User:
    """The user the bearer token acts for (the router's auth sets request.auth)."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User)
    return user


def _fail(exc: ActionError) -> ApiError:
    return ApiError(exc.status, exc.code, exc.message, exc.details)


def _digest(body: DossierCreate) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _application(body: DossierCreate, scope: Scope) -> Application:
    procedure = Procedure.objects.filter(code=body.procedure).first()
    if procedure is None:
        raise ApiError(
            422,
            "procedure_not_found",
            _("Không tìm thấy thủ tục có mã %(code)s.") % {"code": body.procedure},
        )
    desk = Desk.objects.select_related("agency", "unit").filter(pk=body.desk, active=True).first()
    if desk is None:
        raise ApiError(422, "desk_not_found", _("Không tìm thấy nơi tiếp nhận."))
    if desk.pk not in scope.desks and desk.agency_id not in scope.reception_agencies:
        raise ApiError(
            403, "forbidden", _("Bạn không tiếp nhận hồ sơ tại %(desk)s.") % {"desk": desk.name}
        )
    a = body.applicant
    return Application(
        procedure=procedure,
        desk=desk,
        channel=body.channel,
        applicant=Applicant(
            kind=a.kind,
            name=a.name,
            id_number=a.id_number,
            phone=a.phone,
            email=a.email,
            address=a.address,
        ),
        documents=[
            ReceivedDocument(d.name, originals=d.original, copies=d.copies) for d in body.documents
        ],
        result_delivery=body.result_delivery,
        delivery_address=body.delivery_address,
        summary=body.summary,
        sets=body.sets,
    )


@router.post("", response={201: DossierOut}, summary="Tiếp nhận hồ sơ")
def create_dossier(request: HttpRequest, body: DossierCreate) -> Status[dict[str, Any]]:
    """Receive a dossier at a desk. An ``Idempotency-Key`` header makes retries safe: the same
    key and body return the same dossier; the same key with another body is 409."""
    user = _staff(request)
    key = request.headers.get("Idempotency-Key", "").strip()
    scope = Scope.of(user)
    received_at = body.received_at  # not in the future nor before 2000: the action checks
    digest = _digest(body)
    with transaction.atomic():
        if key:
            try:
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(
                        user=user, key=key[:255], request_digest=digest
                    )
            except IntegrityError:
                # The key was used before (or by a request that just committed).
                used = IdempotencyKey.objects.select_related("dossier").get(
                    user=user, key=key[:255]
                )
                if used.request_digest != digest or used.dossier is None:
                    raise ApiError(
                        409,
                        "idempotency_key_reused",
                        _("Idempotency-Key này đã dùng cho một yêu cầu khác."),
                    ) from None
                return Status(201, dossier_out(used.dossier))
        application = _application(body, scope)
        try:
            dossier = actions.receive_dossier(
                application=application, officer=user, received_at=received_at
            )
        except ActionError as exc:
            raise _fail(exc) from exc
        if key:
            claim.dossier = dossier
            claim.save(update_fields=["dossier"])
    return Status(201, dossier_out(dossier))


@router.get("/{code}", response=DossierDetail, summary="Xem hồ sơ kèm nhật ký")
def get_dossier(request: HttpRequest, code: str) -> dict[str, Any]:
    dossier = dossier_for_user(request.user, code)
    return dossier_out(dossier, with_events=True)


def _agency(agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    agency = Agency.objects.filter(pk=agency_id, active=True).first()
    if agency is None:
        raise ApiError(422, "agency_not_found", _("Không tìm thấy cơ quan được chuyển đến."))
    return agency


def _run(action: str, dossier: Dossier, user: Any, body: ActionBody) -> Dossier:
    note = body.note
    if action == "receive":
        return actions.accept_submission(dossier=dossier, officer=user)
    if action == "refuse":
        return actions.refuse_submission(dossier=dossier, officer=user, reason=body.reason)
    if action == "forward":
        return actions.forward_dossier(
            dossier=dossier, officer=user, to_agency=_agency(body.to_agency), note=note
        )
    if action == "record_step":
        return actions.record_step(dossier=dossier, officer=user, note=note)
    if action == "request_supplement":
        return actions.request_supplement(
            dossier=dossier, officer=user, reason=body.reason, items=body.items, note=note
        )
    if action == "complete_supplement":
        return actions.complete_supplement(dossier=dossier, officer=user, note=note)
    if action == "request_payment":
        return actions.request_payment(
            dossier=dossier, officer=user, amount_vnd=body.amount_vnd, note=note
        )
    if action == "record_payment":
        return actions.record_payment(
            dossier=dossier,
            officer=user,
            amount_vnd=body.amount_vnd or 0,
            reference=body.reference,
            note=note,
        )
    if action == "stop":
        return actions.stop_processing(dossier=dossier, officer=user, reason=body.reason)
    if action == "withdraw":
        return actions.withdraw_dossier(dossier=dossier, officer=user, reason=body.reason)
    if action == "apologise":
        if body.new_due_at is None:
            raise ApiError(422, "new_due_required", _("Cần ngày hẹn trả mới (new_due_at)."))
        return actions.apologise(
            dossier=dossier,
            officer=user,
            reason=body.reason,
            new_due_at=body.new_due_at,
            note=note,
        )
    if action == "mark_result_ready":
        return actions.mark_result_ready(
            dossier=dossier, officer=user, results=body.results, note=note
        )
    if action == "return_result":
        return actions.return_result(dossier=dossier, officer=user, channel=body.channel, note=note)
    if action == "revoke_result":
        return actions.revoke_result(dossier=dossier, officer=user, reason=body.reason)
    raise ApiError(404, "unknown_action", _("Không có thao tác %(a)s.") % {"a": action})


ACTIONS = (
    "receive",
    "refuse",
    "forward",
    "record_step",
    "request_supplement",
    "complete_supplement",
    "request_payment",
    "record_payment",
    "stop",
    "withdraw",
    "apologise",
    "mark_result_ready",
    "return_result",
    "revoke_result",
)


@router.post("/{code}/actions/{action}", response=DossierOut, summary="Thực hiện thao tác")
def act(request: HttpRequest, code: str, action: str, body: ActionBody) -> dict[str, Any]:
    if action not in ACTIONS:
        raise ApiError(404, "unknown_action", _("Không có thao tác %(a)s.") % {"a": action})
    try:
        with transaction.atomic():
            dossier = dossier_for_action(request.user, code, action)
            dossier = _run(action, dossier, request.user, body)
    except ActionError as exc:
        raise _fail(exc) from exc
    return dossier_out(dossier)


@lookup_router.get(
    "/{code}",
    response={200: LookupOut, 404: ErrorOut, 429: ErrorOut},
    summary="Tra cứu hồ sơ công khai",
    # The procedure and the applicant are left out, not null, without a correct check.
    exclude_unset=True,
)
def lookup(
    request: HttpRequest,
    code: Annotated[str, Path(max_length=CODE_MAX)],
    check: Annotated[str, Query(max_length=64)] = "",
) -> dict[str, Any]:
    """The status of a dossier and its dates. With ``check`` (the last 4 digits of the
    applicant's phone or ID number, or the secret in Form 01's QR code) also the procedure
    and the masked applicant; a wrong check answers as if it were absent."""
    answer = look_up(request, code, check)
    if answer.limited:
        raise ApiError(
            429, "rate_limited", _("Quá nhiều yêu cầu, vui lòng thử lại sau."), retry_after=LOOKUPS
        )
    dossier = answer.dossier
    if dossier is None:
        raise ApiError(
            404, "dossier_not_found", _("Không tìm thấy hồ sơ có mã %(code)s.") % {"code": code}
        )
    out: dict[str, Any] = {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": dossier.status_label,
        "national_status": dossier.national_status,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "returned_at": dossier.returned_at,
    }
    if answer.shown:
        out["procedure"] = dossier.procedure_name
        out["procedure_code"] = dossier.procedure_code
        out["applicant"] = answer.applicant
    return out
