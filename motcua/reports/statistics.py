"""Province-wide figures for the public statistics page (``/thong-ke/``), read from the counters
the actions keep (docs/architecture.md rule 9; docs/rules/indicators.md): whole months from the
agencies' monthly rollup, the edge days from their daily one, so the cost depends on the number
of agencies and months, never on the number of dossiers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from motcua.dossiers.models import AgencyDayCounter, AgencyMonthCounter, AgencyOpenCounter
from motcua.reports.ontime import FLOW_SUMS
from motcua.reports.periods import cover, totals


@dataclass(frozen=True)
class Flows:
    """Dossiers received and finished in a period, province-wide."""

    received: int
    early: int
    on_time: int
    late: int

    @property
    def in_time(self) -> int:
        """Finished before or by the due moment."""
        return self.early + self.on_time

    @property
    def finished(self) -> int:
        return self.in_time + self.late

    @property
    def in_time_percent(self) -> float | None:
        return 100 * self.in_time / self.finished if self.finished else None


def flows(*, start: dt.date, end: dt.date) -> Flows:
    found = totals(
        cover(start, end),
        by_day=AgencyDayCounter,
        by_month=AgencyMonthCounter,
        group=(),
        sums=FLOW_SUMS,
    )
    value = found.get((), dict.fromkeys(FLOW_SUMS, 0))
    return Flows(
        received=value["direct"] + value["online"] + value["postal"],
        early=value["early"],
        on_time=value["on_time"],
        late=value["late"],
    )


@dataclass(frozen=True)
class Stock:
    """Dossiers in progress now, within and past their due moment."""

    within_due: int
    past_due: int


def in_progress() -> Stock:
    totals = AgencyOpenCounter.objects.aggregate(within=Sum("within_due"), past=Sum("past_due"))
    return Stock(within_due=totals["within"] or 0, past_due=totals["past"] or 0)
