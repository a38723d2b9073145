"""Results in the API (docs/rules/api.md "Verification", "Results"):

- ``GET /api/v1/verify?code=&sha256=``: public, counted against the verification's limit
  (``verification.py``): whether dossier ``code`` has a signed result with that SHA-256 that
  is not revoked.
- ``GET /api/v1/dossiers/{code}/results``: the dossier's results for staff who see the
  dossier (a bearer token or their session, through ``access.dossier_for_user``) and for
  the applicant signed in on the portal (``citizens.dossier_for_citizen``); anyone else gets
  the 404 of a dossier that does not exist. ``download_url`` is the existing download page of
  whoever asks (the back office's for staff, the portal's for the applicant), which serves
  the signed copy through the same doors.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from motcua.accounts.access import is_citizen
from motcua.core.api_errors import ApiError, ErrorOut
from motcua.core.clients import client_bucket
from motcua.dossiers.access import dossier_for_user
from motcua.dossiers.api_schemas import ResultsOut, VerifyOut
from motcua.dossiers.citizens import dossier_for_citizen
from motcua.dossiers.lookup import CODE_MAX
from motcua.dossiers.models import Dossier, DossierResult, SignatureStatus
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.tokens import user_for_token
from motcua.dossiers.verification import HANDED_OUT, VERIFICATIONS, is_sha256, issued_with

verify_router = Router(tags=["verify"])
results_router = Router(tags=["dossiers"])


@verify_router.get(
    "",
    response={200: VerifyOut, 422: ErrorOut, 429: ErrorOut},
    summary="Xác thực kết quả giải quyết theo mã hồ sơ và SHA-256",
)
def verify(
    request: HttpRequest,
    code: Annotated[str, Query(min_length=1, max_length=CODE_MAX)],
    sha256: Annotated[str, Query(min_length=1, max_length=128)],
) -> dict[str, Any]:
    """``valid``: dossier ``code`` has a signed result whose signed copy has this SHA-256
    (hex), and it is not revoked. A revoked one answers ``revoked`` with ``revoked_at`` and
    the ``reason``. An unknown code or file: ``valid`` false, nothing else."""
    if not is_sha256(sha256):
        raise ApiError(
            422, "bad_sha256", _("sha256 phải là 64 chữ số thập lục phân (SHA-256 của tệp).")
        )
    if not VERIFICATIONS.hit(client_bucket(request)):
        raise ApiError(
            429,
            "rate_limited",
            _("Quá nhiều yêu cầu, vui lòng thử lại sau."),
            retry_after=VERIFICATIONS,
        )
    issued = issued_with(sha256, code=code)
    if issued is None:
        return {"valid": False, "dossier_code": code, "revoked": False}
    out: dict[str, Any] = {
        "valid": not issued.revoked,
        "dossier_code": issued.dossier_code,
        "signer": issued.signer,
        "signed_at": timezone.localtime(issued.signed_at) if issued.signed_at else None,
        "revoked": issued.revoked,
    }
    if issued.revoked_at is not None:
        out["revoked_at"] = timezone.localtime(issued.revoked_at)
        out["reason"] = issued.revocation_reason
    return out


def _caller(request: HttpRequest) -> Any:
    """A bearer token's officer, else the session's user; 401 for nobody."""
    header = request.headers.get("Authorization", "")
    if header:
        kind, _sep, token = header.partition(" ")
        user = user_for_token(token.strip()) if kind.lower() == "bearer" else None
        if user is None:
            raise ApiError(401, "unauthorized", _("Mã truy cập không hợp lệ."))
        return user
    if not request.user.is_authenticated:
        raise ApiError(401, "unauthorized", _("Cần đăng nhập hoặc mã truy cập hợp lệ."))
    return request.user


def _item(result: DossierResult, download_url: str | None) -> dict[str, Any]:
    signed = result.signature == SignatureStatus.SIGNED
    return {
        "id": result.pk,
        "name": result.name,
        "signed": signed,
        "signed_at": timezone.localtime(result.signed_at) if signed and result.signed_at else None,
        "signer": result.signed_by if signed else "",
        "sha256": result.signed_sha256 if signed else "",
        "download_url": download_url,
        "revoked": result.revoked_at is not None,
    }


def _for_applicant(dossier: Dossier) -> list[dict[str, Any]]:
    # As on the portal: results appear once handed out, and download while not revoked.
    if dossier.status not in HANDED_OUT:
        return []
    items = []
    for result in dossier.results.order_by("pk"):
        served = dossier.status == DossierStatus.RETURNED and result.file and result.published_file
        url = reverse("portal:result", args=[dossier.code, result.pk]) if served else None
        items.append(_item(result, url))
    return items


def _for_staff(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        _item(
            result,
            reverse("dossiers:result-file", args=[dossier.code, result.pk])
            if result.file
            else None,
        )
        for result in dossier.results.order_by("pk")
    ]


@results_router.get(
    "/{code}/results",
    response={200: ResultsOut, 401: ErrorOut, 404: ErrorOut},
    summary="Kết quả giải quyết của hồ sơ",
)
def dossier_results(request: HttpRequest, code: str) -> dict[str, Any]:
    """The dossier's results, for staff who see the dossier and for its applicant."""
    user = _caller(request)
    if is_citizen(user):
        return {"items": _for_applicant(dossier_for_citizen(user, code))}
    return {"items": _for_staff(dossier_for_user(user, code))}
