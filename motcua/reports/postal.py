"""The public postal service's report (docs/postal.md "Reports"): the orders registered in a
period by service, by channel of registration, by status and by agency, the results
delivered on time and the failed attempts, the postage and the fees collected on the
agencies' behalf, and the dossiers received at post-office desks.

Orders are read from ``PostalDayCounter`` (one row per registration day, agency, service and
channel that had an order: the rows are few, so there is no monthly rollup), dossiers received
at post-office desks from the dossier flows' rollups (``periods.py``); never the orders or the
dossiers themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from motcua.dossiers.models import AgencyDayCounter, AgencyMonthCounter
from motcua.org.models import Agency
from motcua.postal.counters import FIELDS, STATUS_FIELDS
from motcua.postal.models import OrderChannel, OrderStatus, PostalDayCounter, PostalService
from motcua.reports.periods import cover, totals

DELIVERED = OrderStatus.DELIVERED


@dataclass
class Figures:
    """Counts by status and money, for one slice of the orders."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    def add(self, row: dict[str, int]) -> None:
        for name in FIELDS:
            self.counts[name] += row[name] or 0

    @property
    def by_status(self) -> list[int]:
        """The counts in ``OrderStatus`` order (the report's columns)."""
        return [self.counts[s] for s in STATUS_FIELDS]

    @property
    def registered(self) -> int:
        """Every order registered in the period, cancelled ones included."""
        return sum(self.counts[s] for s in STATUS_FIELDS)

    @property
    def cancelled(self) -> int:
        return self.counts[OrderStatus.CANCELLED]

    @property
    def live(self) -> int:
        return self.registered - self.cancelled

    @property
    def delivered(self) -> int:
        return self.counts[DELIVERED]

    @property
    def delivered_on_time(self) -> int:
        return self.counts["delivered_on_time"]

    @property
    def on_time_share(self) -> float | None:
        """Results delivered by the dossier's due moment, of all delivered; None when none."""
        return self.delivered_on_time / self.delivered if self.delivered else None

    @property
    def failed_attempts(self) -> int:
        return self.counts["failed_attempts"]

    @property
    def fee_vnd(self) -> int:
        return self.counts["fee_vnd"]

    @property
    def cod_vnd(self) -> int:
        return self.counts["cod_vnd"]

    @property
    def cod_remitted_vnd(self) -> int:
        return self.counts["cod_remitted_vnd"]


@dataclass
class PostalReport:
    start: dt.date
    end: dt.date
    total: Figures
    by_service: list[tuple[str, Figures]]  # (label, figures)
    by_channel: list[tuple[str, Figures]]
    by_agency: list[tuple[Agency, Figures]]
    statuses: list[tuple[str, str]]  # (value, label) in the order of a parcel's life
    # Dossiers received at post-office desks (the postal channel), by agency.
    post_office_received: list[tuple[Agency, int]]

    @property
    def post_office_total(self) -> int:
        return sum(n for _, n in self.post_office_received)


def postal_report(*, start: dt.date, end: dt.date) -> PostalReport:
    rows = (
        PostalDayCounter.objects.filter(day__gte=start, day__lte=end)
        .values("agency_id", "service", "channel")
        .annotate(**{name: Sum(name) for name in FIELDS})
    )
    total = Figures()
    services: dict[str, Figures] = defaultdict(Figures)
    channels: dict[str, Figures] = defaultdict(Figures)
    agencies: dict[int, Figures] = defaultdict(Figures)
    for row in rows:
        for slice_ in (total, services[row["service"]], channels[row["channel"]]):
            slice_.add(row)
        agencies[row["agency_id"]].add(row)
    received = totals(
        cover(start, end),
        by_day=AgencyDayCounter,
        by_month=AgencyMonthCounter,
        group=("agency_id",),
        sums={"postal": Sum("received_postal")},
    )
    post_office = {agency_id: r["postal"] for (agency_id,), r in received.items() if r["postal"]}
    named = Agency.objects.in_bulk([*agencies, *post_office])
    return PostalReport(
        start=start,
        end=end,
        total=total,
        by_service=[(str(s.label), services[s.value]) for s in PostalService if s in services],
        by_channel=[(str(c.label), channels[c.value]) for c in OrderChannel if c in channels],
        by_agency=sorted(
            ((named[a], f) for a, f in agencies.items()),
            key=lambda p: (-p[1].registered, p[0].name),
        ),
        statuses=[(s.value, str(s.label)) for s in OrderStatus],
        post_office_received=sorted(
            ((named[a], n) for a, n in post_office.items()), key=lambda p: (-p[1], p[0].name)
        ),
    )
