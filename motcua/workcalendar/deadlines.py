"""The appointment (due) moment of a dossier: "hẹn trả" on Form 01.

Rules (docs/rules/deadlines.md "The statutory due moment"; the one-stop mechanism of Decree
118/2025/NĐ-CP, formerly Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP):

- Counting starts at reception; a dossier received outside working time counts from the start
  of the next working period. With a same-day ``cutoff`` (configured per procedure), a dossier
  received on a working day at or after the cut-off counts from the first period of the next
  working day.
- Working days (``ngày làm việc``): N × 8 working hours from that start, counting only working
  time (``hours.add_working_hours``). Received Friday 16:00, 1 working day: 1 h on Friday,
  4.5 h Monday morning, 2.5 h Monday afternoon, due Monday 16:00. An amount that runs out
  exactly at a period's end is due at that end (17:00, not 07:00 the next working day).
- Working hours: N working hours, the same way.
- Calendar days: N × 24 h of elapsed time from that start (DST would not stretch a day;
  Asia/Ho_Chi_Minh has none); a due moment outside working time (weekend, holiday, night,
  lunch break, or exactly a period's end) moves to the start of the next working period, and
  one inside working time (a make-up Saturday included) stays.

Fractional values (0.5 working day = 4 working hours) are allowed; negative ones are not.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.hours import add_working_seconds_epoch, next_working_start_epoch

WORKING_DAY_HOURS = 8  # "one working day = 8 working hours" (docs/rules/deadlines.md)


class TimeUnit(StrEnum):
    WORKING_DAY = "working_day"  # ngày làm việc: 8 working hours each
    DAY = "day"  # ngày (calendar day): 24 h of elapsed time
    HOUR = "hour"  # giờ làm việc: one working hour


_SECONDS_PER_UNIT = {
    TimeUnit.WORKING_DAY: WORKING_DAY_HOURS * 3600,
    TimeUnit.DAY: 24 * 3600,
    TimeUnit.HOUR: 3600,
}


def _amount_seconds(value: Decimal | int | float, per_unit: int) -> float:
    if type(value) is int:  # the common case first: statutory times are whole numbers
        seconds = float(value * per_unit)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"processing time must be a finite number, got {value}")
        seconds = round(float(value * per_unit), 6)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(f"processing time must be a finite number, got {value}")
        seconds = round(float(value) * per_unit, 6)
    else:
        raise TypeError(f"processing time must be a Decimal, int or float, got {value!r}")
    if seconds < 0:
        raise ValueError(f"processing time must not be negative, got {value}")
    return seconds


def _start_epoch(cal: WorkCalendar, received_at: datetime, cutoff: time | None) -> float:
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError(f"naive datetime {received_at!r}: reception needs a timezone")
    t = received_at.timestamp()
    if cutoff is not None:
        if cutoff.tzinfo is not None:
            raise ValueError("cutoff is a local wall-clock time, without tzinfo")
        local = received_at.astimezone(cal.tz)
        day = local.date()
        if local.time() >= cutoff and cal.is_working_day(day):
            next_midnight = datetime.combine(day + timedelta(days=1), time(0), cal.tz)
            return next_working_start_epoch(cal, next_midnight.timestamp())
    return next_working_start_epoch(cal, t)


def counting_starts_at(
    cal: WorkCalendar, *, received_at: datetime, cutoff: time | None = None
) -> datetime:
    """When the clock starts for a dossier received at ``received_at`` (see the module rules)."""
    return datetime.fromtimestamp(_start_epoch(cal, received_at, cutoff), cal.tz)


def compute_due_at(
    cal: WorkCalendar,
    *,
    received_at: datetime,
    value: Decimal | int | float,
    unit: TimeUnit,
    cutoff: time | None = None,
) -> datetime:
    """The due moment of ``value`` ``unit``s of processing time, per the module's rules.

    ``received_at`` must be timezone-aware; the result is in ``cal.tz``. A zero value gives
    the counting start. Raises ``ValueError`` on a negative or non-finite value, an unknown
    unit or a naive datetime.
    """
    per_unit = _SECONDS_PER_UNIT.get(unit)
    if per_unit is None:
        raise ValueError(f"unknown time unit {unit!r}")
    seconds = _amount_seconds(value, per_unit)
    start = _start_epoch(cal, received_at, cutoff)
    if unit == TimeUnit.DAY:
        due = next_working_start_epoch(cal, start + seconds)
    elif seconds:
        due = add_working_seconds_epoch(cal, start, seconds)
    else:
        due = start
    return datetime.fromtimestamp(due, cal.tz)
