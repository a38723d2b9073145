"""My dossiers (``/ho-so-cua-toi/``): the citizen's dossiers, each with its timeline,
what the office asks for (with the supplement upload), payment, result and rating.

Every dossier comes through ``citizens.dossier_for_citizen``: someone else's code is the
same 404 as a code that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.catalog.models import OnlineMode
from motcua.core import files, uploads
from motcua.dossiers.actions import ActionError, SuppliedDocument, complete_supplement
from motcua.dossiers.models import Dossier, Rating, SupplementRequest
from motcua.dossiers.status import DossierStatus
from motcua.payments.links import payment_link
from motcua.portal.citizens import citizen_dossiers, dossier_for_citizen
from motcua.portal.forms import SupplementForm
from motcua.portal.timeline import citizen_timeline
from motcua.portal.views.common import citizen_required
from motcua.postal.registration import orders_of
from motcua.postal.registration_forms import open_services

PER_PAGE = 20
# What the applicant must do next, by status.
WHAT_TO_DO_NEXT: dict[str, str] = {
    DossierStatus.SUPPLEMENT_REQUESTED: "supplement",
    DossierStatus.AWAITING_PAYMENT: "pay",
}


@citizen_required
@require_GET
def my_dossiers(request: HttpRequest) -> HttpResponse:
    dossiers = (
        citizen_dossiers(request.user).select_related("procedure").order_by("-submitted_at", "-id")
    )
    page = Paginator(dossiers, PER_PAGE).get_page(request.GET.get("trang"))
    rated = set(
        Rating.objects.filter(dossier__in=[d.pk for d in page]).values_list("dossier_id", flat=True)
    )
    rows = [
        {
            "dossier": d,
            "todo": WHAT_TO_DO_NEXT.get(d.status)
            or ("rate" if d.status == DossierStatus.RETURNED and d.pk not in rated else ""),
        }
        for d in page
    ]
    return render(request, "portal/mine_list.html", {"page": page, "rows": rows})


def open_request(dossier: Dossier) -> SupplementRequest | None:
    if dossier.status != DossierStatus.SUPPLEMENT_REQUESTED:
        return None
    return dossier.supplements.filter(completed_at__isnull=True).order_by("-requested_at").first()


def _detail(
    request: HttpRequest,
    dossier: Dossier,
    *,
    supplement_form: SupplementForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    asked = open_request(dossier)
    if asked is not None and supplement_form is None:
        supplement_form = SupplementForm(items=[str(i) for i in asked.items or []])
    returned = dossier.status == DossierStatus.RETURNED
    context: dict[str, Any] = {
        "dossier": dossier,
        "steps": citizen_timeline(list(dossier.events.order_by("seq"))),
        "asked": asked,
        "supplement_form": supplement_form,
        "errors": ([("", error)] if error else [])
        + (supplement_form.error_list() if supplement_form and supplement_form.is_bound else []),
        "pay_url": payment_link(dossier)
        if dossier.status == DossierStatus.AWAITING_PAYMENT
        else "",
        "owed": max(dossier.fee_total_vnd - dossier.paid_vnd, 0),
        "results": [r for r in dossier.results.all() if r.published_file] if returned else [],
        "documents": list(dossier.documents.all()),
        "rating": Rating.objects.filter(dossier=dossier).first(),
        "can_rate": returned,
        "partial": dossier.procedure.online_mode == OnlineMode.PARTIAL,
        "max_mb": uploads.max_bytes() // (1024 * 1024),
        "postal_orders": orders_of(dossier),
        "postal_open": bool(open_services(dossier)),
    }
    return render(request, "portal/mine_detail.html", context, status=status)


@citizen_required
@require_GET
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return _detail(request, dossier_for_citizen(request.user, code))


@citizen_required
@require_GET
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for_citizen(request.user, code)
    return render(
        request,
        "portal/submitted.html",
        {
            "dossier": dossier,
            "partial": dossier.procedure.online_mode == OnlineMode.PARTIAL,
            "originals": [d for d in dossier.documents.all() if d.originals],
            "postal_open": bool(open_services(dossier)),
        },
    )


@citizen_required
@require_GET
def result_file(request: HttpRequest, code: str, result_id: int) -> HttpResponseBase:
    """The electronic result, to its owner only, once returned (not after revocation);
    served through the one door for files (docs/decisions/files.md)."""
    dossier = dossier_for_citizen(request.user, code)
    result = dossier.results.exclude(file="").filter(pk=result_id).first()
    # The signed copy when the agency signs its results, none while it awaits the signature
    # (docs/signatures.md).
    if dossier.status != DossierStatus.RETURNED or result is None or not result.published_file:
        raise Http404(code)
    return files.download(stored=result.published_file, title=f"{dossier.code} {result.name}")


@citizen_required
@require_GET
def document_file(request: HttpRequest, code: str, document_id: int) -> HttpResponseBase:
    """A document of the citizen's own dossier (their upload, or the desk's scan of their
    papers), looked up among that dossier's documents only."""
    dossier = dossier_for_citizen(request.user, code)
    document = dossier.documents.exclude(file="").filter(pk=document_id).first()
    if document is None:
        raise Http404(code)
    return files.download(stored=document.file, title=f"{dossier.code} {document.name}")


@citizen_required
@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Upload what the office asked for; the dossier resumes (complete_supplement)."""
    dossier = dossier_for_citizen(request.user, code)
    asked = open_request(dossier)
    form = SupplementForm(
        request.POST, request.FILES, items=[str(i) for i in (asked.items if asked else [])]
    )
    if asked is None:
        return _detail(
            request, dossier, error=_("Hồ sơ không còn chờ bổ sung giấy tờ."), status=409
        )
    if not form.is_valid():
        return _detail(request, dossier, supplement_form=form, status=422)
    try:
        complete_supplement(
            dossier=dossier,
            officer=request.user,
            note=form.cleaned_data["note"],
            answering=asked,
            documents=[
                SuppliedDocument(name, uploads.for_storage(upload))
                for name, upload in form.files_by_item()
            ],
        )
    except ActionError as refusal:
        return _detail(request, dossier, error=refusal.message, status=refusal.status)
    messages.success(request, _("Đã gửi giấy tờ bổ sung; hồ sơ tiếp tục được giải quyết."))
    return redirect(reverse("portal:dossier", args=[code]))
