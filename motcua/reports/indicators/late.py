"""The dossiers behind the on-time points a scope lost in a period (docs/indicators.md
"Where the points go"): those judged late in the period and those in progress at its end
past their due moment (or paused after it), as the events noted them when they happened
(``dossiers/tally.py``), each only if the reader may see it (the dossiers' door,
``dossiers/access.py``). The candidates are the dossiers received before the period's end
and not finished before it, so the list does not read the whole history."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, QuerySet, Subquery
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
    """The dossiers that cost ``scope`` on-time points in ``period``, as the counters judged
    them: from the notes the events carry (``dossiers/tally.py``), never today's state."""
    start, end = _bounds(period)
    judged_late = DossierEvent.objects.filter(data__judged="late", at__gte=start, at__lt=end)
    # The standing noted last before the period's end: open and due by its last day, or
    # paused after the due moment ("open:YYYY-MM-DD" compares as its date does).
    standing = Subquery(
        DossierEvent.objects.filter(dossier=OuterRef("pk"), data__stock__isnull=False, at__lt=end)
        .order_by("-seq")
        .values("data__stock")[:1]
    )
    candidates = Dossier.objects.filter(received_at__lt=end).filter(
        Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    )
    open_late = (
        candidates.annotate(standing=standing)
        .filter(
            Q(standing__startswith="open:", standing__lte=f"open:{period.end.isoformat()}")
            | Q(standing="paused_late")
        )
        .values("pk")
    )
    dossiers = visible_dossiers(user).filter(
        Q(pk__in=judged_late.values("dossier_id")) | Q(pk__in=open_late)
    )
    if scope.kind in SCOPE_COLUMN:
        dossiers = dossiers.filter(**{SCOPE_COLUMN[scope.kind]: scope.id})
    return dossiers.select_related("procedure", "competent_agency").order_by("due_at", "pk")


def _bounds(period: IndicatorPeriod) -> tuple[dt.datetime, dt.datetime]:
    """The period's first moment and the first moment after it, in the province's time."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time(), zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), zone)
    return start, end
