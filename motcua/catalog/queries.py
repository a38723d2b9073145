"""Reads of the catalogue that several screens and the API share."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.catalog.models import Level, Procedure
from motcua.core.text import fold

_LEVEL_FIELDS = {
    Level.MINISTRY: "at_ministry",
    Level.PROVINCE: "at_province",
    Level.DISTRICT: "at_district",
    Level.COMMUNE: "at_commune",
    Level.OTHER: "at_other",
}


def search_procedures(
    *,
    q: str = "",
    level: str | None = None,
    sector: str | None = None,
    agency: str | None = None,
) -> QuerySet[Procedure]:
    """Active procedures matching every word of ``q`` with or without diacritics.

    ``sector`` matches a sector's code or exact name; ``agency`` an agency's identifier code
    (competent or implementing). Unknown filter values simply match nothing.
    """
    procedures = Procedure.objects.filter(active=True).select_related("sector")
    for word in fold(q).split():
        procedures = procedures.filter(search_text__contains=word)
    if level:
        field = _LEVEL_FIELDS.get(Level(level)) if level in Level.values else None
        procedures = procedures.filter(**{field: True}) if field else procedures.none()
    if sector:
        procedures = procedures.filter(Q(sector__code=sector) | Q(sector__name=sector))
    if agency:
        procedures = procedures.filter(
            Q(competent_agency__code=agency) | Q(implementing_agency__code=agency)
        )
    return procedures.order_by("code")


def procedure_detail(code: str) -> Procedure | None:
    return (
        Procedure.objects.filter(code=code, active=True)
        .select_related("sector", "competent_agency", "implementing_agency")
        .prefetch_related("methods__fees", "documents", "results", "legal_basis")
        .first()
    )
