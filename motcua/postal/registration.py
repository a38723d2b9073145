"""Registering the postal service from a screen (docs/postal.md "Registering"): the citizen's
page on the portal (``portal/views/postal.py``) and the officers' pages here, for a
receptionist at any desk, a 1022 operator taking a call and a post office's officer.

``/buu-chinh/`` finds a dossier by its code, whatever its agency or unit (the service is
offered across every boundary, ``access.dossier_for_postal``); ``/buu-chinh/ho-so/<code>/``
shows its orders with their tracking and registers or cancels one. The channel is the
officer's role (``actions.channel_for``). Other officers are told the page is not theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.actions import ActionError, User
from motcua.core.inputs import parse_id
from motcua.dossiers.lookup import CODE_MAX
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import Scope
from motcua.dossiers.templatetags.backoffice import format_vnd
from motcua.org.access import officer_required
from motcua.postal.access import POSTAL_REGISTRARS, dossier_for_postal
from motcua.postal.actions import (
    Address,
    Contact,
    Registration,
    cancel_postal_order,
    channel_for,
    register_postal_service,
)
from motcua.postal.models import OrderChannel, PostalOrder
from motcua.postal.registration_forms import PostalOrderForm, open_services

FIND_PAGE = "postal/register/find.html"
ORDERS_PAGE = "postal/register/orders.html"
DENIED_PAGE = "postal/register/denied.html"


def register_from_form(
    *, dossier: Dossier, actor: User, form: PostalOrderForm, channel: str
) -> list[Registration]:
    """Register every service the valid ``form`` asks for, all or none."""
    data = form.cleaned_data
    with transaction.atomic():
        return [
            register_postal_service(
                dossier=dossier,
                actor=actor,
                service=service,
                address=Address(data["address_line"], data["unit_code"]),
                contact=Contact(
                    data["contact_name"], data["contact_phone"], data["preferred_time"]
                ),
                channel=channel,
                note=data["note"],
            )
            for service in form.services()
        ]


def registered_message(registrations: list[Registration]) -> str:
    fee = sum(r.order.fee_vnd for r in registrations if r.created)
    return ngettext(
        "Đã đăng ký dịch vụ bưu chính công ích. Cước: %(fee)s đồng.",
        "Đã đăng ký %(count)s dịch vụ bưu chính công ích. Cước: %(fee)s đồng.",
        len(registrations),
    ) % {"count": len(registrations), "fee": format_vnd(fee)}


Page = Callable[[HttpRequest, Dossier, PostalOrderForm, int], HttpResponse]


def post_registration(
    request: HttpRequest, dossier: Dossier, *, channel: str, page: Page, done: str
) -> HttpResponse:
    """Register what the posted form asks for; the page again with the refusals (422 or
    the action's status), or on to ``done`` with the postage said."""
    form = PostalOrderForm(request.POST, services=open_services(dossier))
    if not form.is_valid():
        return page(request, dossier, form, 422)
    try:
        registrations = register_from_form(
            dossier=dossier, actor=request.user, form=form, channel=channel
        )
    except ActionError as refusal:
        form.add_refusal(refusal)
        return page(request, dossier, form, refusal.status)
    messages.success(request, registered_message(registrations))
    return redirect(done)


def post_cancel(
    request: HttpRequest, dossier: Dossier, order_id: int, *, done: str
) -> HttpResponse:
    """Cancel one of the dossier's orders (404 for an order of no such number there) and go
    on to ``done`` with the outcome said."""
    pk = parse_id(order_id)  # the URL's digits may be past any id
    order = PostalOrder.objects.filter(dossier=dossier, pk=pk).first() if pk else None
    if order is None:
        raise Http404(dossier.code)
    try:
        cancel_postal_order(order=order, actor=request.user, reason=request.POST.get("ly_do", ""))
    except ActionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Đã hủy đăng ký %(service)s.") % {"service": order.get_service_display().lower()},
        )
    return redirect(done)


def orders_of(dossier: Dossier) -> list[PostalOrder]:
    return list(
        PostalOrder.objects.filter(dossier=dossier)
        .select_related("unit")
        .order_by("created_at", "pk")
    )


def _registrar(user: Any) -> bool:
    return any(m.role in POSTAL_REGISTRARS for m in Scope.of(user).memberships)


def _denied(request: HttpRequest) -> HttpResponse:
    return render(request, DENIED_PAGE, {"section": "postal"}, status=403)


@officer_required
@require_http_methods(["GET"])
def find(request: HttpRequest) -> HttpResponse:
    """Type a dossier's code (from the receipt, or read out by the caller)."""
    if not _registrar(request.user):
        return _denied(request)
    code = (request.GET.get("ma") or "").strip().upper()[:CODE_MAX]
    error = ""
    if code:
        try:
            dossier = dossier_for_postal(request.user, code)
        except Http404:
            error = _("Không tìm thấy hồ sơ có mã %(code)s.") % {"code": code}
        else:
            return redirect("postal_register:orders", code=dossier.code)
    return render(
        request,
        FIND_PAGE,
        {"code": code, "error": error, "section": "postal"},
        status=404 if error else 200,
    )


def _orders_page(
    request: HttpRequest, dossier: Dossier, form: PostalOrderForm | None = None, status: int = 200
) -> HttpResponse:
    services = open_services(dossier)
    if form is None and services:
        form = PostalOrderForm(services=services)
    context = {
        "dossier": dossier,
        "orders": orders_of(dossier),
        "form": form,
        "errors": form.error_list() if form is not None and form.is_bound else [],
        "channel_label": OrderChannel(channel_for(request.user)).label,
        "section": "postal",
    }
    return render(request, ORDERS_PAGE, context, status=status)


@officer_required
@require_http_methods(["GET", "POST"])
def orders(request: HttpRequest, code: str) -> HttpResponse:
    if not _registrar(request.user):
        return _denied(request)
    dossier = dossier_for_postal(request.user, code)
    if request.method == "GET":
        return _orders_page(request, dossier)
    return post_registration(
        request,
        dossier,
        channel=channel_for(request.user),
        page=_orders_page,
        done=reverse("postal_register:orders", kwargs={"code": dossier.code}),
    )


@officer_required
@require_POST
def cancel(request: HttpRequest, code: str, order_id: int) -> HttpResponse:
    if not _registrar(request.user):
        return _denied(request)
    dossier = dossier_for_postal(request.user, code)
    done = reverse("postal_register:orders", kwargs={"code": dossier.code})
    return post_cancel(request, dossier, order_id, done=done)
