"""The public postal service from "my dossiers" (``/ho-so-cua-toi/<code>/buu-chinh/``): the
citizen asks the post to collect their papers at home, to bring the result home, or both, at
submission (the "submitted" page offers it) or any time while the dossier allows it, and
follows each order's steps (docs/postal.md "Registering").

The dossier comes through ``citizens.dossier_for_citizen``; the registration is the same
action an officer's is (``postal.registration.register_from_form``), through the portal.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from motcua.dossiers.models import Dossier
from motcua.portal.citizens import dossier_for_citizen
from motcua.portal.views.common import citizen_required
from motcua.postal.models import OrderChannel
from motcua.postal.registration import orders_of, post_cancel, post_registration
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
    done = reverse("portal:postal", kwargs={"code": dossier.code})
    return post_registration(request, dossier, channel=OrderChannel.PORTAL, page=_page, done=done)


@citizen_required
@require_POST
def cancel_postal(request: HttpRequest, code: str, order_id: int) -> HttpResponse:
    dossier = dossier_for_citizen(request.user, code)
    done = reverse("portal:postal", kwargs={"code": dossier.code})
    return post_cancel(request, dossier, order_id, done=done)
