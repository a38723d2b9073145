"""On-time rate by agency (docs/rules/indicators.md), read only from the counters the actions
keep (docs/architecture.md rule 9).

The whole months of the period are read from ``AgencyMonthCounter`` and the days at its edges
from ``AgencyDayCounter`` (``periods.py``), so the cost of this report depends on the number of
agencies and months, never on the number of dossiers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from motcua.dossiers.models import AgencyDayCounter, AgencyMonthCounter, AgencyOpenCounter
from motcua.org.models import Agency
from motcua.reports.periods import cover, totals


@dataclass
class AgencyRow:
    agency: Agency
    received: int
    early: int
    on_time: int
    late: int
    within_due: int
    past_due: int

    @property
    def finished(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        """Early and on time over all finished; None when nothing was finished."""
        return (self.early + self.on_time) / self.finished if self.finished else None


FLOW_SUMS = {
    "direct": Sum("received_direct"),
    "online": Sum("received_online"),
    "postal": Sum("received_postal"),
    "early": Sum("finished_early"),
    "on_time": Sum("finished_on_time"),
    "late": Sum("finished_late"),
}


def on_time_by_agency(*, start: dt.date, end: dt.date) -> list[AgencyRow]:
    flows = totals(
        cover(start, end),
        by_day=AgencyDayCounter,
        by_month=AgencyMonthCounter,
        group=("agency_id",),
        sums=FLOW_SUMS,
    )
    stock = AgencyOpenCounter.objects.values("agency_id").annotate(
        within=Sum("within_due"), past=Sum("past_due")
    )
    by_agency: dict[int, dict[str, int]] = {}
    for (agency_id,), row in flows.items():
        by_agency[agency_id] = {
            "received": row["direct"] + row["online"] + row["postal"],
            "early": row["early"],
            "on_time": row["on_time"],
            "late": row["late"],
        }
    for row in stock:
        entry = by_agency.setdefault(row["agency_id"], {})
        entry["within_due"], entry["past_due"] = row["within"], row["past"]
    agencies = Agency.objects.in_bulk(list(by_agency))
    rows = [
        AgencyRow(
            agency=agencies[agency_id],
            received=values.get("received", 0),
            early=values.get("early", 0),
            on_time=values.get("on_time", 0),
            late=values.get("late", 0),
            within_due=values.get("within_due", 0),
            past_due=values.get("past_due", 0),
        )
        for agency_id, values in by_agency.items()
    ]
    return sorted(
        rows, key=lambda r: (r.on_time_rate is None, -(r.on_time_rate or 0), r.agency.name)
    )
