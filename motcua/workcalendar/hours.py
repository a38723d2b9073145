"""Working-time arithmetic over a ``WorkCalendar``.

Only working time counts (docs/rules/deadlines.md "Working time"): the periods of
``WorkCalendar.periods_on``, each ``[start, end)`` in local time. All functions take timezone-aware
datetimes (naive ones raise ``ValueError``, since a wall-clock time alone is ambiguous between
servers) and return datetimes in ``cal.tz``.

Due dates are computed for every dossier listed, so this is the hot path: the calendar is
compiled lazily, per calendar, into one sorted table of working intervals as epoch seconds with
the cumulative working seconds before each one, and every question is answered with a
``bisect`` or two, never by stepping through minutes. The table covers a contiguous range of
years and grows (rarely) when a question falls outside it, so any year works (up to 9998; one
table spans at most 250 years) and amounts of months or years of working time cost the same as
an hour once compiled. Compiled
tables live on the calendar (``WorkCalendar._memo``); an update replaces the whole table in one
assignment, so concurrent readers always see a consistent one.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from datetime import MAXYEAR, date, datetime, timedelta
from itertools import accumulate

from motcua.workcalendar.calendar import WorkCalendar

_LAST_YEAR = MAXYEAR - 1  # a table covers whole years and ends at 1 January of the next one
_MAX_SPAN_YEARS = 250
_ONE_DAY = timedelta(days=1)


class _Timeline:
    """Merged working intervals ``[starts[i], ends[i])`` of the years ``first..last``.

    ``cum[i]``: working seconds from the table's beginning to the start of interval ``i``
    (``cum[-1]`` is the table's total). ``lo``..``hi`` is the covered span, from local midnight
    of 1 January of ``first`` to that of ``last + 1``.
    """

    __slots__ = ("cum", "ends", "first", "hi", "last", "lo", "n", "starts", "total")

    def __init__(self, cal: WorkCalendar, first: int, last: int) -> None:
        years: dict[int, tuple[list[float], list[float]]] = cal._memo.setdefault("years", {})
        starts: list[float] = []
        ends: list[float] = []
        for year in range(first, last + 1):
            table = years.get(year)
            if table is None:
                table = years[year] = _year_table(cal, year)
            starts += table[0]
            ends += table[1]
        self.cum = list(accumulate((e - s for s, e in zip(starts, ends, strict=True)), initial=0.0))
        self.total = self.cum[-1]
        self.n = len(starts)
        self.first, self.last = first, last
        self.lo = datetime(first, 1, 1, tzinfo=cal.tz).timestamp()
        self.hi = datetime(last + 1, 1, 1, tzinfo=cal.tz).timestamp()
        self.starts, self.ends = starts, ends


def _year_table(cal: WorkCalendar, year: int) -> tuple[list[float], list[float]]:
    tz = cal.tz
    starts: list[float] = []
    ends: list[float] = []
    day = date(year, 1, 1)
    while day.year == year:
        for start, end in cal.periods_on(day):
            a = datetime.combine(day, start, tz).timestamp()
            b = datetime.combine(day, end, tz).timestamp()
            if ends and a <= ends[-1]:
                # Touching periods are one: an amount running out at 11:30 of 07:00–11:30 +
                # 11:30–17:00 is not an end. "<" only happens on DST-shifted wall times.
                ends[-1] = max(ends[-1], b)
            elif a < b:
                starts.append(a)
                ends.append(b)
        day += _ONE_DAY
    return starts, ends


def _year_of(cal: WorkCalendar, t: float) -> int:
    try:
        year = datetime.fromtimestamp(t, cal.tz).year
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"moment {t!r} is outside the supported years") from exc
    if year > _LAST_YEAR:
        raise ValueError(f"year {year} is outside the supported years (1–{_LAST_YEAR})")
    return year


def _last_working_year(cal: WorkCalendar) -> int:
    """The last year that can hold working time; bounds the search for an amount's end."""
    if any(cal.weekly.periods):
        return _LAST_YEAR
    if not cal.makeup_periods:
        return 0
    return max((d.year for d in cal.working_days - cal.days_off), default=0)


def _grow(cal: WorkCalendar, old: _Timeline | None, first: int, last: int) -> _Timeline:
    """Cover ``first..last``, with the old table's years too unless that makes it too long.

    The cap keeps one stray far date (year 1, say) from compiling centuries of tables; such a
    question gets a fresh table of its own instead (the per-year tables stay cached).
    """
    last = min(last, _LAST_YEAR)
    if old is not None and max(last, old.last) - min(first, old.first) < _MAX_SPAN_YEARS:
        first, last = min(first, old.first), max(last, old.last)
    if last - first >= _MAX_SPAN_YEARS:
        raise ValueError(f"working time across more than {_MAX_SPAN_YEARS} years is not supported")
    timeline = _Timeline(cal, first, last)
    cal._memo["timeline"] = timeline
    return timeline


def _covering(cal: WorkCalendar, t: float) -> _Timeline:
    timeline: _Timeline | None = cal._memo.get("timeline")
    if timeline is not None and timeline.lo <= t < timeline.hi:
        return timeline
    year = _year_of(cal, t)
    # A fresh table also takes the next year: most due dates end there or earlier.
    return _grow(cal, timeline, year, year if timeline is not None else year + 1)


def _grow_forward(cal: WorkCalendar, timeline: _Timeline, t: float, missing: float) -> _Timeline:
    """Extend past ``t``'s table by enough years to hold ``missing`` more working seconds."""
    if timeline.last >= _last_working_year(cal):
        raise ValueError("the calendar has no more working time to count")
    per_year = timeline.total / (timeline.last - timeline.first + 1)
    more = math.ceil(missing / per_year) + 1 if per_year > 0 else 1
    return _grow(cal, timeline, _year_of(cal, t), timeline.last + more)


def _cum_at(timeline: _Timeline, t: float) -> float:
    """Working seconds from the table's beginning to ``t`` (``lo <= t < hi``)."""
    i = bisect_right(timeline.ends, t)
    if i < timeline.n and timeline.starts[i] < t:
        return timeline.cum[i] + (t - timeline.starts[i])
    return timeline.cum[i]


def _epoch(at: datetime) -> float:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at!r}: working time needs a timezone-aware moment")
    return at.timestamp()


