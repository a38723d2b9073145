"""Where a dossier stands in the stock the indicators judge at a period's end, and the counter
moves that keep that stock exact for every past day (docs/rules/indicators.md "The stock at
a period's end").

Decision 766 judges a dossier still open when a period ends at that moment: past its due
moment, it counts late. To answer that for any past day from counters, each change of a
dossier's standing is written as signed moves on the days it takes effect: an open dossier
due on day D adds one to ``open_change`` on the day it opens and one to ``open_late_change``
on day D (in the future, most often); closing it, pausing it or moving its due day takes both
back from the day that happens, or from D if that is later. The sum of a field's moves over
every day up to a day's end is then the number of dossiers in that standing at that day's
end. A dossier due during day D is past due at D's end, which is what "due day ≤ D" says.

The standing is a pure function of the dossier's row (status, due moment, when its clock
stopped), so the actions, the bulk simulator and the recount compute it the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from motcua.dossiers.status import ACTIVE, PAUSED

STOCK_FIELDS = ("open_change", "open_late_change", "paused_change", "paused_late_change")

OPEN = "open"
# The due day of a dossier late whatever its due moment says (apologised for).
ALREADY_LATE = dt.date(2000, 1, 1)
PAUSED_WITHIN = "paused"
PAUSED_LATE = "paused_late"


@dataclass(frozen=True)
class Standing:
    """``kind`` is "" (not in progress), "open", "paused" or "paused_late"; ``due`` is the
    due day of an open dossier (None when it has no due moment)."""

    kind: str = ""
    due: dt.date | None = None

    def encode(self) -> str:
        """The form kept in an event's data: "open:2026-12-05", "paused", ""."""
        if self.kind == OPEN and self.due is not None:
            return f"{OPEN}:{self.due.isoformat()}"
        return self.kind

    @classmethod
    def decode(cls, text: str) -> Standing:
        kind, _, due = text.partition(":")
        return cls(kind, dt.date.fromisoformat(due) if due else None)

    @property
    def in_progress(self) -> bool:
        return bool(self.kind)


NOWHERE = Standing()


def standing(
    status: str,
    due_at: dt.datetime | None,
    paused_at: dt.datetime | None,
    zone: dt.tzinfo,
    *,
    finished: bool = False,
    apologised: bool = False,
) -> Standing:
    """A dossier's standing from its row. A dossier with its result ready (or stopped) never
    comes back into the stock, even while it waits for fees. A paused dossier is late if its
    clock stopped after the due moment; an apologised one (Form 04) is late from the apology
    on, whatever its new date, as the judgement will say."""
    if status not in ACTIVE or finished:
        return NOWHERE
    if status in PAUSED:
        late = apologised or (due_at is not None and paused_at is not None and paused_at > due_at)
        return Standing(PAUSED_LATE if late else PAUSED_WITHIN)
    if apologised:
        return Standing(OPEN, ALREADY_LATE)
    return Standing(OPEN, due_at.astimezone(zone).date() if due_at is not None else None)


def moves(before: Standing, after: Standing, day: dt.date) -> Iterator[tuple[dt.date, str, int]]:
    """The counter moves (day, field, ±1) of a change of standing on ``day``."""
    if before == after:
        return
    for standing_, sign in ((before, -1), (after, 1)):
        if standing_.kind == OPEN:
            yield day, "open_change", sign
            if standing_.due is not None:
                yield max(day, standing_.due), "open_late_change", sign
        elif standing_.kind in (PAUSED_WITHIN, PAUSED_LATE):
            yield day, "paused_change", sign
            if standing_.kind == PAUSED_LATE:
                yield day, "paused_late_change", sign


def judged_in_time(
    *,
    moment: dt.datetime,
    due_at: dt.datetime | None,
    apologised: bool,
    supplements: int,
) -> bool:
    """The national judgement of a dossier that stops being in progress (result ready,
    returned, stopped, refused) at ``moment`` (when its clock stopped, if it was paused): in
    time if by its due moment, supplement time excluded (the due moment already moved by it),
    never after an apology (Form 04), and never with more than one supplement request."""
    if apologised or supplements > 1:
        return False
    return due_at is None or moment <= due_at
