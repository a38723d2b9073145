"""Hotline endpoints of the public API (docs/rules/api.md "Endpoints")."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from motcua.core.api_errors import ApiError
from motcua.core.inputs import Input
from motcua.dossiers.tokens import BearerToken
from motcua.hotline import routing
from motcua.hotline.access import HotlineScope

router = Router(tags=["hotline"], auth=BearerToken())

MAX_TEXT_CHARS = 20_000


class SuggestIn(Input):
    text: str = Field(..., description="Lời nhắn của người dân, nguyên văn.")


class SuggestedAgency(Schema):
    id: int
    name: str


class SuggestionOut(Schema):
    sector: str
    agency: SuggestedAgency | None = None
    confidence: float


class SuggestOut(Schema):
    suggestions: list[SuggestionOut]


@router.post("/suggest", response=SuggestOut, summary="Gợi ý lĩnh vực, cơ quan giải quyết")
def suggest(request: HttpRequest, body: SuggestIn) -> SuggestOut:
    """The sectors and agencies most likely responsible for a citizen's message, best first,
    at most 5. Operators decide; channels may pre-route with it."""
    if not HotlineScope.of(request.auth).is_staff_of_hotline:  # type: ignore[attr-defined]
        raise ApiError(403, "forbidden", _("Bạn không làm việc với Tổng đài 1022."))
    text = body.text.strip()
    if not text:
        raise ApiError(422, "required", _("Nội dung cần gợi ý không được để trống."))
    if len(text) > MAX_TEXT_CHARS:
        raise ApiError(422, "too_long", _("Nội dung dài quá 20.000 ký tự."))
    return SuggestOut(
        suggestions=[
            SuggestionOut(
                sector=s.sector_name,
                agency=SuggestedAgency(id=s.agency_id, name=s.agency_name)
                if s.agency_id is not None
                else None,
                confidence=round(s.confidence, 4),
            )
            for s in routing.suggest(text, limit=5)
        ]
    )