def next_working_start_epoch(cal: WorkCalendar, t: float) -> float:
    """``next_working_start`` on epoch seconds, for callers that batch many computations."""
    timeline = _covering(cal, t)
    while True:
        i = bisect_right(timeline.ends, t)
        if i < timeline.n:
            start = timeline.starts[i]
            return t if start <= t else start
        timeline = _grow_forward(cal, timeline, t, 1.0)


def add_working_seconds_epoch(cal: WorkCalendar, t: float, seconds: float) -> float:
    """``add_working_hours`` on epoch seconds; ``seconds`` must be > 0."""
    timeline = _covering(cal, t)
    while True:
        target = _cum_at(timeline, t) + seconds
        if target <= timeline.total:
            break
        timeline = _grow_forward(cal, timeline, t, target - timeline.total)
    # The first interval whose cumulative end reaches the target holds the result; an exact hit
    # on its end returns the end itself (11:30), not the next start (13:30).
    j = bisect_left(timeline.cum, target, 1)
    return timeline.ends[j - 1] - (timeline.cum[j] - target)


def is_working_time(cal: WorkCalendar, at: datetime) -> bool:
    """Whether ``at`` lies in a working period (start included, end excluded)."""
    t = _epoch(at)
    timeline = _covering(cal, t)
    i = bisect_right(timeline.ends, t)
    return i < timeline.n and timeline.starts[i] <= t


def next_working_start(cal: WorkCalendar, at: datetime) -> datetime:
    """``at`` itself when it is working time, else the start of the next working period.

    A period's end is not working time: at 11:30 the answer is 13:30 the same day, at 17:00 on
    a Friday 07:00 on Monday (or later, past holidays).
    """
    t = _epoch(at)
    found = next_working_start_epoch(cal, t)
    if found == t:
        return at.astimezone(cal.tz)
    return datetime.fromtimestamp(found, cal.tz)


def add_working_hours(cal: WorkCalendar, start: datetime, amount: timedelta) -> datetime:
    """The moment when ``amount`` of working time has elapsed since ``start``.

    Only working time counts; a ``start`` outside it counts from the next working period's
    start. When the amount runs out exactly at a period's end, that end is the answer (11:30,
    not 13:30; Friday 17:00, not Monday 07:00). A zero amount gives
    ``next_working_start(start)``. A negative amount raises ``ValueError``.
    """
    seconds = amount.total_seconds()
    if seconds < 0:
        raise ValueError(f"negative working time {amount}")
    t = _epoch(start)
    if seconds == 0:
        return next_working_start(cal, start)
    return datetime.fromtimestamp(add_working_seconds_epoch(cal, t, seconds), cal.tz)


def postpone(cal: WorkCalendar, due: datetime, amount: timedelta) -> datetime:
    """A due moment moved later by ``amount`` of working time (the clock was stopped that
    long: a supplement request, a payment).

    Unlike ``add_working_hours``, which counts from a reception and so starts at the next
    working period, this keeps the due moment's place in working time: nothing paused leaves
    it where it was (Monday 17:00 stays Monday 17:00, not Tuesday 07:00, the same working
    instant that every screen and form would show a day late), and an amount that runs out
    exactly at a period's end gives that end, never the next period's start.
    """
    seconds = amount.total_seconds()
    if seconds < 0:
        raise ValueError(f"negative working time {amount}")
    if seconds == 0:
        return due.astimezone(cal.tz)
    return add_working_hours(cal, due, amount)


def working_hours_between(cal: WorkCalendar, start: datetime, end: datetime) -> timedelta:
    """Working time elapsed from ``start`` to ``end``; zero when ``end <= start``.

    The inverse of ``add_working_hours``: for a positive amount ``a``,
    ``working_hours_between(cal, s, add_working_hours(cal, s, a)) == a``.
    """
    t1, t2 = _epoch(start), _epoch(end)
    if t2 <= t1:
        return timedelta(0)
    timeline = _covering(cal, t1)
    if t2 >= timeline.hi:
        timeline = _grow(cal, timeline, _year_of(cal, t1), _year_of(cal, t2))
    return timedelta(seconds=_cum_at(timeline, t2) - _cum_at(timeline, t1))
