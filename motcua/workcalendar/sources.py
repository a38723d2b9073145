"""Where calendars come from: the national holidays and the known make-up working days.

National days off (docs/rules/deadlines.md "Working time") come from the ``holidays`` package's
Vietnam calendar: Tết Dương lịch, Tết Nguyên đán, Giỗ Tổ Hùng Vương (10/3 lunar), 30/4, 1/5, 2/9 and
its adjacent day (since 2021), 24/11 (since 2026), compensatory days (nghỉ bù) and the weekdays
swapped away by government notices. The package does not count the make-up Saturdays as working
days; the known ones ship in ``data/makeup_workdays.csv`` (provenance in ``data/README.md``) and a
province's own decisions come from the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from importlib.resources import files

import holidays

from motcua.workcalendar.calendar import (
    DEFAULT_WEEKLY_HOURS,
    DayPeriods,
    WeeklyHours,
    WorkCalendar,
)

DEFAULT_YEARS = range(2015, 2036)


def national_days_off(years: Iterable[int]) -> dict[date, str]:
    """National public holidays and compensatory days of ``years``, with Vietnamese names."""
    found = holidays.country_holidays("VN", years=list(years), language="vi")
    return dict(sorted(found.items()))


def known_makeup_workdays() -> dict[date, str]:
    """The make-up working Saturdays shipped with the product, with their Vietnamese names."""
    text = files("motcua.workcalendar").joinpath("data/makeup_workdays.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {date.fromisoformat(row["date"]): row["name_vi"] for row in rows}


def build_calendar(
    *,
    weekly: WeeklyHours = DEFAULT_WEEKLY_HOURS,
    extra_days_off: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
    years: Iterable[int] = DEFAULT_YEARS,
    makeup_periods: DayPeriods | None = None,
) -> WorkCalendar:
    """A calendar of ``weekly`` hours, the national days off of ``years`` and local overrides.

    Precedence, most specific first: ``extra_days_off`` > ``extra_working_days`` > national
    holidays > ``weekly``. A local decision to work on a national holiday is therefore honoured,
    and a date given both as an extra day off and an extra working day is off (as in
    ``WorkCalendar``). Make-up working days work ``makeup_periods``, by default ``weekly``'s
    Monday (or the default Monday if ``weekly`` has no Monday periods). Years outside
    ``years`` have no national holidays: widen it for far dates. Make-up Saturdays are not
    added implicitly; pass ``known_makeup_workdays()`` (and the province's) as
    ``extra_working_days``.
    """
    off = frozenset(extra_days_off)
    working = frozenset(extra_working_days) - off
    national = frozenset(national_days_off(years)) - working
    if makeup_periods is None:
        makeup_periods = weekly.periods[0] or DEFAULT_WEEKLY_HOURS.periods[0]
    return WorkCalendar(
        weekly=weekly,
        days_off=national | off,
        working_days=working,
        makeup_periods=makeup_periods,
    )
