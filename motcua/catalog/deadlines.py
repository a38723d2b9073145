"""When a dossier submitted through one of a procedure's methods is due (docs/rules/deadlines.md
"The statutory due moment"): the one place that turns a method's processing time into a due moment,
used by the public API, the portal's procedure page and reception."""

from __future__ import annotations

import datetime as dt

from motcua.catalog.models import ExecutionMethod, Procedure
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.deadlines import TimeUnit, compute_due_at


def method_due_at(
    procedure: Procedure,
    method: ExecutionMethod,
    *,
    received_at: dt.datetime,
    calendar: WorkCalendar,
) -> dt.datetime | None:
    """The due moment, or None where the method's processing time is unknown."""
    if method.time_value is None or not method.time_unit:
        return None
    return compute_due_at(
        calendar,
        received_at=received_at,
        value=method.time_value,
        unit=TimeUnit(method.time_unit),
        cutoff=procedure.same_day_cutoff,
    )
