"""Public desk endpoint: ``GET /api/v1/desks`` — where a citizen can apply."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Query, Router, Schema

from motcua.org.models import Desk

router = Router(tags=["desks"])


class DeskOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    unit_name: str
    agency: str
    address: str
    phone: str
    procedures_count: int


class DeskList(Schema):
    items: list[DeskOut]


@router.get("", response=DeskList, summary="Danh sách nơi tiếp nhận hồ sơ")
def list_desks(
    request: HttpRequest,
    unit: Annotated[str | None, Query(max_length=10)] = None,
    procedure: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, object]:
    """``unit``: a unit code; desks in that unit or in units under it. ``procedure``: a
    procedure code; only desks that accept it."""
    desks = Desk.objects.filter(active=True).select_related("unit", "agency")
    if unit:
        desks = desks.filter(
            Q(unit__code=unit) | Q(unit__parent__code=unit) | Q(unit__parent__parent__code=unit)
        )
    if procedure:
        # A subquery, not a join, so the count below still sees all the desk's procedures.
        desks = desks.filter(pk__in=Desk.objects.filter(procedures__code=procedure).values("pk"))
    desks = desks.annotate(
        procedures_count=Count("procedures", filter=Q(procedures__active=True), distinct=True)
    ).order_by("kind", "name")
    return {
        "items": [
            {
                "id": d.pk,
                "name": d.name,
                "kind": d.kind,
                "unit": d.unit.code,
                "unit_name": d.unit.name,
                "agency": d.agency.code,
                "address": d.address,
                "phone": d.phone,
                "procedures_count": d.procedures_count,
            }
            for d in desks
        ]
    }
