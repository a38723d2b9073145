"""The figures the service-quality indicators of Decision 766/QĐ-TTg take from the 1022
hotline's feedback and petitions (phản ánh, kiến nghị, Decree 20/2008/NĐ-CP): handled within
15 working days, declined within 2, the citizen asked for details within 5, the result
published within 2 working days of the answer; and the hotline's satisfaction.

Read from the hotline's counters (docs/architecture.md rule 9; what each counts:
docs/rules/indicators.md "Feedback indicators"): the whole months of the period from the
monthly rows, the days at its edges from the daily ones (``periods.py``), in one query per
table whatever the number of tickets. A ticket belongs to the period it was received in
(Asia/Ho_Chi_Minh days); merged duplicates count nowhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import Q, Sum

from motcua.hotline.models import TicketDayCounter, TicketMonthCounter
from motcua.hotline.models.counters import FEEDBACK_FIELDS
from motcua.reports.periods import cover, totals

# Satisfaction is the hotline's as a whole: every kind of ticket the citizen rated.
SATISFACTION_FIELDS = ("rated", "rated_high")
FIGURES = (*FEEDBACK_FIELDS, *SATISFACTION_FIELDS)


def feedback_figures(
    start: dt.date, end: dt.date, *, agency_ids: Collection[int] | None = None
) -> dict[str, int]:
    """The feedback indicators' counts for tickets received from ``start`` to ``end``
    (inclusive): ``handled``/``handled_in_time``, ``declined``/``declined_in_time``,
    ``asked``/``asked_in_time``, ``published``/``published_in_time`` (feedback and petitions
    only), ``rated``/``rated_high`` (tickets of every kind rated, and rated 4 or 5).

    ``agency_ids``: only the tickets those agencies hold; None for the whole province,
    the tickets still at 1022 included. An empty period (start after end) is all zeros."""
    if start > end:
        return dict.fromkeys(FIGURES, 0)
    where = None if agency_ids is None else Q(agency_id__in=list(agency_ids))
    found = totals(
        cover(start, end),
        by_day=TicketDayCounter,
        by_month=TicketMonthCounter,
        group=(),
        sums={name: Sum(name) for name in FIGURES},
        where=where,
    )
    row = found.get((), {})
    return {name: int(row.get(name, 0)) for name in FIGURES}
