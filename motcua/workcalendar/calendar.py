"""Immutable calendar values: when an agency works.

A ``WorkCalendar`` is a plain value (hashable, comparable, safe to share between threads): the
weekly working hours, the dates that are off, and the make-up working dates. Nothing here
touches the database; ``sources.build_calendar`` fills it from the national holidays and
``store.calendar_for`` from the province's decisions. The arithmetic over it is in ``hours``.

Rules (docs/rules/deadlines.md "Working time"):

- working hours are configurable per agency; the default is 07:00–11:30 and 13:30–17:00,
  Monday to Friday, Asia/Ho_Chi_Minh;
- a date in ``days_off`` (public holiday, compensatory day, local decision) has no working time;
- a date in ``working_days`` (a make-up working Saturday such as 26/04/2025) works the
  ``makeup_periods``, whatever its weekday;
- a date in both is **off**. The conflict is a data error; reading it as closed never puts a
  due moment on a day the desk may be shut.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

Period = tuple[time, time]
DayPeriods = tuple[Period, ...]

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _normalise_day(periods: Iterable[Iterable[time]], where: str) -> DayPeriods:
    """Tuples of ``(start, end)``, checked: naive times, start < end, sorted, no overlap.

    Touching periods (one ends when the next starts) are allowed and behave as one period.
    A period cannot run to midnight (``end`` is a time of the same day, at most 23:59:59).
    """
    out: list[Period] = []
    for raw in periods:
        pair = tuple(raw)
        if len(pair) != 2 or not all(isinstance(t, time) for t in pair):
            raise ValueError(f"{where}: a period is a (start, end) pair of times, got {raw!r}")
        start, end = pair
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"{where}: period times are local wall-clock times, without tzinfo")
        if not start < end:
            raise ValueError(f"{where}: period {start:%H:%M:%S}–{end:%H:%M:%S} is empty")
        if out and start < out[-1][1]:
            raise ValueError(f"{where}: periods must be sorted and must not overlap")
        out.append((start, end))
    return tuple(out)


@dataclass(frozen=True)
class WeeklyHours:
    """Working periods per weekday, Monday = 0 … Sunday = 6.

    Each weekday holds a tuple of ``(start, end)`` local times, sorted and non-overlapping;
    ``end`` is exclusive (at 11:30 the morning period is over). Lists are accepted and frozen
    to tuples so the value stays hashable.
    """

    periods: tuple[DayPeriods, ...]

    def __post_init__(self) -> None:
        days = tuple(self.periods)
        if len(days) != 7:
            raise ValueError(f"WeeklyHours needs 7 weekdays (Monday first), got {len(days)}")
        normalised = tuple(_normalise_day(day, f"weekday {i}") for i, day in enumerate(days))
        object.__setattr__(self, "periods", normalised)

    @classmethod
    def on_days(cls, periods: Iterable[Period], days: Iterable[int] = range(5)) -> WeeklyHours:
        """The same ``periods`` on each weekday in ``days`` (default Monday–Friday)."""
        same = _normalise_day(periods, "periods")
        chosen = set(days)
        return cls(periods=tuple(same if d in chosen else () for d in range(7)))


DEFAULT_WEEKLY_HOURS = WeeklyHours.on_days(
    ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
)


@dataclass(frozen=True)
class WorkCalendar:
    """When an agency works. ``days_off`` wins over ``working_days`` for a date in both."""

    weekly: WeeklyHours = DEFAULT_WEEKLY_HOURS
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    makeup_periods: DayPeriods = DEFAULT_WEEKLY_HOURS.periods[0]
    tz: ZoneInfo = VIETNAM_TZ
    # Compiled interval tables that ``hours`` attaches lazily; not part of the value, so left
    # out of equality, hashing, repr and pickles.
    _memo: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        for name in ("days_off", "working_days"):
            days = frozenset(getattr(self, name))
            # A datetime is a date subclass but would never equal the dates looked up.
            if any(type(d) is not date for d in days):
                raise TypeError(f"WorkCalendar.{name} must contain datetime.date values only")
            object.__setattr__(self, name, days)
        object.__setattr__(
            self, "makeup_periods", _normalise_day(self.makeup_periods, "makeup_periods")
        )
        if not isinstance(self.weekly, WeeklyHours):
            raise TypeError("WorkCalendar.weekly must be a WeeklyHours")
        if not isinstance(self.tz, ZoneInfo):
            raise TypeError("WorkCalendar.tz must be a zoneinfo.ZoneInfo")

    def periods_on(self, day: date) -> DayPeriods:
        """The working periods of ``day``: none if off, the make-up periods, or the weekday's."""
        if day in self.days_off:
            return ()
        if day in self.working_days:
            return self.makeup_periods
        return self.weekly.periods[day.weekday()]

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` has any working period."""
        return bool(self.periods_on(day))

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_memo"] = {}
        return state
