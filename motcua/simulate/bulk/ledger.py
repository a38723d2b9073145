"""What a chunk of bulk rows shares besides the rows: primary keys reserved ahead, the next
number of each day's codes, and the counters the chunk's actions would have bumped
(docs/simulate.md "Bulk mode").

Everything here is merged into the database in the chunk's own transaction, so a run that
stops between chunks leaves counters and code sequences that agree with the rows it wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from motcua.dossiers.models import DailyCounter, DailySequence, OpenCounter
from motcua.dossiers.models.counters import DAILY_FIELDS
from motcua.hotline.models import TicketSequence
from motcua.simulate.bulk.sink import Sink, Table

ID_BLOCK = 5_000


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
    """The counter changes of one chunk, as the actions would have bumped them."""

    def __init__(self) -> None:
        self.daily: dict[Key, Counter[str]] = defaultdict(Counter)
        self.open: dict[Key, Counter[str]] = defaultdict(Counter)

    def bump_daily(self, day: dt.date, unit: int, agency: int, procedure: int, name: str) -> None:
        self.daily[(day, unit, agency, procedure)][name] += 1

    def bump_open(self, unit: int, agency: int, procedure: int, *, overdue: bool, by: int) -> None:
        self.open[(unit, agency, procedure)]["past_due" if overdue else "within_due"] += by

    def flush(self, sink: Sink) -> None:
        sink.upsert(
            DailyCounter._meta.db_table,
            ["day", "unit_id", "agency_id", "procedure_id"],
            list(DAILY_FIELDS),
            _rows(self.daily, DAILY_FIELDS),
        )
        sink.upsert(
            OpenCounter._meta.db_table,
            ["unit_id", "agency_id", "procedure_id"],
            ["within_due", "past_due"],
            _rows(self.open, ("within_due", "past_due")),
        )
        self.daily.clear()
        self.open.clear()


def _rows(counts: dict[Key, Counter[str]], names: Iterable[str]) -> list[tuple[Any, ...]]:
    names = tuple(names)
    return [
        (*key, *(values[n] for n in names))
        for key, values in sorted(counts.items(), key=lambda item: str(item[0]))
        if any(values.values())
    ]
