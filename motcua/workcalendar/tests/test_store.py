"""The province's calendar decisions in the database, layered over the national holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.org.models import Agency
from motcua.workcalendar.deadlines import TimeUnit, compute_due_at
from motcua.workcalendar.hours import is_working_time
from motcua.workcalendar.models import CalendarOverride, OverrideKind, WorkingPeriod
from motcua.workcalendar.store import calendar_for

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def test_make_up_saturday_from_the_database_is_working_time():
    assert is_working_time(calendar_for(), at(2025, 4, 26, 9, 0))


def test_a_provincial_day_off_is_picked_up_without_restart():
    assert is_working_time(calendar_for(), at(2026, 12, 3, 9, 0))
    CalendarOverride.objects.create(
        day=dt.date(2026, 12, 3), kind=OverrideKind.DAY_OFF, name="Nghỉ theo quyết định của tỉnh"
    )
    assert not is_working_time(calendar_for(), at(2026, 12, 3, 9, 0))


def test_an_agency_decision_applies_to_that_agency_only():
    agency = Agency.objects.get(name="Sở Tư pháp")
    CalendarOverride.objects.create(
        day=dt.date(2026, 12, 3), kind=OverrideKind.DAY_OFF, name="Nghỉ", agency=agency
    )
    assert not is_working_time(calendar_for(agency), at(2026, 12, 3, 9, 0))
    assert is_working_time(calendar_for(), at(2026, 12, 3, 9, 0))


def test_an_agency_with_its_own_hours_uses_only_them():
    agency = Agency.objects.get(name="Sở Tư pháp")
    for weekday in range(5):
        WorkingPeriod.objects.create(
            agency=agency, weekday=weekday, start=dt.time(7, 30), end=dt.time(16, 30)
        )
    calendar = calendar_for(agency)
    assert is_working_time(calendar, at(2026, 12, 2, 12, 0))  # no lunch break there
    assert not is_working_time(calendar, at(2026, 12, 2, 7, 0))
    # One working day from Wednesday 07:30 at 9 h a day minus nothing: 8 h → 15:30.
    due = compute_due_at(
        calendar, received_at=at(2026, 12, 2, 7, 30), value=1, unit=TimeUnit.WORKING_DAY
    )
    assert due == at(2026, 12, 2, 15, 30)
    assert not is_working_time(calendar_for(), at(2026, 12, 2, 12, 0))


def test_unchanged_database_reuses_the_compiled_calendar():
    assert calendar_for() is calendar_for()
