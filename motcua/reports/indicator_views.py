"""The leaders' Decision 766 dashboard (``/bao-cao/chi-so/``) and the late dossiers behind
its lost points (``/bao-cao/chi-so/tre-han/``); docs/indicators.md.

Who reads them: leaders, inspectors and administrators (anyone else is told the report is
not theirs, 403). What they read is the engine's door (``indicators/access.py``): the province
for those who read across it, else their own agencies and units; a scope they may not read is
the 404 of a page that does not exist. The late dossiers are only those the reader may open
(``late_dossiers`` goes through the dossiers' door).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core.inputs import parse_id
from motcua.org.models import AdministrativeUnit, Agency, UnitLevel
from motcua.reports import indicator_pages as pages
from motcua.reports.indicator_xlsx import dashboard_xlsx, filename
from motcua.reports.indicators.access import IndicatorAccess
from motcua.reports.indicators.engine import ScopeRef, scope_for
from motcua.reports.indicators.late import late_dossiers
from motcua.reports.indicators.periods import IndicatorPeriod, PeriodError

CHOOSABLE = ("province", "agency", "unit")
LATE_PER_PAGE = 25


class BadInputError(ValueError):
    """A parameter that cannot be read; its message is shown with a 400."""


def _reader(request: HttpRequest) -> IndicatorAccess | None:
    """The reader's access, or None when they are no leader, inspector or administrator."""
    access = IndicatorAccess.of(request.user)
    return access if access.staff else None


def _default_scope(access: IndicatorAccess) -> ScopeRef:
    return scope_for(*access.default_scope())


def _scope(params: Mapping[str, str], access: IndicatorAccess, kinds: tuple[str, ...]) -> ScopeRef:
    """The scope ``?pham-vi=&id=`` names (or the chooser's ``?chon=agency:5``); BadInputError when
    unreadable, Http404 when it does not exist or is not the reader's."""
    kind = (params.get("pham-vi") or "").strip()
    raw = (params.get("id") or "").strip()
    if not kind and params.get("chon"):
        kind, _colon, raw = params["chon"].strip().partition(":")
    if not kind:
        return _default_scope(access)
    if kind not in kinds:
        raise BadInputError(_("Phạm vi không hợp lệ."))
    scope_id = None
    if kind != "province":
        scope_id = parse_id(raw)
        if scope_id is None:
            raise BadInputError(_("Mã phạm vi không hợp lệ."))
    try:
        scope = scope_for(kind, scope_id)
    except LookupError:
        raise Http404 from None
    if kind != "procedure" and not _may_choose(access, scope):
        raise Http404
    return scope


def _may_choose(access: IndicatorAccess, scope: ScopeRef) -> bool:
    """The scopes of a leader's dashboard: any for those who read the province, else their
    agencies and their units. The province and the units are public (``access.may_read``),
    but their page is ``/chi-so/``: here they would show the agencies' and procedures' lost
    points, which are not."""
    if access.province:
        return True
    if scope.kind == "agency":
        return scope.id in access.agency_ids and access.may_read(scope)
    return scope.kind == "unit" and scope.id in access.unit_ids


def _choices(access: IndicatorAccess, today: dt.date) -> list[tuple[str, str, str]]:
    """(value, label, group) of every scope the reader may choose."""
    agencies = Agency.objects.filter(active=True).order_by("name")
    units = AdministrativeUnit.objects.valid_on(today).filter(level=UnitLevel.COMMUNE)
    if not access.province:
        agencies = agencies.filter(pk__in=access.agency_ids)
        units = units.filter(pk__in=access.unit_ids)
    found = []
    if access.province:
        found.append(("province:", _("Toàn tỉnh"), ""))
    found += [(f"agency:{a.pk}", a.name, _("Cơ quan")) for a in agencies.only("id", "name")]
    found += [(f"unit:{u.pk}", u.name, _("Đơn vị hành chính")) for u in units.order_by("name")]
    return found


