"""The public Decision 766 pages (``/chi-so/``), no sign-in: the province's score and grade,
its groups, the units' ranking, each unit's own page, and the open data (JSON, CSV) and
workbook behind them (docs/indicators.md "The public page").

Only the province and the administrative units are public (``PUBLIC_KINDS``); agencies and
procedures are the leaders' page. A period that cannot be read is a 400 page that says why.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core.inputs import parse_id
from motcua.org.models import AdministrativeUnit, UnitLevel
from motcua.reports import indicator_pages as pages
from motcua.reports.indicator_xlsx import dashboard_xlsx, filename
from motcua.reports.indicators.access import PUBLIC_KINDS
from motcua.reports.indicators.engine import ScopeRef, Score, ranking, scope_for, score, to_json
from motcua.reports.indicators.periods import IndicatorPeriod, PeriodError

LAW = "Quyết định 766/QĐ-TTg"
PUBLIC_CACHE_SECONDS = 300
# The open data's fixed columns (docs/indicators.md "Open data"); a column per group
# (``group_<key>``) and per indicator (its key) follows, then ``as_of``.
FIXED_COLUMNS = (
    "period",
    "start",
    "end",
    "scope",
    "id",
    "name",
    "rank",
    "score",
    "max_score",
    "grade",
)


def _period(request: HttpRequest) -> IndicatorPeriod:
    return pages.chosen_period(request.GET, timezone.localdate())


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("dinh-dang", "").strip()
    if fmt not in ("", "xlsx"):
        raise PeriodError(_("Định dạng tải về không hợp lệ: chỉ có xlsx."))
    return fmt


def _bad(request: HttpRequest, error: Exception) -> HttpResponse:
    context = {"error": str(error), "kinds": pages.KINDS, "back": "/chi-so/", "public": True}
    return render(request, "reports/indicators/error.html", context, status=400)


def _page(request: HttpRequest, scope: ScopeRef, template: str) -> HttpResponse:
    try:
        fmt = _format(request)
        period = _period(request)
    except PeriodError as error:
        return _bad(request, error)
    data = _public_dashboard(period, scope)
    if fmt == "xlsx":
        title = _("Công khai kết quả đánh giá chất lượng phục vụ theo %(law)s") % {"law": LAW}
        return dashboard_xlsx(data, title=title).response(filename(data, "chi-so-cong-khai"))
    today = timezone.localdate()
    following = period.next()
    context: dict[str, Any] = {
        "data": data,
        "law": LAW,
        "kinds": pages.KINDS,
        "previous_code": period.previous().code,
        "next_code": following.code if following.start <= today else "",
        "shares": [(label, pages.share(data.score, key)) for key, label in pages.SHARES],
        "trend_chart": pages.trend_chart(data.trend, scope),
        "groups_chart": pages.groups_chart(data),
        "shares_chart": pages.shares_chart(data.score),
        "ranking_chart": pages.ranking_chart(data.ranking, _("Xếp hạng các đơn vị"))
        if data.ranking
        else "",
    }
    return render(request, template, context)


def _public_dashboard(period: IndicatorPeriod, scope: ScopeRef) -> pages.Dashboard:
    """The public dashboard, computed at most once every few minutes per period, scope and
    language: the page needs no sign-in, and each view costs some scores (the period, the
    previous one, twelve months, the units' ranking). The page says when its data were
    computed, so a reader sees how fresh they are."""
    key = f"indicators:public:{scope.kind}:{scope.id}:{period.code}:{get_language()}"
    found = cache.get(key)
    if isinstance(found, pages.Dashboard):
        return found
    data = pages.build(period, scope, ranked="unit", costs=False)
    cache.set(key, data, PUBLIC_CACHE_SECONDS)
    return data


@require_GET
def province_page(request: HttpRequest) -> HttpResponse:
    return _page(request, scope_for("province", None), "reports/indicators/public.html")


@require_GET
def unit_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    if parse_id(unit_id) is None:  # beyond any id: no query, the same 404
        raise Http404
    try:
        scope = scope_for("unit", unit_id)
    except LookupError:
        raise Http404 from None
    # The province is the page above, not a unit among the units.
    province = AdministrativeUnit.objects.filter(pk=unit_id, level=UnitLevel.PROVINCE)
    if scope.kind not in PUBLIC_KINDS or province.exists():
        raise Http404
    return _page(request, scope, "reports/indicators/public_unit.html")


# -- open data --------------------------------------------------------------------------------


def _open_scores(period: IndicatorPeriod) -> list[Score]:
    """The province, then every unit by rank."""
    return [score(period, scope_for("province", None)), *ranking(period, "unit")]


def _columns(results: Sequence[Score]) -> list[str]:
    groups = [f"group_{group.key}" for group in results[0].groups]
    indicators = [value.key for group in results[0].groups for value in group.indicators]
    return [*FIXED_COLUMNS, *groups, *indicators, "as_of"]


def _row(result: Score) -> dict[str, object]:
    row: dict[str, object] = {
        "period": result.period.code,
        "start": result.period.start.isoformat(),
        "end": result.period.end.isoformat(),
        "scope": result.scope.kind,
        "id": result.scope.id,
        "name": result.scope.name,
        "rank": result.rank,
        "score": round(result.score, 2),
        "max_score": round(result.max_score, 2),
        "grade": result.grade,
    }
    for group in result.groups:
        row[f"group_{group.key}"] = round(group.score, 2)
        for value in group.indicators:
            shown = value.value if value.applicable else None
            row[value.key] = None if shown is None else round(shown, 4)
    row["as_of"] = timezone.localtime(result.as_of).isoformat(timespec="seconds")
    return row


@require_GET
def open_data_json(request: HttpRequest) -> HttpResponse:
    """The engine's scores, as the API gives them, for the province and every unit."""
    try:
        period = _period(request)
    except PeriodError as error:
        return JsonResponse({"error": str(error)}, status=400)
    results = _open_scores(period)
    body = {
        "title": f"Công khai kết quả đánh giá chất lượng phục vụ theo {LAW}",
        "period": {
            "code": period.code,
            "label": str(period.label),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "as_of": timezone.localtime(results[0].as_of).isoformat(timespec="seconds"),
        "province": to_json(results[0]),
        "units": [{**to_json(r), "rank": r.rank} for r in results[1:]],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def open_data_csv(request: HttpRequest) -> HttpResponse:
    """One row for the province and one per unit; UTF-8 with a byte-order mark, so a
    spreadsheet opens the Vietnamese names right; decimals with a point."""
    try:
        period = _period(request)
    except PeriodError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    results = _open_scores(period)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_columns(results), extrasaction="ignore")
    writer.writeheader()
    for result in results:
        writer.writerow({k: "" if v is None else v for k, v in _row(result).items()})
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    name = f"chi-so-766-{period.code.replace('..', '_')}.csv"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["Access-Control-Allow-Origin"] = "*"
    return response
