"""The citizen books a home visit ("hẹn giờ thực hiện TTHC tại nhà", docs/appointments.md
"Booking channels"): commune → date → a free slot, contact and address prefilled from the
profile; to submit a dossier, or to receive the result of one of their dossiers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from motcua.appointments.models import BookingChannel
from motcua.appointments.views.staff import booking_page
from motcua.portal.citizens import citizen_dossiers, prefill
from motcua.portal.views.common import citizen_required


@citizen_required
def home_visit(request: HttpRequest) -> HttpResponse:
    known = prefill(request.user)
    mine = citizen_dossiers(request.user)
    return booking_page(
        request,
        channel=BookingChannel.PORTAL,
        template="portal/home_visit.html",
        dossiers=mine,
        citizen_dossiers=mine,
        actor=request.user,
        initial={
            "contact_name": known["name"],
            "contact_phone": known["phone"],
            "contact_email": known["email"],
            "address_line": known["address"],
        },
    )
