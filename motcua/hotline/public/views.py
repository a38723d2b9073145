"""The citizens' pages of the hotline: the web form (``/phan-anh/``), the private follow-up
page of a ticket (``/phan-anh/<code>/?t=<token>``) and the public Q&A (``/hoi-dap/``).

Invalid forms answer 422 with the errors, as the portal's forms do; the hourly limit answers
429 with the form; a stale form 400 with the form and a fresh stamp. A submission the spam
traps catch gets the same 200 "received" page as a real one, and nothing is stored.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts import profiles
from motcua.hotline.actions import ActionError, open_ticket, rate_ticket, receive_message
from motcua.hotline.contacts import canonical, contact_for
from motcua.hotline.inbound import InboundMessage
from motcua.hotline.models import Direction, PublicAnswer, Ticket, TicketMessage
from motcua.hotline.public import throttle
from motcua.hotline.public.forms import (
    AnswerSearchForm,
    RatingForm,
    ReplyForm,
    WebTicketForm,
    new_stamp,
    read_stamp,
)
from motcua.hotline.public.links import follow_up_path, ticket_for_citizen
from motcua.hotline.public.search import published_answers, search_answers
from motcua.hotline.status import DONE, TicketChannel, TicketStatus

logger = logging.getLogger(__name__)

FORM_TEMPLATE = "hotline/public/form.html"
ANSWERS_PER_PAGE = 20


def _first_message_id(nonce: str) -> str:
    return f"web-form:{nonce}"


def _prefill(user: Any) -> dict[str, str]:
    if not getattr(user, "is_authenticated", False):
        return {}
    known = profiles.prefill(user)
    return {
        "name": known["name"] or user.get_full_name(),
        "phone": known["phone"],
        "email": known["email"] or user.email,
        "address": known["address"],
    }


def _form_page(
    request: HttpRequest, form: WebTicketForm, *, status: int = 200, error: str = ""
) -> HttpResponse:
    context = {"form": form, "errors": ([("", error)] if error else []) + form.error_list()}
    return render(request, FORM_TEMPLATE, context, status=status)


def _received(request: HttpRequest, ticket: Ticket | None) -> HttpResponse:
    link = request.build_absolute_uri(follow_up_path(ticket.code)) if ticket else ""
    return render(request, "hotline/public/received.html", {"ticket": ticket, "link": link})


def _limited(request: HttpRequest, form: WebTicketForm) -> HttpResponse:
    error = _(
        "Bạn đã gửi %(n)s phản ánh trong giờ này, là số tối đa cho một máy. Vui lòng gửi lại "
        "sau khoảng %(minutes)s phút, hoặc gọi Tổng đài 1022 nếu việc cần gấp."
    ) % {"n": throttle.limit(), "minutes": throttle.minutes_left()}
    return _form_page(request, form, status=429, error=error)


def _already_received(nonce: str) -> Ticket | None:
    first = (
        TicketMessage.objects.select_related("ticket")
        .filter(channel=TicketChannel.WEB, external_id=_first_message_id(nonce))
        .first()
    )
    return first.ticket if first else None


@require_http_methods(["GET", "POST"])
def web_form(request: HttpRequest) -> HttpResponse:
    """Send a question, feedback, petition or complaint to the 1022 hotline."""
    if request.method == "GET":
        form = WebTicketForm(initial={**_prefill(request.user), "stamp": new_stamp()})
        return _form_page(request, form)

    form = WebTicketForm(request.POST, request.FILES)
    stamp = read_stamp(request.POST.get("stamp"))
    if form.is_spam() or (stamp is not None and stamp.too_fast()):
        if not throttle.count(request):
            return _limited(request, form)
        return _received(request, None)
    if stamp is None:
        data = request.POST.copy()
        data["stamp"] = new_stamp(filled=True)
        form = WebTicketForm(data)
        form.is_valid()
        error = _("Biểu mẫu đã mở quá lâu hoặc không hợp lệ. Hãy kiểm tra lại và bấm «Gửi».")
        return _form_page(request, form, status=400, error=error)
    done = _already_received(stamp.nonce)
    if done is not None:  # the same rendered form, sent again (a double click, a reload)
        return _received(request, done)
    if throttle.used_up(request):
        return _limited(request, form)
    if not form.is_valid():
        return _form_page(request, form, status=422)
    if not throttle.count(request):
        return _limited(request, form)
    try:
        ticket = _open_ticket(form, nonce=stamp.nonce)
    except IntegrityError:
        done = _already_received(stamp.nonce)  # both posts of a double click at once
        if done is None:
            raise
        return _received(request, done)
    except ActionError as refusal:
        return _form_page(request, form, status=422, error=refusal.message)
    return _received(request, ticket)


def _open_ticket(form: WebTicketForm, *, nonce: str) -> Ticket:
    data = form.cleaned_data
    with transaction.atomic():
        contact = contact_for(
            channel=TicketChannel.WEB,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            address=data["address"],
        )
        return open_ticket(
            channel=TicketChannel.WEB,
            kind=data["kind"],
            subject=data["subject"],
            body=data["content"],
            category=data.get("category"),
            contact=contact,
            actor=None,
            external_id=_first_message_id(nonce),
            attachments=form.inbound_attachments(),
        )


@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's page for one ticket, reached by the private link: where it stands, the
    thread, writing again, and rating the answer."""
    ticket = ticket_for_citizen(code, request.GET.get("t", ""))
    reply_form, rating_form = ReplyForm(), RatingForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reply":
            reply_form = ReplyForm(request.POST)
            if reply_form.is_valid() and _reply(ticket, reply_form):
                messages.success(request, _("Đã gửi ý kiến của bạn. Chúng tôi sẽ trả lời sớm."))
                return redirect(follow_up_path(ticket.code))
        elif action == "rate":
            rating_form = RatingForm(request.POST)
            if rating_form.is_valid() and _rate(ticket, rating_form):
                messages.success(request, _("Cảm ơn bạn đã đánh giá."))
                return redirect(follow_up_path(ticket.code))
        else:
            return redirect(follow_up_path(ticket.code))
        status = 422
    thread = (
        ticket.messages.filter(direction__in=[Direction.INBOUND, Direction.OUTBOUND])
        .prefetch_related("attachments")
        .order_by("at", "id")
    )
    context = {
        "ticket": ticket,
        "thread": thread,
        "path": follow_up_path(ticket.code),
        "reply_form": reply_form,
        "rating_form": rating_form,
        "can_reply": ticket.status != TicketStatus.MERGED,
        "can_rate": ticket.status in DONE and ticket.rating is None,
        "errors": reply_form.error_list() + rating_form.error_list(),
    }
    return render(request, "hotline/public/follow_up.html", context, status=status)


