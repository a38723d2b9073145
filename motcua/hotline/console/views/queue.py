"""The live queue (``/tong-dai/``): what waits for 1022's operators, or for an agency's staff.

Operators see the new tickets nobody holds, their own, those waiting at agencies, the overdue
and escalated, and the answered; agency staff see what was routed to their agency and take it.
Rows are coloured by time left like the dossier worklists, and say it in words too. The list
refreshes itself every 30 seconds (htmx polling the same address) and costs the same number of
queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.hotline.access import HotlineScope
from motcua.hotline.console import queries
from motcua.hotline.console.operations import BY_NAME
from motcua.hotline.console.timing import TicketClock
from motcua.hotline.console.views import hotline_staff, is_htmx, nav
from motcua.hotline.models import Ticket

PER_PAGE = 50

Select = Callable[[HotlineScope, int, TicketClock], QuerySet[Ticket]]


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str | Promise
    select: Select
    empty: str | Promise
    quick: str = ""  # the row's one-click action, when the user may take it


NEW = Tab(
    "moi",
    _("Mới, chưa ai nhận"),
    lambda scope, user, clock: queries.new_tickets(scope),
    _("Không có phản ánh mới nào đang chờ."),
    quick="claim",
)
MINE = Tab(
    "cua-toi",
    _("Tôi đang xử lý"),
    lambda scope, user, clock: queries.my_tickets(scope, user),
    _("Bạn không giữ phản ánh nào đang mở."),
)
ROUTED = Tab(
    "da-chuyen",
    _("Chờ cơ quan trả lời"),
    lambda scope, user, clock: queries.routed_tickets(scope),
    _("Không có phản ánh nào đang chờ cơ quan trả lời."),
)
AGENCY = Tab(
    "co-quan",
    _("Chuyển đến cơ quan tôi"),
    lambda scope, user, clock: queries.routed_tickets(scope),
    _("Không có phản ánh nào được chuyển đến cơ quan của bạn."),
    quick="take",
)
OVERDUE = Tab(
    "qua-han",
    _("Quá hạn, được nhắc"),
    lambda scope, user, clock: queries.overdue_tickets(scope, clock.at),
    _("Không có phản ánh quá hạn."),
)
ANSWERED = Tab(
    "da-tra-loi",
    _("Đã trả lời"),
    lambda scope, user, clock: queries.answered_tickets(scope),
    _("Chưa có phản ánh nào được trả lời."),
)
OPERATOR_TABS = (NEW, MINE, ROUTED, OVERDUE, ANSWERED)
AGENCY_TABS = (AGENCY, MINE, OVERDUE, ANSWERED)


@dataclass(frozen=True)
class Row:
    ticket: Ticket
    left: Any
    quick: Any  # the Operation offered on the row, or None


def tabs_for(scope: HotlineScope) -> tuple[Tab, ...]:
    return OPERATOR_TABS if scope.reads_all else AGENCY_TABS


@hotline_staff()
@require_GET
def queue(request: HttpRequest, scope: HotlineScope) -> HttpResponse:
    user = request.user
    user_id = int(getattr(user, "pk", 0) or 0)
    clock = TicketClock()
    tabs = tabs_for(scope)
    current = next((t for t in tabs if t.slug == request.GET.get("tab")), tabs[0])
    selected = {tab.slug: tab.select(scope, user_id, clock) for tab in tabs}
    paginator = Paginator(queries.queue_rows(selected[current.slug]), PER_PAGE)
    page = paginator.get_page(request.GET.get("trang"))
    counts = {
        tab.slug: paginator.count if tab is current else selected[tab.slug].count() for tab in tabs
    }
    quick = BY_NAME.get(current.quick)
    rows = [
        Row(
            ticket,
            clock.left(ticket),
            quick if quick is not None and quick.allowed(ticket, scope, user) else None,
        )
        for ticket in page.object_list
    ]
    context = {
        "tabs": [(tab, counts[tab.slug]) for tab in tabs],
        "current": current,
        "page": page,
        "rows": rows,
        "extra_query": f"tab={current.slug}",
        "refresh_url": request.get_full_path(),
        **nav(scope, "queue"),
    }
    template = "hotline/console/_queue.html" if is_htmx(request) else "hotline/console/queue.html"
    return render(request, template, context)
