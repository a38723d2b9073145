"""The public postal service from "my dossiers" (``/ho-so-cua-toi/<code>/buu-chinh/``): the
citizen asks the post to collect their papers at home, to bring the result home, or both, at
submission (the "submitted" page offers it) or any time while the dossier allows it, and
follows each order's steps (docs/postal.md "Registering").

The dossier comes through ``citizens.dossier_for_citizen``; the registration is the same
action an officer's is (``postal.registration.register_from_form``), through the portal.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.actions import ActionError
from motcua.core.inputs import parse_id
from motcua.dossiers.models import Dossier
from motcua.portal.citizens import dossier_for_citizen
from motcua.portal.views.common import citizen_required
from motcua.postal.actions import cancel_postal_order
from motcua.postal.models import OrderChannel, PostalOrder
from motcua.postal.registration import orders_of, register_from_form, registered_message
from motcua.postal.registration_forms import PostalOrderForm, open_services

PAGE = "portal/postal.html"


def _page(
    request: HttpRequest, dossier: Dossier, form: PostalOrderForm | None = None, status: int = 200
) -> HttpResponse:
    services = open_services(dossier)
    if form is None and services:
        # The applicant's own name and phone, already theirs to see, as a start.
        form = PostalOrderForm(
            services=services,
            initial={
                "contact_name": dossier.submitter_name or dossier.applicant_name,
                "contact_phone": dossier.submitter_phone or dossier.applicant_phone,
                "address_line": dossier.applicant_address[:255],
            },
        )
    context = {
        "dossier": dossier,
        "orders": orders_of(dossier),
        "form": form,
        "errors": form.error_list() if form is not None and form.is_bound else [],
    }
    return render(request, PAGE, context, status=status)


@citizen_required
@require_http_methods(["GET", "POST"])
def postal(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for_citizen(request.user, code)
    if request.method == "GET":
        return _page(request, dossier)
    form = PostalOrderForm(request.POST, services=open_services(dossier))
    if not form.is_valid():
        return _page(request, dossier, form, status=422)
    try:
        registrations = register_from_form(
            dossier=dossier, actor=request.user, form=form, channel=OrderChannel.PORTAL
        )
    except ActionError as refusal:
        form.add_refusal(refusal)
        return _page(request, dossier, form, status=refusal.status)
    messages.success(request, registered_message(registrations))
    return redirect("portal:postal", code=dossier.code)


@citizen_required
@require_POST
def cancel_postal(request: HttpRequest, code: str, order_id: int) -> HttpResponse:
    dossier = dossier_for_citizen(request.user, code)
    pk = parse_id(order_id)  # the URL's digits may be past any id
    order = PostalOrder.objects.filter(dossier=dossier, pk=pk).first() if pk else None
    if order is None:
        raise Http404(code)
    try:
        cancel_postal_order(order=order, actor=request.user)
    except ActionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Đã hủy đăng ký %(service)s.") % {"service": order.get_service_display().lower()},
        )
    return redirect("portal:postal", code=dossier.code)
