"""The citizen's queue numbers on the portal (``/lay-so/``, docs/appointments.md "Desk
queue"): signed in (VNeID or a verified account), pick a desk, a day (today or a working day
up to the desk's horizon), a sector and a window within the desk's hours; the number comes
with its expected time, and can be given back until it is called.

The person is known to the daily limit by the profile's phone and ID number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.access import citizen_required
from motcua.appointments import queue
from motcua.appointments.models import QueueTicket, Slot, TicketState
from motcua.appointments.queue_access import citizen_ticket
from motcua.appointments.queue_days import day_windows, ensure_windows, local_day, open_days
from motcua.appointments.queue_forms import TakeForm
from motcua.appointments.queue_views import display
from motcua.core.actions import ActionError, now
from motcua.core.inputs import parse_day, parse_id
from motcua.org.models import Desk

LIVE = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING)


def _day(text: str, offered: list[dt.date]) -> dt.date | None:
    day = parse_day(text)
    return day if day in offered else None


def _windows(desk: Desk, day: dt.date) -> QuerySet[Slot]:
    """The day's windows with room that have not ended, made first if the day has none."""
    with transaction.atomic():
        Desk.objects.select_for_update().filter(pk=desk.pk).first()
        ensure_windows(desk, day)
    return Slot.objects.filter(
        day_windows(desk, day), end__gt=now(), booked__lt=F("capacity")
    ).order_by("start")


def _mine(user: Any) -> QuerySet[QueueTicket]:
    return (
        QueueTicket.objects.filter(
            appointment__booked_by=user,
            walk_in=False,
            day__gte=local_day(now()),
            state__in=LIVE,
        )
        .select_related("desk", "sector")
        .order_by("day", "number")
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def take(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    pk = parse_id(source.get("quay", ""))
    desk = Desk.objects.filter(pk=pk, active=True).first() if pk else None
    days = open_days(desk, now()) if desk else []
    day = _day(str(source.get("ngay", "")), days) if desk else None
    windows = _windows(desk, day) if desk and day else Slot.objects.none()
    form = TakeForm(request.POST or None, desk=desk, windows=windows) if desk and day else None
    error, status = "", 200
    if request.method == "POST":
        if form is None or not form.is_valid():
            error, status = _("Hãy chọn quầy, ngày, lĩnh vực và khung giờ còn số."), 422
        else:
            profile = request.profile  # type: ignore[attr-defined]
            try:
                ticket = queue.take_number(
                    desk=desk,  # type: ignore[arg-type]
                    slot=form.cleaned_data["slot"],
                    sector=form.cleaned_data["sector"],
                    name=profile.full_name,
                    phone=profile.phone,
                    id_number=profile.id_number,
                    actor=request.user,
                )
            except ActionError as exc:
                error, status = exc.message, exc.status
            else:
                messages.success(
                    request,
                    _("Số thứ tự của bạn: %(number)s, ngày %(day)s, dự kiến %(time)s.")
                    % {
                        "number": display(ticket.number),
                        "day": f"{ticket.day:%d/%m/%Y}",
                        "time": f"{timezone.localtime(ticket.expected_at):%H:%M}",
                    },
                )
                return redirect("queue:take")
    context = {
        "desks": Desk.objects.filter(active=True).order_by("name"),
        "desk": desk,
        "days": days,
        "day": day,
        "form": form,
        "mine": _mine(request.user),
        "errors": [("", error)] if error else [],
        "limit": settings.APPOINTMENTS_DESK_PER_PERSON_PER_DAY,
    }
    return render(request, "appointments/queue/take.html", context, status=status)


@citizen_required
@require_POST
def cancel(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = citizen_ticket(request.user, ticket_id)
    try:
        queue.cancel_number(ticket=ticket, actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("queue:take")
    messages.success(
        request, _("Đã hủy số thứ tự %(number)s.") % {"number": display(ticket.number)}
    )
    return redirect("queue:take")
