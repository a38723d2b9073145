"""Build the working calendar of an agency from the national holidays and the database.

``calendar_for`` is called on every due-date computation, so the compiled calendar is kept in
the process and rebuilt only when the overrides or working periods change: saving or deleting
one touches the reference stamp (``core/reference.py``, watched in ``apps.py``), which every
process checks before it trusts its copy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from motcua.core.reference import ProcessCache
from motcua.org.models import Agency
from motcua.workcalendar.calendar import DEFAULT_WEEKLY_HOURS, WeeklyHours, WorkCalendar
from motcua.workcalendar.models import CalendarOverride, OverrideKind, WorkingPeriod
from motcua.workcalendar.sources import build_calendar

_calendars: ProcessCache[int | None, WorkCalendar] = ProcessCache("calendars")


def _scope(agency_id: int | None) -> Q:
    """Province-wide rows, plus the agency's own."""
    provincewide = Q(agency__isnull=True)
    return provincewide if agency_id is None else provincewide | Q(agency_id=agency_id)


def _weekly_hours(agency_id: int | None) -> WeeklyHours:
    periods = WorkingPeriod.objects.order_by("weekday", "start")
    rows = list(periods.filter(agency__isnull=True))
    if agency_id is not None:
        rows = list(periods.filter(agency_id=agency_id)) or rows
    if not rows:
        return DEFAULT_WEEKLY_HOURS
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for row in rows:
        by_day[row.weekday].append((row.start, row.end))
    return WeeklyHours(periods=tuple(tuple(by_day.get(day, [])) for day in range(7)))


def _build(agency_id: int | None) -> WorkCalendar:
    decided: dict[dt.date, str] = {}
    # Province-wide rows first, then the agency's own, so the agency's decision wins.
    rows = CalendarOverride.objects.filter(_scope(agency_id))
    for row in sorted(rows, key=lambda r: r.agency_id is not None):
        decided[row.day] = row.kind
    return build_calendar(
        weekly=_weekly_hours(agency_id),
        extra_days_off=[day for day, kind in decided.items() if kind == OverrideKind.DAY_OFF],
        extra_working_days=[
            day for day, kind in decided.items() if kind == OverrideKind.WORKING_DAY
        ],
    )


def calendar_for(agency: Agency | int | None = None) -> WorkCalendar:
    """The calendar that times work at ``agency`` (``None``: the province's default)."""
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return _calendars.get(agency_id, lambda: _build(agency_id))
