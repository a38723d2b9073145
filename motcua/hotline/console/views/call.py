"""Logging a phone call (``/tong-dai/goi-dien/``), the operators' most used screen.

Built for few clicks: the cursor starts in the number; as it is typed the side panel shows the
caller (name, earlier tickets, dossiers by the applicant's phone) and fills in the name; as the
content is typed the routing suggestions appear and one click picks the agency; Enter saves.
Then the same screen comes back empty for the next call, with the code of the one just saved.

Everything that carries the caller's number, name or words goes by POST (the panels too), so
none of it lands in an access log; a GET with such parameters ignores them. Without
JavaScript, "Tra cứu số và gợi ý" posts the form with ``lookup`` and the page comes back with
the panels filled in, nothing saved. A softphone opens ``/tong-dai/goi-dien/#phone=…`` on an
incoming call: the part after ``#`` never leaves the browser; ``console.js`` fills in the
number, brings up the caller and puts the cursor in the content.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.ratelimit import Limit
from motcua.core.text import normalize
from motcua.hotline import routing
from motcua.hotline.access import HotlineScope
from motcua.hotline.actions import ActionError, log_call
from motcua.hotline.console import queries
from motcua.hotline.console.forms import CallForm
from motcua.hotline.console.views import hotline_staff, nav
from motcua.hotline.models import Ticket

RECENT = 5
SUGGESTIONS = 4
MAX_SUGGEST_CHARS = 2000


def suggestions_for(text: str, picked: str = "") -> dict[str, Any]:
    text = normalize(text)[:MAX_SUGGEST_CHARS]
    try:
        found = routing.suggest(text, limit=SUGGESTIONS) if text else []
    except Exception:  # a suggestion helps the operator; its failure must not stop the call
        found = []
    rows = [
        {
            "value": f"{s.sector_id}:{s.agency_id or ''}",
            "sector": s.sector_name,
            "agency": s.agency_name,
            "routable": s.agency_id is not None,
            "percent": round(s.confidence * 100),
        }
        for s in found
    ]
    return {"suggestions": rows, "picked": picked, "typed": bool(text)}


def caller_context(scope: HotlineScope, user: Any, phone: str, picked: list[str]) -> dict[str, Any]:
    return {
        "caller": queries.caller(scope, user, phone),
        "phone_typed": bool(normalize(phone)),
        "picked_dossiers": set(picked),
    }


@hotline_staff(operators_only=True)
@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, scope: HotlineScope) -> HttpResponse:
    status = 200
    # A GET's parameters are ignored: personal data is only read from a POST.
    source = request.POST if request.method == "POST" else QueryDict()
    if request.method == "POST" and request.POST.get("lookup"):
        # The no-JavaScript lookup: the panels for what is typed; nothing is saved.
        form = CallForm(initial=_typed(request.POST), hotline=scope, user=request.user)
    elif request.method == "POST":
        form = CallForm(request.POST, hotline=scope, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            sector, agency = data["route"]
            try:
                ticket = log_call(
                    operator=request.user,
                    phone=data["phone"],
                    name=data["name"],
                    kind=data["kind"],
                    body=data["body"],
                    answer=data["answer"],
                    sector=sector,
                    agency=agency,
                    dossiers=data["dossiers"],
                )
            except ActionError as refused:
                form.add_error(refused.details.get("field") or None, refused.message)
                status = refused.status
            else:
                messages.success(request, saved_message(ticket))
                return redirect(reverse("hotline_console:call"))
        else:
            status = 422
    else:
        form = CallForm(hotline=scope, user=request.user)
    form.focus()
    context = {
        "form": form,
        "recent": recent_calls(request.user),
        **caller_context(scope, request.user, source.get("phone", ""), source.getlist("dossiers")),
        **suggestions_for(source.get("body", ""), source.get("route", "")),
        **nav(scope, "call"),
    }
    return render(request, "hotline/console/call.html", context, status=status)


def _typed(data: QueryDict) -> dict[str, Any]:
    """What was typed, to show again in the form after a lookup."""
    return {
        name: normalize(data.get(name, "")) if name in ("phone", "name") else data.get(name, "")
        for name in ("phone", "name", "kind", "body", "answer", "route")
        if data.get(name)
    }


def saved_message(ticket: Ticket) -> str:
    if ticket.status == "answered":
        text = _("Đã lưu cuộc gọi %(code)s (đã trả lời trong cuộc gọi).")
    elif ticket.agency_id:
        text = _("Đã lưu cuộc gọi %(code)s và chuyển đến %(agency)s.")
    else:
        text = _("Đã lưu cuộc gọi %(code)s vào hàng chờ 1022.")
    return text % {"code": ticket.code, "agency": ticket.agency.name if ticket.agency else ""}


def recent_calls(user: Any) -> list[Ticket]:
    """The operator's last calls: their codes at hand when a caller asks for it."""
    return list(
        Ticket.objects.filter(created_by_id=user.pk)
        .select_related("contact", "agency")
        .order_by("-received_at", "-id")[:RECENT]
    )


# The caller panel tells an operator who a number belongs to and their dossiers across the
# province: enough for a busy line (each keystroke posts), too few to read the province's
# phone book, and each answer that names someone is logged with ids only (docs/security.md).
CALLER_LOOKUPS = Limit(
    "hotline-caller", per=lambda: settings.HOTLINE_CALLER_LOOKUPS_PER_HOUR, seconds=3600
)
logger = logging.getLogger(__name__)


@hotline_staff(operators_only=True)
@require_POST
def caller_panel(request: HttpRequest, scope: HotlineScope) -> HttpResponse:
    """Who is calling (htmx partial, posted as the number is typed); fills in an empty name."""
    if not CALLER_LOOKUPS.hit(str(request.user.pk)):
        limited = {"minutes": CALLER_LOOKUPS.minutes_left()}
        return render(request, "hotline/console/_caller_limited.html", limited, status=429)
    context = caller_context(
        scope, request.user, request.POST.get("phone", ""), request.POST.getlist("dossiers")
    )
    caller = context["caller"]
    if caller is not None and (caller.contact is not None or caller.dossiers):
        logger.info(
            "caller lookup by user %s: contact %s, dossiers %s",
            request.user.pk,
            caller.contact.pk if caller.contact is not None else "-",
            [d.pk for d in caller.dossiers],
        )
    typed_name = normalize(request.POST.get("name", ""))
    if caller is not None and caller.contact is not None and caller.contact.name and not typed_name:
        context["fill_name"] = caller.contact.name
    return render(request, "hotline/console/_caller.html", context)


@hotline_staff(operators_only=True)
@require_POST
def suggestions_panel(request: HttpRequest, scope: HotlineScope) -> HttpResponse:
    """Routing suggestions for the content typed so far (htmx partial, posted)."""
    context = suggestions_for(request.POST.get("body", ""), request.POST.get("route", ""))
    return render(request, "hotline/console/_suggestions.html", context)
