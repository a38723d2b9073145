"""``GET /api/v1/indicators`` (docs/rules/api.md "Indicators"): a scope's Decision 766
score over a period. The province and its units are public; an agency, a sector or a
procedure needs a bearer token (or a signed-in session) of staff who may read it
(``access.py``)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from motcua.core.api_errors import ApiError
from motcua.dossiers.tokens import user_for_token
from motcua.reports.indicators.access import PUBLIC_KINDS, IndicatorAccess
from motcua.reports.indicators.engine import KINDS, scope_for, score, to_json
from motcua.reports.indicators.periods import PeriodError, current_period, parse_period

router = Router(tags=["indicators"])


@router.get("", summary="Điểm chỉ số chất lượng phục vụ (Quyết định 766)")
def indicators(
    request: HttpRequest,
    period: Annotated[str | None, Query(max_length=30)] = None,
    scope: Annotated[str, Query(max_length=10)] = "province",
    id: Annotated[int | None, Query(ge=1, le=2**53)] = None,
) -> dict[str, Any]:
    """``period``: 2026-W47, 2026-11, 2026-Q4, 2026-H2, 2026 or 2026-01-01..2026-03-31 (this
    month so far when left out); ``scope``: province, unit, agency, sector or procedure, with
    its ``id`` (none for the province)."""
    try:
        chosen = parse_period(period) if period else current_period("month", timezone.localdate())
    except PeriodError as exc:
        raise ApiError(422, "bad_period", str(exc)) from exc
    if scope not in KINDS:
        raise ApiError(
            422, "bad_scope", _("Phạm vi phải là province, unit, agency, sector hoặc procedure.")
        )
    if (scope == "province") != (id is None):
        raise ApiError(422, "bad_scope_id", _("Cần id cho phạm vi này (và không cho toàn tỉnh)."))
    try:
        ref = scope_for(scope, id)
    except LookupError as exc:
        raise ApiError(404, "scope_not_found", _("Không tìm thấy phạm vi này.")) from exc
    if scope not in PUBLIC_KINDS and not IndicatorAccess.of(_caller(request)).may_read(ref):
        # The same answer as an unknown scope: staff scopes are not enumerable.
        raise ApiError(404, "scope_not_found", _("Không tìm thấy phạm vi này."))
    return to_json(score(chosen.so_far(timezone.localdate()), ref))


def _caller(request: HttpRequest) -> object:
    """A bearer token's officer, else the session's user (anonymous for the public)."""
    header = request.headers.get("Authorization", "")
    if header:
        kind, _sep, token = header.partition(" ")
        user = user_for_token(token.strip()) if kind.lower() == "bearer" else None
        if user is None:
            raise ApiError(401, "unauthorized", _("Mã truy cập không hợp lệ."))
        return user
    return request.user
