"""Reference implementation of working-time arithmetic, for tests and benchmarks only.

Deliberately slow and obviously right: it walks the clock minute by minute, asking
``WorkCalendar.periods_on`` about each local day, and shares no code with ``hours``. The
property tests compare ``hours`` with it, and ``bench/workcalendar.py`` measures how much faster
``hours`` is. Never use it in the product.

Exact for whole-minute moments and periods in zones without DST shifts over the walked span
(Asia/Ho_Chi_Minh has had none since 1975): it counts in local wall-clock minutes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from motcua.workcalendar.calendar import WorkCalendar

_MINUTES_PER_DAY = 24 * 60


def _minute_ranges(cal: WorkCalendar, day: date) -> list[tuple[int, int]]:
    ranges = []
    for start, end in cal.periods_on(day):
        if start.second or start.microsecond or end.second or end.microsecond:
            raise ValueError("the oracle only handles whole-minute periods")
        ranges.append((start.hour * 60 + start.minute, end.hour * 60 + end.minute))
    return ranges


def _local_minute(cal: WorkCalendar, at: datetime) -> tuple[date, int]:
    if at.tzinfo is None:
        raise ValueError("naive datetime")
    local = at.astimezone(cal.tz)
    if local.second or local.microsecond:
        raise ValueError("the oracle only handles whole-minute moments")
    return local.date(), local.hour * 60 + local.minute


def _moment(cal: WorkCalendar, day: date, minute: int) -> datetime:
    return datetime.combine(day, time(0), cal.tz) + timedelta(minutes=minute)


def oracle_add_working_minutes(cal: WorkCalendar, start: datetime, minutes: int) -> datetime:
    """The end of the ``minutes``-th working minute from ``start`` (0: first working minute)."""
    if minutes < 0:
        raise ValueError("negative amount")
    day, minute = _local_minute(cal, start)
    ranges = _minute_ranges(cal, day)
    counted = 0
    while True:
        if minute == _MINUTES_PER_DAY:
            day, minute = day + timedelta(days=1), 0
            ranges = _minute_ranges(cal, day)
        if any(lo <= minute < hi for lo, hi in ranges):
            if minutes == 0:
                return _moment(cal, day, minute)
            counted += 1
            if counted == minutes:
                return _moment(cal, day, minute + 1)
        minute += 1


def oracle_working_minutes_between(cal: WorkCalendar, start: datetime, end: datetime) -> int:
    """Working minutes in ``[start, end)``, counted one by one."""
    day, minute = _local_minute(cal, start)
    end_day, end_minute = _local_minute(cal, end)
    ranges = _minute_ranges(cal, day)
    counted = 0
    while (day, minute) < (end_day, end_minute):
        if minute == _MINUTES_PER_DAY:
            day, minute = day + timedelta(days=1), 0
            ranges = _minute_ranges(cal, day)
            continue
        if any(lo <= minute < hi for lo, hi in ranges):
            counted += 1
        minute += 1
    return counted
