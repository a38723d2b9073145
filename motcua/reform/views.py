"""Business dialogue pages (``/doi-thoai/``): the sessions, one session with the issues raised
there, and the session's follow-up report (printable, and as XLSX).

Every staff member (any active role at an agency) reads them; leaders, 1022 operators and
administrators create sessions and record issues. Citizens get the 404 of a page that does
not exist; anonymous visitors are sent to sign in. The issues are hotline tickets, so which
of them a user sees (and counts) is the hotline's door (``hotline.access``): an agency's
staff see the issues routed to their agency, operators, inspectors and administrators all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.xlsx import MOMENT, Column, Workbook
from motcua.hotline.access import HotlineScope
from motcua.hotline.actions import ActionError
from motcua.hotline.models import Direction, Ticket, TicketMessage, TicketOutcome
from motcua.hotline.status import DONE, OPEN, TicketStatus
from motcua.org.models import Role
from motcua.reform.actions import raise_issue
from motcua.reform.forms import IssueForm, SessionForm
from motcua.reform.models import DialogueSession

ORGANISERS = {Role.LEADER, Role.HOTLINE_OPERATOR, Role.ADMINISTRATOR}
PER_PAGE = 30


@dataclass(frozen=True)
class Access:
    organiser: bool  # may create sessions and record issues
    tickets: HotlineScope  # which issues the user sees


def access_of(user: object) -> Access:
    """What ``user`` may do here; Http404 for anyone without a role at an agency."""
    scope = HotlineScope.of(user)
    if not scope.memberships:
        raise Http404
    roles = {m.role for m in scope.memberships}
    return Access(organiser=bool(roles & ORGANISERS), tickets=scope)


def session_for(pk: int) -> DialogueSession:
    session = DialogueSession.objects.filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


# -- the issues of a session and their state --------------------------------------------------


@dataclass(frozen=True)
class Issue:
    ticket: Ticket
    state: str  # on_time, late, closed (done); overdue, open; merged
    state_label: str
    first_answer_at: dt.datetime | None
    answer: str  # the latest reply

    @property
    def business(self) -> str:
        return self.ticket.contact.organisation or self.ticket.contact.name

    @property
    def timeliness(self) -> str:
        """Whether the first answer came on time, whatever happened afterwards."""
        if self.ticket.outcome == TicketOutcome.ON_TIME:
            return _("Đúng hạn")
        if self.ticket.outcome == TicketOutcome.LATE:
            return _("Trễ hạn")
        return ""


@dataclass(frozen=True)
class Totals:
    issues: int
    resolved: int
    on_time: int
    late: int
    open: int
    overdue: int


def session_issues(
    session: DialogueSession, scope: HotlineScope, *, at: dt.datetime
) -> list[Issue]:
    """The issues raised at ``session`` that ``scope`` sees, in the order raised, with their
    state at ``at``."""
    replies = TicketMessage.objects.filter(direction=Direction.OUTBOUND).order_by("at", "id")
    tickets = (
        scope.visible()
        .filter(dialogue=session)
        .select_related("agency", "contact", "sector", "merged_into")
        .prefetch_related(Prefetch("messages", queryset=replies, to_attr="replies"))
        .order_by("received_at", "id")
    )
    issues = []
    for ticket in tickets:
        sent: list[TicketMessage] = ticket.replies
        state, label = _state(ticket, at)
        issues.append(
            Issue(
                ticket=ticket,
                state=state,
                state_label=label,
                first_answer_at=sent[0].at if sent else None,
                answer=sent[-1].body if sent else "",
            )
        )
    return issues


def _state(ticket: Ticket, at: dt.datetime) -> tuple[str, str]:
    if ticket.status == TicketStatus.MERGED:
        code = ticket.merged_into.code if ticket.merged_into else ""
        return "merged", _("Đã gộp vào %(code)s") % {"code": code}
    if ticket.status in OPEN:
        if ticket.due_at is not None and ticket.due_at < at:
            return "overdue", _("Đang giải quyết, đã quá hạn")
        return "open", _("Đang giải quyết, trong hạn")
    if ticket.outcome == TicketOutcome.LATE:
        return "late", _("Đã trả lời, trễ hạn")
    if ticket.outcome == TicketOutcome.ON_TIME:
        return "on_time", _("Đã trả lời đúng hạn")
    return "closed", _("Đã đóng, không cần trả lời")


def totals(issues: list[Issue]) -> Totals:
    done = [i for i in issues if i.ticket.status in DONE]
    still_open = [i for i in issues if i.ticket.status in OPEN]
    return Totals(
        issues=len(issues),
        resolved=len(done),
        on_time=sum(i.ticket.outcome == TicketOutcome.ON_TIME for i in done),
        late=sum(i.ticket.outcome == TicketOutcome.LATE for i in done),
        open=len(still_open),
        overdue=sum(i.state == "overdue" for i in still_open),
    )


# -- pages ------------------------------------------------------------------------------------


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    access = access_of(request.user)
    sessions = DialogueSession.objects.order_by("-held_on", "-id")
    page = Paginator(sessions, PER_PAGE).get_page(request.GET.get("trang"))
    counts = {
        row["dialogue"]: (row["issues"], row["still_open"])
        for row in access.tickets.visible()
        .filter(dialogue__in=[session.pk for session in page])
        .order_by()
        .values("dialogue")
        .annotate(issues=Count("id"), still_open=Count("id", filter=Q(status__in=OPEN)))
    }
    rows = [(session, *counts.get(session.pk, (0, 0))) for session in page]
    context = {"page": page, "rows": rows, "access": access}
    return render(request, "reform/session_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    access = access_of(request.user)
    if not access.organiser:
        return render(request, "reform/forbidden.html", status=403)
    status = 200
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            session = form.save(commit=False)
            session.created_by = request.user  # type: ignore[assignment]
            session.save()
            messages.success(request, _("Đã tạo buổi đối thoại. Ghi nhận các vấn đề được nêu."))
            return redirect("reform:session", pk=session.pk)
        status = 422
    else:
        form = SessionForm()
    return render(request, "reform/session_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The session, the issues recorded so far, and (for organisers) the form to record one
    more: it becomes a ticket in the chosen agency's queue at once."""
    access = access_of(request.user)
    session = session_for(pk)
    status = 200
    form = IssueForm(businesses=session.business_list())
    if request.method == "POST":
        if not access.organiser:
            return render(request, "reform/forbidden.html", status=403)
        form = IssueForm(request.POST, businesses=session.business_list())
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = raise_issue(
                    session=session,
                    business=data["business"],
                    text=data["text"],
                    kind=data["kind"],
                    agency=data["agency"],
                    sector=data["sector"],
                    user=request.user,
                )
            except ActionError as refused:
                field = refused.details.get("field")
                form.add_error(field if field in form.fields else None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _("Đã ghi nhận vấn đề thành phản ánh %(code)s, chuyển %(agency)s.")
                    % {"code": ticket.code, "agency": data["agency"].name},
                )
                return redirect("reform:session", pk=session.pk)
        else:
            status = 422
    issues = session_issues(session, access.tickets, at=timezone.now())
    context = {
        "session": session,
        "issues": issues,
        "totals": totals(issues),
        "form": form,
        "access": access,
    }
    return render(request, "reform/session_detail.html", context, status=status)


