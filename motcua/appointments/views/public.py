"""Pages reached by a secret link, with no sign-in (docs/appointments.md "Links"): the
citizen's change/cancel page (the confirmation's link) and the officer's iCalendar feed.

The link carries a random token and nothing else; only its digest is stored. A wrong,
forged or superseded token is answered 404 with a clear page, nothing changed. The pages are
not cached and send no referrer, so the token does not leave the browser through them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.appointments import feeds
from motcua.appointments.access import appointment_by_token
from motcua.appointments.actions import cancel_appointment
from motcua.appointments.booking import free_slots
from motcua.appointments.models import AppointmentStatus, Slot, SlotKind
from motcua.appointments.visits import reschedule_appointment
from motcua.core.actions import ActionError
from motcua.core.inputs import parse_day, parse_id
from motcua.dossiers.lookup import mask_name


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-3:]}" if len(phone) > 6 else "****"


def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Show the appointment masked; cancel it, or move it to another free slot serving the
    same commune (``reschedule_appointment``)."""
    appointment = appointment_by_token(token)
    if appointment is None:
        return _private(render(request, "appointments/bad_link.html", status=404))
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                cancel_appointment(appointment=appointment, token=token)
                return _private(redirect("appointments:manage", token=token))
            slot_id = parse_id(request.POST.get("slot", ""))
            slot = (
                Slot.objects.filter(pk=slot_id, kind=SlotKind.HOME).first()
                if slot_id is not None
                else None
            )
            if slot is None:
                error = _("Hãy chọn một khung giờ còn trống.")
            else:
                moved = reschedule_appointment(appointment=appointment, slot=slot, token=token)
                return _private(redirect("appointments:manage", token=moved.cancel_token))
        except ActionError as exc:
            error = exc.message
        appointment.refresh_from_db()
    # A day outside 2000–2099 is no day: the page shows no slots rather than a 500.
    raw_day = request.GET.get("ngay", "")
    day = parse_day(raw_day)
    if raw_day and day is None and not error:
        error = _("Ngày không hợp lệ; chọn một ngày trong khoảng năm 2000 đến 2099.")
    booked = appointment.status == AppointmentStatus.BOOKED
    context = {
        "appointment": appointment,
        "name": mask_name(appointment.contact_name),
        "phone": mask_phone(appointment.contact_phone),
        "unit": appointment.address_unit.name if appointment.address_unit else "",
        "booked": booked,
        "day": day,
        "slots": [
            s for s in free_slots(appointment.address_unit, day) if s.pk != appointment.slot_id
        ]
        if booked
        else [],
        "error": error,
        "today": timezone.localdate(),
    }
    return _private(
        render(request, "appointments/manage.html", context, status=422 if error else 200)
    )


def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The officer's visits as an iCalendar file, for the calendar app that holds the secret
    address; a revoked or unknown address is 404."""
    officer = feeds.feed_officer(token)
    if officer is None:
        return _private(
            HttpResponse(
                _("Không tìm thấy lịch."), status=404, content_type="text/plain; charset=utf-8"
            )
        )
    response = HttpResponse(feeds.ical(officer), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-hen-tai-nha.ics"'
    return _private(response)
