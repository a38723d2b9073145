"""Reads of the catalogue that several screens and the API share."""

from __future__ import annotations

from django.db.models import Case, FloatField, Prefetch, Q, QuerySet, Value, When

from motcua.catalog.models import Level, Procedure, RequiredDocument
from motcua.catalog.search import search

# Past this many, a relevance-ranked list has stopped being about the question.
MAX_HITS = 300

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
    """Active procedures passing the filters; with ``q``, those matching it, best first.

    ``q`` is read as a citizen writes it (with or without diacritics, everyday words, small
    typos: see ``motcua.catalog.search``); each procedure then carries its relevance as
    ``score``. Without ``q``, every procedure passing the filters, by code.
    ``sector`` matches a sector's code or exact name; ``agency`` an agency's identifier code
    (competent or implementing). Unknown filter values simply match nothing.
    """
    procedures = Procedure.objects.filter(active=True).select_related("sector")
    if level:
        field = _LEVEL_FIELDS.get(Level(level)) if level in Level.values else None
        procedures = procedures.filter(**{field: True}) if field else procedures.none()
    if sector:
        procedures = procedures.filter(Q(sector__code=sector) | Q(sector__name=sector))
    if agency:
        procedures = procedures.filter(
            Q(competent_agency__code=agency) | Q(implementing_agency__code=agency)
        )
    if not q.strip():
        return procedures.order_by("code")
    filtered = bool(level or sector or agency)
    among = set(procedures.values_list("pk", flat=True)) if filtered else None
    hits = search(q, among=among)[:MAX_HITS]
    scores = [When(pk=hit.pk, then=Value(hit.score)) for hit in hits]
    return (
        procedures.filter(pk__in=[hit.pk for hit in hits])
        .annotate(score=Case(*scores, default=Value(0.0), output_field=FloatField()))
        .order_by("-score", "code")
    )


def procedure_detail(code: str) -> Procedure | None:
    return (
        Procedure.objects.filter(code=code, active=True)
        .select_related("sector", "competent_agency", "implementing_agency")
        .prefetch_related(
            "methods__fees",
            # A document a decision cut is history, not something to bring.
            Prefetch("documents", queryset=RequiredDocument.objects.in_force()),
            "results",
            "legal_basis",
        )
        .first()
    )
