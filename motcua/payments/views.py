"""The pages and the callback of online payment, under ``/thanh-toan/``.

- ``<code>/bat-dau/``: what is owed and a "pay" button (GET); the POST opens a gateway
  transaction and redirects the browser to the gateway. Reached with the signed link
  (``links.payment_link``) or by staff who may see the dossier; anyone else gets 404.
- ``vnpay/ipn/``: the gateway's server-to-server result. Always answers VNPAY's JSON
  (``RspCode``/``Message``), never an error page, whatever arrives.
- ``vnpay/ket-qua/``: where the gateway sends the browser back. It shows the transaction's
  state only when the parameters are validly signed, and settles them the same idempotent
  way as the IPN (see ``actions``), so a lost IPN does not lose a payment.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.clients import client_address
from motcua.dossiers.access import dossier_for_user
from motcua.dossiers.lookup import applicant_lookup_url
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import DossierStatus
from motcua.integrations.payments import vnpay
from motcua.payments.actions import (
    PaymentRefusedError,
    Settlement,
    settle,
    start_payment,
)
from motcua.payments.links import dossier_for_link

logger = logging.getLogger(__name__)


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _dossier(request: HttpRequest, code: str, token: str) -> Dossier:
    if token:
        try:
            return dossier_for_link(code, token)
        except Http404:
            if not request.user.is_authenticated:
                raise
    return dossier_for_user(request.user, code)


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    token = request.POST.get("t") or request.GET.get("t", "")
    dossier = _dossier(request, code, token)
    error, status = "", 200
    if request.method == "POST":
        try:
            _txn, url = start_payment(
                dossier=dossier,
                client_ip=client_address(request),
                locale="en" if (get_language() or "").startswith("en") else "vn",
                return_url=request.build_absolute_uri(reverse("payments:return")),
            )
        except PaymentRefusedError as refusal:
            error, status = str(refusal), 409
        else:
            return HttpResponseRedirect(url)
    owed = max(dossier.fee_total_vnd - dossier.paid_vnd, 0)
    context = {
        "dossier": dossier,
        "owed": vnd(owed),
        "can_pay": owed > 0 and dossier.status == DossierStatus.AWAITING_PAYMENT,
        "token": token,
        "error": error,
        "lookup": applicant_lookup_url(dossier),
    }
    return render(request, "payments/start.html", context, status=status)


def _callback_params(request: HttpRequest) -> dict[str, str] | None:
    """The callback's parameters (query string, or a form body for POST); None when a name
    repeats, as no gateway sends that and it makes "which value was signed" ambiguous."""
    source = request.POST if request.method == "POST" and request.POST else request.GET
    if any(len(values) > 1 for _name, values in source.lists()):
        return None
    return {name: str(value) for name, value in source.items()}


def _settle(request: HttpRequest, via: Literal["ipn", "return"]) -> Settlement:
    params = _callback_params(request)
    if params is None:
        return Settlement(vnpay.INVALID_SIGNATURE)
    try:
        return settle(params, via=via)
    except Exception:  # a callback always gets an answer; the error goes to the log
        logger.exception("VNPAY %s could not be settled", via)
        return Settlement(vnpay.UNKNOWN_ERROR)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ipn(request: HttpRequest) -> JsonResponse:
    result = _settle(request, "ipn")
    return JsonResponse({"RspCode": result.code, "Message": result.message})


RETURN_STATUS = {
    vnpay.INVALID_SIGNATURE: 400,
    vnpay.ORDER_NOT_FOUND: 404,
    vnpay.INVALID_AMOUNT: 400,
    vnpay.UNKNOWN_ERROR: 400,
}


@require_GET
def return_page(request: HttpRequest) -> HttpResponse:
    result = _settle(request, "return")
    txn = result.transaction
    context: dict[str, Any] = {"valid": result.code not in RETURN_STATUS}
    if context["valid"] and txn is not None:
        reason = txn.response_code and vnpay.RESPONSE_REASONS.get(txn.response_code, "")
        context.update(
            txn=txn,
            paid=txn.is_paid,
            code=txn.dossier.code,
            amount=vnd(txn.amount_vnd),
            reason=reason or _("Giao dịch không thành công."),
            lookup=applicant_lookup_url(txn.dossier),
        )
    return render(
        request, "payments/result.html", context, status=RETURN_STATUS.get(result.code, 200)
    )
