"""What a chunk of bulk rows shares besides the rows: primary keys reserved ahead, the next
number of each day's codes, and the counters the chunk's actions would have bumped
(docs/simulate.md "Bulk mode").

Everything here is merged into the database in the chunk's own transaction, so a run that
stops between chunks leaves counters and code sequences that agree with the rows it wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from motcua.dossiers.models import (
    AgencyDayCounter,
    AgencyMonthCounter,
    AgencyOpenCounter,
    DailyCounter,
    DailySequence,
    MonthCounter,
    NationalSyncCounter,
    OpenCounter,
)
from motcua.hotline.counters import Share, bucket_of
from motcua.hotline.models import (
    AnswerHoursDayCounter,
    AnswerHoursMonthCounter,
    TicketDayCounter,
    TicketMonthCounter,
    TicketSequence,
)
from motcua.simulate.bulk.sink import Sink, Table
from motcua.simulate.bulk.time_tally import TimeTally

ID_BLOCK = 5_000
CHANNEL_FIELDS = ("received_direct", "received_online", "received_postal")


class IdPool:
    """Primary keys for one table, reserved from the sink a block at a time."""

    def __init__(self, sink: Sink, table: Table, block: int = ID_BLOCK) -> None:
        self.sink, self.table, self.block = sink, table, block
        self._ids: list[int] = []

    def take(self) -> int:
        if not self._ids:
            self._ids = self.sink.reserve_ids(self.table, self.block)[::-1]
        return self._ids.pop()

    def forget(self) -> None:
        self._ids = []


class CodeBook:
    """The last number issued per (agency, day) for dossier codes and per day for ticket
    codes: the existing sequence rows first, so bulk codes continue after them, and real
    receptions after a bulk run continue after the bulk codes."""

    def __init__(self) -> None:
        self.dossiers: dict[tuple[int, dt.date], int] = {
            (agency, day): last
            for agency, day, last in DailySequence.objects.values_list("agency_id", "day", "last")
        }
        self.tickets: dict[dt.date, int] = dict(TicketSequence.objects.values_list("day", "last"))
        self.touched_dossiers: set[tuple[int, dt.date]] = set()
        self.touched_tickets: set[dt.date] = set()

    def dossier_code(self, agency_id: int, agency_code: str, day: dt.date) -> str:
        key = (agency_id, day)
        last = self.dossiers.get(key, 0) + 1
        self.dossiers[key] = last
        self.touched_dossiers.add(key)
        return f"{agency_code}-{day:%y%m%d}-{last:04d}"

    def ticket_code(self, day: dt.date) -> str:
        last = self.tickets.get(day, 0) + 1
        self.tickets[day] = last
        self.touched_tickets.add(day)
        return f"1022-{day:%y%m%d}-{last:04d}"

    def forget_before(self, day: dt.date) -> None:
        """Drop the numbers of days before ``day`` (already written): a story takes its code
        on the day it arrives, and the plan goes day by day, so memory stays flat."""
        self.dossiers = {key: last for key, last in self.dossiers.items() if key[1] >= day}
        self.tickets = {d: last for d, last in self.tickets.items() if d >= day}

    def flush(self, sink: Sink) -> None:
        """Raise the sequence rows to the numbers issued (never lower them)."""
        sink.upsert(
            DailySequence._meta.db_table,
            ["agency_id", "day"],
            [],
            [(a, d, self.dossiers[(a, d)]) for a, d in sorted(self.touched_dossiers)],
            greatest=["last"],
        )
        sink.upsert(
            TicketSequence._meta.db_table,
            ["day"],
            [],
            [(d, self.tickets[d]) for d in sorted(self.touched_tickets)],
            greatest=["last"],
        )
        self.touched_dossiers.clear()
        self.touched_tickets.clear()


Key = tuple[Any, ...]


class Tally:
    """The counter changes of one chunk, as the actions would have made them: flows per day
    × unit × agency × procedure and their agency rollups by day and month, the in-progress
    stock and its agency rollup (``dossiers/counters.py``), the hotline's counters."""

    def __init__(self) -> None:
        self.daily: dict[Key, Counter[str]] = defaultdict(Counter)
        self.open: dict[Key, Counter[str]] = defaultdict(Counter)
        self.tickets: dict[Key, Counter[str]] = defaultdict(Counter)
        self.hours: dict[Key, Counter[str]] = defaultdict(Counter)
        # Where the time goes: the step and processing times (time_tally.py).
        self.time = TimeTally()

    def bump_daily(
        self, day: dt.date, unit: int, agency: int, procedure: int, name: str, by: int = 1
    ) -> None:
        self.daily[(day, unit, agency, procedure)][name] += by

    def bump_open(self, unit: int, agency: int, procedure: int, *, overdue: bool, by: int) -> None:
        self.open[(unit, agency, procedure)]["past_due" if overdue else "within_due"] += by

    def add_ticket(self, figures: Share | None) -> None:
        """A ticket's share of the hotline counters (``hotline.counters.share``)."""
        if figures is None:
            return
        self.tickets[figures.key].update(dict(figures.figures))
        if figures.answer_seconds is not None:
            key = (figures.day, figures.agency_id, bucket_of(figures.answer_seconds))
            self.hours[key].update(answers=1, seconds=figures.answer_seconds)

    def flush(self, sink: Sink) -> None:
        """Merge the chunk's changes into the counter tables, in the caller's transaction,
        with the statement the actions use (``core.counters.add``)."""
        self.time.flush(sink)
        by_agency_day: dict[Key, Counter[str]] = defaultdict(Counter)
        for (day, _unit, agency, _procedure), values in self.daily.items():
            by_agency_day[(day, agency)].update(values)
        # Received dossiers are due to sync with the national portal (national/changes.py).
        sync_due: dict[Key, Counter[str]] = defaultdict(Counter)
        for (day, unit, agency, _procedure), values in self.daily.items():
            received = sum(values[name] for name in CHANNEL_FIELDS)
            if received:
                sync_due[(day, unit, agency)]["due"] += received
        open_by_agency: dict[Key, Counter[str]] = defaultdict(Counter)
        for (_unit, agency, _procedure), values in self.open.items():
            open_by_agency[(agency,)].update(values)
        for model, changes in (
            (DailyCounter, self.daily),
            (AgencyDayCounter, by_agency_day),
            (AgencyMonthCounter, by_month(by_agency_day)),
            (MonthCounter, by_month(self.daily)),
            # Flows, then the sync counter, then the stock: the actions' order
            # (dossiers/counters.py), so a bulk run beside live actions cannot deadlock.
            (NationalSyncCounter, sync_due),
            (OpenCounter, self.open),
            (AgencyOpenCounter, open_by_agency),
            (TicketDayCounter, self.tickets),
            (TicketMonthCounter, by_month(self.tickets)),
            (AnswerHoursDayCounter, self.hours),
            (AnswerHoursMonthCounter, by_month(self.hours)),
        ):
            sink.add_counters(model, changes)
        for kept in (self.daily, self.open, self.tickets, self.hours):
            kept.clear()


def by_month(changes: dict[Key, Counter[str]]) -> dict[Key, Counter[str]]:
    """Day-keyed changes summed by the month of the day (the key's first part)."""
    out: dict[Key, Counter[str]] = defaultdict(Counter)
    for key, values in changes.items():
        out[(key[0].replace(day=1), *key[1:])].update(values)
    return out