@login_required
@require_GET
def session_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Every issue raised at the session and what became of it; printable."""
    access = access_of(request.user)
    session = session_for(pk)
    at = timezone.now()
    issues = session_issues(session, access.tickets, at=at)
    context = {
        "session": session,
        "issues": issues,
        "totals": totals(issues),
        "at": at,
        "access": access,
    }
    return render(request, "reform/session_report.html", context)


@login_required
@require_GET
def session_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request.user)
    session = session_for(pk)
    at = timezone.now()
    issues = session_issues(session, access.tickets, at=at)
    name = f"doi-thoai-{session.pk}-{session.held_on:%Y%m%d}.xlsx"
    return report_xlsx(session, issues, at=at).response(name)


def report_xlsx(session: DialogueSession, issues: list[Issue], *, at: dt.datetime) -> Workbook:
    """The report as a workbook: the session's heading, one row per issue (dates as dates),
    then the totals."""
    book = Workbook()
    sheet = book.sheet(_("Vấn đề doanh nghiệp nêu"))
    sheet.title(_("Kết quả giải quyết vấn đề doanh nghiệp nêu tại buổi đối thoại"))
    sheet.row([session.title])
    sheet.row([_("Ngày tổ chức"), session.held_on])
    sheet.row([_("Địa điểm"), session.place])
    sheet.row([_("Số liệu tính đến"), at])
    sheet.blank()
    sheet.table(
        [
            Column(_("STT"), 6),
            Column(_("Mã phản ánh"), 18),
            Column(_("Doanh nghiệp"), 28),
            Column(_("Nội dung vấn đề"), 48, wrap=True),
            Column(_("Loại"), 12),
            Column(_("Cơ quan chủ trì"), 30),
            Column(_("Tình trạng"), 26),
            Column(_("Hạn trả lời"), 17, MOMENT),
            Column(_("Ngày trả lời"), 17, MOMENT),
            Column(_("Đúng hạn / trễ hạn"), 14),
            Column(_("Nội dung trả lời"), 48, wrap=True),
        ]
    )
    for index, issue in enumerate(issues, start=1):
        ticket = issue.ticket
        sheet.row(
            [
                index,
                ticket.code,
                issue.business,
                ticket.body,
                ticket.get_kind_display(),
                ticket.agency.name if ticket.agency else "",
                issue.state_label,
                ticket.due_at,
                issue.first_answer_at,
                issue.timeliness,
                issue.answer,
            ]
        )
    summary = totals(issues)
    sheet.blank()
    for label, value in (
        (_("Tổng số vấn đề"), summary.issues),
        (_("Đã giải quyết"), summary.resolved),
        (_("Trong đó đúng hạn"), summary.on_time),
        (_("Trong đó trễ hạn"), summary.late),
        (_("Đang giải quyết"), summary.open),
        (_("Trong đó đã quá hạn"), summary.overdue),
    ):
        sheet.row([None, None, label, value], bold=True)
    return book