def _query(period: IndicatorPeriod, scope: ScopeRef, **extra: str) -> str:
    query = QueryDict(mutable=True)
    query["ky"] = period.code
    query["pham-vi"] = scope.kind
    if scope.id is not None:
        query["id"] = str(scope.id)
    query.update(extra)
    return query.urlencode()


def _around(results: list[Any], rank: int | None, size: int = 15) -> list[Any]:
    """The top of a ranking, or the places around the reader's own when it is further down."""
    if rank is None or rank <= size:
        return results[:size]
    index = next(i for i, r in enumerate(results) if r.rank == rank)
    start = max(0, index - size // 2)
    return results[start : start + size]


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/forbidden.html", status=403)


def _bad(request: HttpRequest, message: str) -> HttpResponse:
    context = {"error": message, "kinds": pages.KINDS, "back": request.path}
    return render(request, "reports/indicators/error.html", context, status=400)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The score and grade, the groups against the previous period, the rank, the trend, every
    indicator, and where the points go."""
    access = _reader(request)
    if access is None:
        return _refused(request)
    today = timezone.localdate()
    fmt = request.GET.get("dinh-dang", "").strip()
    try:
        if fmt not in ("", "xlsx"):
            raise BadInputError(_("Định dạng tải về không hợp lệ: chỉ có xlsx."))
        period = pages.chosen_period(request.GET, today)
        scope = _scope(request.GET, access, CHOOSABLE)
    except (PeriodError, BadInputError) as error:
        return _bad(request, str(error))
    # The province is ranked nowhere; its leaders see how its agencies rank.
    ranked = pages.ranking_kind(scope) or "agency"
    data = pages.build(period, scope, ranked=ranked, costs=True)
    if fmt == "xlsx":
        title = _("Chỉ số chất lượng phục vụ (Quyết định 766/QĐ-TTg)")
        return dashboard_xlsx(data, title=title).response(filename(data, "chi-so"))
    following = period.next()
    context: dict[str, Any] = {
        "data": data,
        "kinds": pages.KINDS,
        "choices": _choices(access, today),
        "chosen": f"{scope.kind}:{scope.id or ''}",
        "previous_query": _query(period.previous(), scope),
        "next_query": _query(following, scope) if following.start <= today else "",
        "query": _query(period, scope),
        "xlsx_query": _query(period, scope, **{"dinh-dang": "xlsx"}),
        "late_query": _query(period, scope),
        # Each costly agency links to its own dashboard when the reader may open it.
        "agencies": [
            (cost, _query(period, cost.ref) if _may_choose(access, cost.ref) else "")
            for cost in data.agencies
        ],
        "trend_chart": pages.trend_chart(data.trend, scope),
        "groups_chart": pages.groups_chart(data),
        "ranking_chart": pages.ranking_chart(
            _around(data.ranking, data.rank), _("Xếp hạng trong kỳ")
        )
        if data.ranking
        else "",
    }
    return render(request, "reports/indicators/dashboard.html", context)


@login_required
@require_GET
def late(request: HttpRequest) -> HttpResponse:
    """The late dossiers behind a scope's lost on-time points, those the reader may open."""
    access = _reader(request)
    if access is None:
        return _refused(request)
    try:
        period = pages.chosen_period(request.GET, timezone.localdate())
        scope = _scope(request.GET, access, (*CHOOSABLE, "procedure"))
    except (PeriodError, BadInputError) as error:
        return _bad(request, str(error))
    dossiers = (
        late_dossiers(request.user, period, scope)
        .select_related("procedure")
        .order_by("due_at", "pk")
    )
    page = Paginator(dossiers, LATE_PER_PAGE).get_page(request.GET.get("trang"))
    context = {
        "period": period,
        "scope": scope,
        "page": page,
        "query": _query(period, scope),
        "back_query": _query(period, _default_scope(access)),
        "now": timezone.now(),
    }
    return render(request, "reports/indicators/late.html", context)