def _reply(ticket: Ticket, form: ReplyForm) -> bool:
    """The citizen's new message on this ticket (reopening it if it was answered); False
    with the refusal on the form."""
    first = (
        ticket.messages.filter(direction=Direction.INBOUND)
        .exclude(external_id="")
        .order_by("at", "id")
        .values_list("external_id", flat=True)
        .first()
    )
    contact = canonical(ticket.contact)
    try:
        result = receive_message(
            message=InboundMessage(
                channel=TicketChannel.WEB,
                external_id=f"web-reply:{ticket.code}:{form.cleaned_data['nonce']}",
                sender_id="",
                sender_name=contact.name,
                phone=contact.phone,
                email=contact.email,
                text=form.cleaned_data["body"],
                # The ticket's first message names it: the reply lands on this ticket, not
                # on another the same person has open.
                thread_ids=(first,) if first else (),
            ),
            kind=ticket.kind,
        )
    except ActionError as refusal:
        form.add_error(None, refusal.message)
        return False
    if result.ticket.pk != ticket.pk:
        logger.warning("reply on %s landed on %s", ticket.code, result.ticket.code)
    return True


def _rate(ticket: Ticket, form: RatingForm) -> bool:
    try:
        rate_ticket(
            ticket=ticket,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except ActionError as refusal:
        form.add_error(None, refusal.message)
        return False
    return True


@require_GET
def answers(request: HttpRequest) -> HttpResponse:
    """The public Q&A: published answers, searched and filtered by sector."""
    form = AnswerSearchForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    q = filters.get("q", "")
    found = search_answers(q, sector_id=filters.get("sector"))
    page = Paginator(found.answers, ANSWERS_PER_PAGE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "form": form,
        "q": q,
        "page": page,
        "complete": found.complete,
        "query": query.urlencode(),
    }
    return render(request, "hotline/public/answers.html", context)


@require_GET
def answer_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One published answer; each view is counted."""
    if not PublicAnswer.objects.filter(pk=pk, published=True).update(views=F("views") + 1):
        raise Http404(pk)
    answer = published_answers().select_related("sector", "procedure").filter(pk=pk).first()
    if answer is None:  # unpublished in between
        raise Http404(pk)
    return render(request, "hotline/public/answer.html", {"answer": answer})
