"""The ticket page (``/tong-dai/<code>/``): the thread, the contact, the details, the routing
suggestions, and what this user may do now.

The ticket comes through the one door (``access.ticket_for_user``; ``ticket_for_action``
under the row lock when acting); every change is an action function. Actions are small forms
posted to ``/tong-dai/<code>/thao-tac/<action>/``: with htmx the page body is swapped in
place, without JavaScript the browser follows a redirect back to the page, or sees the page
again with the refusal's message and HTTP status (403, 409, 422), never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core.inputs import parse_id
from motcua.hotline import access
from motcua.hotline.access import HotlineScope
from motcua.hotline.actions import ActionError
from motcua.hotline.console import queries
from motcua.hotline.console.forms import TicketForm
from motcua.hotline.console.operations import BY_NAME, OPERATIONS, permission
from motcua.hotline.console.timing import TicketClock
from motcua.hotline.console.views import hotline_staff, is_htmx, nav
from motcua.hotline.models import PublicAnswer, Ticket, TicketAttachment

PAGE = "hotline/console/ticket.html"
BODY = "hotline/console/_ticket_body.html"
OTHER_TICKETS = 10


def _context(
    ticket: Ticket,
    scope: HotlineScope,
    user: Any,
    *,
    bound: tuple[str, TicketForm] | None = None,
    error: str = "",
    notice: str = "",
    insert: queries.Knowledge | None = None,
    knowledge_query: str = "",
) -> dict[str, Any]:
    forms: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        if not op.allowed(ticket, scope, user):
            continue
        form = bound[1] if bound and bound[0] == op.name else op.make_form(ticket, scope, user)
        forms[op.name] = {"op": op, "form": form, "open": bool(bound and bound[0] == op.name)}
    if insert is not None and "answer" in forms and not (bound and bound[0] == "answer"):
        initial = {"body": insert.text, "public_answer_id": insert.public_answer_id}
        forms["answer"]["form"] = BY_NAME["answer"].form(
            ticket=ticket, hotline=scope, user=user, prefix="answer", initial=initial
        )
    thread = list(
        ticket.messages.select_related("author").prefetch_related(
            Prefetch("attachments", queryset=TicketAttachment.objects.order_by("pk"))
        )
    )
    purposes = _purposes(ticket)
    for message in thread:
        message.purpose = purposes.get(message.pk, "")  # type: ignore[attr-defined]
    others = list(
        scope.visible()
        .filter(contact_id=ticket.contact_id)
        .exclude(pk=ticket.pk)
        .select_related("agency")
        .order_by("-received_at")[:OTHER_TICKETS]
    )
    suggestions = [
        {**item, "percent": round(float(item.get("confidence", 0)) * 100)}
        for item in ticket.suggestions or []
    ]
    return {
        "ticket": ticket,
        "left": TicketClock().left(ticket),
        "thread": thread,
        "others": others,
        "dossiers": list(ticket.dossiers.select_related("procedure")),
        "suggestions": suggestions,
        "operations": forms,
        "panel": [item for item in forms.values() if item["op"].panel],
        "may_resend": "resend" in forms,
        "publication": PublicAnswer.objects.filter(ticket=ticket).first(),
        "knowledge_query": knowledge_query,
        "knowledge": queries.knowledge(knowledge_query) if knowledge_query else [],
        "error": error,
        "notice": notice,
        **nav(scope, "ticket"),
    }


def _purposes(ticket: Ticket) -> dict[int, str]:
    """The messages to the citizen that are no answer: a request for details, a decline."""
    labels = {"ask_details": _("Đề nghị bổ sung, làm rõ"), "decline": _("Từ chối tiếp nhận xử lý")}
    events = ticket.events.filter(kind__in=list(labels)).values_list("kind", "data")
    return {data["message"]: labels[kind] for kind, data in events if "message" in data}


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    partial = is_htmx(request)
    context["partial"] = partial
    return render(request, BODY if partial else PAGE, context, status=status)


def _insert(request: HttpRequest) -> queries.Knowledge | None:
    """Without JavaScript, "Chèn" is a link: ``?chen=a<id>`` (a published answer) or
    ``?chen=p<code>`` (a procedure) puts the text into the answer box."""
    choice = request.GET.get("chen", "")
    if choice.startswith("a") and (answer := parse_id(choice[1:])) is not None:
        return queries.answer_knowledge(answer)
    if choice.startswith("p") and choice[1:]:
        return queries.procedure_knowledge(choice[1:])
    return None


@hotline_staff()
@require_GET
def detail(request: HttpRequest, code: str, scope: HotlineScope) -> HttpResponse:
    ticket = access.ticket_for_user(request.user, code, scope)
    context = _context(ticket, scope, request.user, insert=_insert(request))
    return _page(request, context)


@hotline_staff()
@require_POST
def knowledge(request: HttpRequest, code: str, scope: HotlineScope) -> HttpResponse:
    """Published answers and procedures for the words typed beside the answer: the htmx
    partial, or without JavaScript the ticket page with the results. Posted, because an
    operator may paste what the citizen wrote, and a search in the address ends up in the
    access logs (docs/hotline.md)."""
    ticket = access.ticket_for_user(request.user, code, scope)
    query = request.POST.get("tri_thuc", "")[:200]
    if not is_htmx(request):
        return _page(request, _context(ticket, scope, request.user, knowledge_query=query))
    context = {"ticket": ticket, "knowledge": queries.knowledge(query), "knowledge_query": query}
    return render(request, "hotline/console/_knowledge.html", context)


@hotline_staff()
@require_POST
def act(request: HttpRequest, code: str, action: str, scope: HotlineScope) -> HttpResponse:
    """Take one action; a refusal shows its Vietnamese message with its status."""
    operation = BY_NAME.get(action)
    if operation is None:
        raise Http404(action)
    user = request.user
    ticket = access.ticket_for_user(user, code, scope)
    if not scope.may(ticket, permission(action)):
        error = _("Bạn không có quyền thực hiện thao tác này với phản ánh %(code)s.") % {
            "code": ticket.code
        }
        return _page(request, _context(ticket, scope, user, error=error), 403)
    form = operation.make_form(ticket, scope, user, request.POST)
    if not form.is_valid():
        form.focus()
        errors = form.non_field_errors()
        message = " ".join(str(e) for e in errors) if errors else _invalid()
        context = _context(ticket, scope, user, bound=(action, form), error=message)
        return _page(request, context, 422)
    try:
        with transaction.atomic():
            # Permission is decided again on the locked row, in the action's transaction.
            locked = access.ticket_for_action(user, code, permission(action))
            form.ticket = locked
            operation.run(locked, user, form)
    except ActionError as refused:
        ticket = access.ticket_for_user(user, code, scope)
        context = _context(ticket, scope, user, bound=(action, form), error=refused.message)
        return _page(request, context, refused.status)
    after = _after(user, ticket, scope)
    if after is None:
        messages.success(request, str(operation.done))
        if is_htmx(request):
            return HttpResponse(headers={"HX-Redirect": reverse("hotline_console:queue")})
        return redirect(reverse("hotline_console:queue"))
    if is_htmx(request):
        return _page(request, _context(after, scope, user, notice=str(operation.done)))
    messages.success(request, str(operation.done))
    return redirect(reverse("hotline_console:ticket", args=[after.code]))


def _after(user: Any, ticket: Ticket, scope: HotlineScope) -> Ticket | None:
    """The ticket to show after the action, or None when the user no longer sees it (an
    agency that returned it to 1022)."""
    try:
        return access.ticket_for_user(user, ticket.code, scope)
    except Http404:
        return None


def _invalid() -> str:
    return _("Thông tin chưa hợp lệ, xem lỗi ở từng ô bên dưới.")
