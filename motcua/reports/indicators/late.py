"""The dossiers behind the on-time points a scope lost in a period (docs/indicators.md
"Where the points go"): those judged late in the period (the events ``dossiers/tally.py``
noted) and those still in progress at its end past their due moment, each only if the
reader may see it (the dossiers' door, ``dossiers/access.py``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.reports.indicators.engine import ScopeRef
from motcua.reports.indicators.periods import IndicatorPeriod

SCOPE_COLUMN = {
    "unit": "unit_id",
    "agency": "competent_agency_id",
    "sector": "procedure__sector_id",
    "procedure": "procedure_id",
}


def late_dossiers(user: object, period: IndicatorPeriod, scope: ScopeRef) -> QuerySet[Dossier]:
    start, end = _bounds(period)
    judged = DossierEvent.objects.filter(
        dossier=OuterRef("pk"), data__judged="late", at__gte=start, at__lt=end
    )
    judged_by_end = DossierEvent.objects.filter(
        dossier=OuterRef("pk"), data__judged__isnull=False, at__lt=end
    )
    # In progress at the end, past due: received by then, not judged by then, due before.
    open_late = (
        Q(received_at__lt=end, due_at__lt=end)
        & ~Q(Exists(judged_by_end))
        & ~Q(status__in=["withdrawn"], finished_at__lt=end)
    )
    dossiers = visible_dossiers(user).filter(Q(Exists(judged)) | open_late)
    if scope.kind in SCOPE_COLUMN:
        dossiers = dossiers.filter(**{SCOPE_COLUMN[scope.kind]: scope.id})
    return dossiers.select_related("procedure", "competent_agency").order_by("due_at", "pk")


def _bounds(period: IndicatorPeriod) -> tuple[dt.datetime, dt.datetime]:
    """The period's first moment and the first moment after it, in the province's time."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time(), zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), zone)
    return start, end
