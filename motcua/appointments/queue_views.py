"""The desk queue's pages (docs/appointments.md "Desk queue"): the clerk's page at
``/hang-doi/<desk>/`` (call the next number, recall, served, no-show, walk-in numbers, the
day's figures) and the waiting room's screen at ``/hang-doi/<desk>/man-hinh/``, public, with
numbers and counters only, refreshed from a small JSON endpoint. The citizen's page is in
``queue_portal.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.appointments import queue
from motcua.appointments.models import QueueTicket, TicketState
from motcua.appointments.queue_access import (
    clerk_desk,
    clerk_desks,
    desk_ticket,
    public_desk,
)
from motcua.appointments.queue_days import figures, hours_of, local_day
from motcua.appointments.queue_forms import STEPS, CallForm, WalkInForm
from motcua.core.actions import ActionError, now
from motcua.dossiers.permissions import Scope
from motcua.org.access import officer_required
from motcua.org.models import Desk

WAITING_SHOWN = 30
SCREEN_SHOWN = 6
COUNTER_KEY = "queue_counter"
SECTOR_KEY = "queue_sector"


def display(number: int) -> str:
    """How a number is shown and called: three digits at least (007)."""
    return f"{number:03d}"


def _today(desk: Desk) -> Any:
    return QueueTicket.objects.filter(desk=desk, day=local_day(now()))


@officer_required
@require_GET
def desks(request: HttpRequest) -> HttpResponse:
    """The clerk's desks, each with its queue and its screen: for those who receive at a
    desk, as the staff menu says (``org/menu.py``); other officers are refused (403)."""
    if not Scope.of(request.user).desks:
        return render(
            request,
            "appointments/queue/desks.html",
            {"desks": [], "can_receive": False},
            status=403,
        )
    return render(
        request,
        "appointments/queue/desks.html",
        {"desks": clerk_desks(request.user).order_by("name"), "can_receive": True},
    )


def _page(
    request: HttpRequest,
    desk: Desk,
    *,
    walk_in: WalkInForm | None = None,
    call: CallForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    today = _today(desk)
    hours = hours_of(desk)
    initial = {
        "counter": request.session.get(COUNTER_KEY, ""),
        "sector": request.session.get(SECTOR_KEY),
    }
    context = {
        "desk": desk,
        "hours": hours,
        "call_form": call or CallForm(desk=desk, initial=initial),
        "walk_in_form": walk_in or WalkInForm(desk=desk),
        "called": today.filter(state__in=(TicketState.CALLED, TicketState.SERVING))
        .select_related("sector")
        .order_by("-last_called_at"),
        "waiting": today.filter(state=TicketState.WAITING)
        .select_related("sector")
        .order_by("number")[:WAITING_SHOWN],
        "figures": figures(desk, local_day(now())),
        "error": error,
        "can_receive": True,
        "section": "queue",
        "limit": settings.APPOINTMENTS_DESK_PER_PERSON_PER_DAY,
    }
    return render(request, "appointments/queue/desk.html", context, status=status)


@officer_required
@require_GET
def desk_page(request: HttpRequest, desk_id: int) -> HttpResponse:
    return _page(request, clerk_desk(request.user, desk_id))


@officer_required
@require_POST
def call_next(request: HttpRequest, desk_id: int) -> HttpResponse:
    desk = clerk_desk(request.user, desk_id)
    form = CallForm(request.POST, desk=desk)
    if not form.is_valid():
        return _page(request, desk, call=form, error=_("Cần số quầy để gọi số."), status=422)
    counter, sector = form.cleaned_data["counter"], form.cleaned_data["sector"]
    request.session[COUNTER_KEY] = counter
    request.session[SECTOR_KEY] = sector.pk if sector else None
    try:
        ticket = queue.call_next_number(
            desk=desk, counter=counter, sector=sector, actor=request.user
        )
    except ActionError as exc:
        return _page(request, desk, call=form, error=exc.message, status=exc.status)
    if ticket is None:
        messages.info(request, _("Không còn ai chờ."))
    else:
        messages.success(
            request,
            _("Mời số %(number)s đến quầy %(counter)s.")
            % {"number": display(ticket.number), "counter": ticket.counter},
        )
    return redirect("queue:desk", desk_id=desk.pk)


@officer_required
@require_POST
def act(request: HttpRequest, desk_id: int, ticket_id: int) -> HttpResponse:
    """Recall, at the counter, served, no-show or cancel one number of the desk."""
    desk = clerk_desk(request.user, desk_id)
    ticket = desk_ticket(desk, ticket_id)
    step = STEPS.get(str(request.POST.get("step", "")))
    if step is None:
        return _page(request, desk, error=_("Thao tác không hợp lệ."), status=422)
    try:
        getattr(queue, step)(ticket=ticket, actor=request.user)
    except ActionError as exc:
        return _page(request, desk, error=exc.message, status=exc.status)
    return redirect("queue:desk", desk_id=desk.pk)


@officer_required
@require_POST
def walk_in(request: HttpRequest, desk_id: int) -> HttpResponse:
    desk = clerk_desk(request.user, desk_id)
    form = WalkInForm(request.POST, desk=desk)
    if not form.is_valid():
        return _page(request, desk, walk_in=form, error=_("Thông tin chưa hợp lệ."), status=422)
    try:
        ticket = queue.issue_walk_in(desk=desk, actor=request.user, **form.cleaned_data)
    except ActionError as exc:
        return _page(request, desk, walk_in=form, error=exc.message, status=exc.status)
    messages.success(
        request,
        _("Đã cấp số %(number)s, dự kiến %(time)s.")
        % {
            "number": display(ticket.number),
            "time": f"{timezone.localtime(ticket.expected_at):%H:%M}",
        },
    )
    return redirect("queue:desk", desk_id=desk.pk)


def screen_data(desk: Desk) -> dict[str, Any]:
    """What the waiting room sees: numbers and counters, nothing about anyone."""
    today = _today(desk)
    called = list(
        today.filter(state__in=(TicketState.CALLED, TicketState.SERVING))
        .order_by("-last_called_at", "-number")
        .values_list("number", "counter")[:SCREEN_SHOWN]
    )
    return {
        "desk": desk.name,
        "serving": [{"number": display(n), "counter": c} for n, c in called],
        "waiting": today.filter(state=TicketState.WAITING).count(),
        "updated": f"{timezone.localtime(now()):%H:%M}",
    }


@require_GET
def screen(request: HttpRequest, desk_id: int) -> HttpResponse:
    desk = public_desk(desk_id)
    return render(
        request,
        "appointments/queue/screen.html",
        {
            "desk": desk,
            "data": screen_data(desk),
            "source": reverse("queue:screen-data", kwargs={"desk_id": desk.pk}),
        },
    )


@never_cache
@require_GET
def screen_json(request: HttpRequest, desk_id: int) -> JsonResponse:
    return JsonResponse(screen_data(public_desk(desk_id)))
