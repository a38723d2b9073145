"""Worklists (``/ho-so/``): my steps, the desk's queue, due within one working day, overdue.

Rows are coloured by time left and say it in words too. A page costs a fixed number of
queries whatever its length: the rows come with their procedure, step and agencies joined
(``queries.with_list_data``), and working time is measured with one calendar per agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.dossiers import queries
from motcua.dossiers.access import Scope
from motcua.dossiers.models import Dossier
from motcua.dossiers.views import nav
from motcua.dossiers.views.timing import Clock, rows
from motcua.org.access import officer_required

PER_PAGE = 50


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str | Promise
    select: Callable[[Scope, Clock], QuerySet[Dossier]]
    empty: str | Promise


TABS = (
    Tab(
        "cua-toi",
        _("Việc của tôi"),
        lambda scope, clock: queries.my_steps(scope),
        _("Không có hồ sơ nào đang chờ cơ quan của bạn xử lý."),
    ),
    Tab(
        "hang-cho",
        _("Hàng chờ tại quầy"),
        lambda scope, clock: queries.desk_queue(scope),
        _("Không có hồ sơ chờ tiếp nhận hay chờ trả kết quả tại quầy."),
    ),
    Tab(
        "sap-den-han",
        _("Sắp đến hạn"),
        lambda scope, clock: queries.due_soon(scope, at=clock.at),
        _("Không có hồ sơ đến hạn trong 1 ngày làm việc tới."),
    ),
    Tab(
        "qua-han",
        _("Quá hạn"),
        lambda scope, clock: queries.overdue(scope, at=clock.at),
        _("Không có hồ sơ quá hạn."),
    ),
)
BY_SLUG = {tab.slug: tab for tab in TABS}


@officer_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    scope = Scope.of(request.user)
    clock = Clock()
    current = BY_SLUG.get(request.GET.get("tab", ""), TABS[0])
    selected = {tab.slug: tab.select(scope, clock) for tab in TABS}
    page = Paginator(selected[current.slug], PER_PAGE).get_page(request.GET.get("trang"))
    counts = {
        tab.slug: page.paginator.count if tab is current else selected[tab.slug].count()
        for tab in TABS
    }
    context = {
        "tabs": [(tab, counts[tab.slug]) for tab in TABS],
        "current": current,
        "page": page,
        "rows": rows(list(page.object_list), clock),
        "extra_query": f"tab={current.slug}",
        **nav(scope, "worklist"),
    }
    return render(request, "dossiers/backoffice/worklist.html", context)
