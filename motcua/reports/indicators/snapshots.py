"""The weekly score, kept as it was computed when the week ended (docs/rules/indicators.md
"Weekly snapshots"): the national dashboard ranks units weekly, and a ranking over time must
not move when a late dossier of an old week is finished or a rule set changes.

``snapshot_week`` stores the province's, every unit's and every agency's score of one ISO
week, with their ranks; a week already kept is left as it is, so the periodic job
(``manage.py snapshot_indicators``) can run every hour and a missed run is caught up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.reports.indicators.engine import Score, ranking, scope_for, score, to_json
from motcua.reports.indicators.periods import IndicatorPeriod, week
from motcua.reports.models import ScoreSnapshot


def last_full_week(today: dt.date) -> IndicatorPeriod:
    return week(today - dt.timedelta(days=7))


def snapshot_week(period: IndicatorPeriod) -> int:
    """Keep ``period``'s scores once; the rows written (0 when the week was kept before)."""
    if ScoreSnapshot.objects.filter(
        period_start=period.start, period_end=period.end, scope_kind="province"
    ).exists():
        return 0
    scores = [score(period, scope_for("province", None))]
    scores += ranking(period, "unit") + ranking(period, "agency")
    taken = timezone.now()
    with transaction.atomic():
        ScoreSnapshot.objects.bulk_create(
            [_row(one, period, taken) for one in scores], ignore_conflicts=True
        )
    return len(scores)


def _row(one: Score, period: IndicatorPeriod, taken: dt.datetime) -> ScoreSnapshot:
    return ScoreSnapshot(
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        scope_kind=one.scope.kind,
        scope_id=one.scope.id or 0,
        scope_name=one.scope.name[:255],
        score=Decimal(f"{one.score:.2f}"),
        max_score=Decimal(f"{one.max_score:.2f}"),
        rank=one.rank,
        rules_version=one.rules_version,
        payload=to_json(one),
        taken_at=taken,
    )
