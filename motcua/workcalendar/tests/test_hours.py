"""Working-time arithmetic, the calendar value and its sources, with fixed datetimes."""

import pickle
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest

from motcua.workcalendar.calendar import (
    DEFAULT_WEEKLY_HOURS,
    VIETNAM_TZ,
    WeeklyHours,
    WorkCalendar,
)
from motcua.workcalendar.hours import (
    add_working_hours,
    is_working_time,
    next_working_start,
    working_hours_between,
)
from motcua.workcalendar.sources import build_calendar, known_makeup_workdays, national_days_off

CAL = build_calendar(extra_working_days=known_makeup_workdays())
H = timedelta(hours=1)


def at(y, mo, d, h=0, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=VIETNAM_TZ)


# --- is_working_time / next_working_start -------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (at(2025, 3, 4, 7), True),
        (at(2025, 3, 4, 6, 59, 59), False),
        (at(2025, 3, 4, 11, 29, 59), True),
        (at(2025, 3, 4, 11, 30), False),
        (at(2025, 3, 4, 13, 30), True),
        (at(2025, 3, 4, 17), False),
        (at(2025, 3, 8, 9), False),  # Saturday
        (at(2025, 4, 26, 9), True),  # make-up Saturday
        (at(2025, 9, 2, 9), False),  # National Day
    ],
)
def test_is_working_time(moment, working):
    assert is_working_time(CAL, moment) is working


def test_next_working_start_inside_working_time_is_the_moment_itself():
    assert next_working_start(CAL, at(2025, 3, 4, 9, 15, 30)) == at(2025, 3, 4, 9, 15, 30)


def test_period_end_is_exclusive_for_next_working_start():
    assert next_working_start(CAL, at(2025, 3, 4, 11, 30)) == at(2025, 3, 4, 13, 30)
    assert next_working_start(CAL, at(2025, 3, 7, 17)) == at(2025, 3, 10, 7)


def test_next_working_start_skips_tet_and_new_year():
    assert next_working_start(CAL, at(2025, 1, 24, 17)) == at(2025, 2, 3, 7)
    assert next_working_start(CAL, at(2025, 12, 31, 17)) == at(2026, 1, 2, 7)


# --- add_working_hours ------------------------------------------------------------------------


def test_amount_running_out_at_a_period_end_returns_that_end():
    assert add_working_hours(CAL, at(2025, 3, 4, 7), 4.5 * H) == at(2025, 3, 4, 11, 30)
    assert add_working_hours(CAL, at(2025, 3, 7, 13, 30), 3.5 * H) == at(2025, 3, 7, 17)


def test_start_outside_working_time_counts_from_the_next_period():
    assert add_working_hours(CAL, at(2025, 3, 4, 11, 45), H) == at(2025, 3, 4, 14, 30)
    assert add_working_hours(CAL, at(2025, 3, 8, 9), H) == at(2025, 3, 10, 8)


def test_zero_amount_is_the_next_working_start():
    assert add_working_hours(CAL, at(2025, 3, 4, 11, 30), timedelta(0)) == at(2025, 3, 4, 13, 30)
    assert add_working_hours(CAL, at(2025, 3, 4, 9), timedelta(0)) == at(2025, 3, 4, 9)


def test_across_the_year_boundary():
    # Wed 31/12/2025 1 h; Thu 01/01/2026 off; Fri 02/01 4.5 h + 2.5 h.
    assert add_working_hours(CAL, at(2025, 12, 31, 16), 8 * H) == at(2026, 1, 2, 16)


def test_a_whole_year_of_working_time():
    # 2025: 261 weekdays - 12 weekday holidays + Sat 26/04 = 250 working days.
    assert working_hours_between(CAL, at(2025, 1, 1), at(2026, 1, 1)) == 2000 * H
    assert add_working_hours(CAL, at(2025, 1, 1), 2000 * H) == at(2025, 12, 31, 17)


def test_seconds_and_microseconds_are_kept():
    start = at(2025, 3, 4, 9).replace(microsecond=123456) + timedelta(seconds=7)
    assert add_working_hours(CAL, start, H) == start + H


def test_far_years_compute_lazily():
    # No national holidays are loaded outside 2015–2035: plain weekdays.
    assert add_working_hours(CAL, at(1990, 12, 31, 16), 8 * H) == at(1991, 1, 1, 16)
    assert add_working_hours(CAL, at(2100, 3, 5, 16), 8 * H) == at(2100, 3, 8, 16)


def test_months_of_working_time():
    # 03/06–31/12/2024: 152 weekdays - 02/09, 03/09 = 150 days; then 2025's 250 days.
    got = add_working_hours(CAL, at(2024, 6, 3, 7), 400 * 8 * H)
    assert got == at(2025, 12, 31, 17)
    assert working_hours_between(CAL, at(2024, 6, 3, 7), got) == 400 * 8 * H


def test_results_are_in_the_calendar_timezone():
    got = add_working_hours(CAL, datetime(2025, 3, 4, 2, 0, tzinfo=UTC), H)  # 09:00 local
    assert got == at(2025, 3, 4, 10)
    assert got.tzinfo == VIETNAM_TZ


def test_naive_datetimes_and_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        add_working_hours(CAL, datetime(2025, 3, 4, 9), H)
    with pytest.raises(ValueError):
        is_working_time(CAL, datetime(2025, 3, 4, 9))
    with pytest.raises(ValueError):
        add_working_hours(CAL, at(2025, 3, 4, 9), -H)


def test_a_calendar_without_working_time_left_says_so():
    empty = WorkCalendar(weekly=WeeklyHours(periods=((),) * 7))
    with pytest.raises(ValueError, match="no more working time"):
        add_working_hours(empty, at(2025, 3, 4, 9), H)


# --- working_hours_between --------------------------------------------------------------------


def test_between_counts_only_working_time():
    assert working_hours_between(CAL, at(2025, 3, 4, 11), at(2025, 3, 4, 14)) == H
    assert working_hours_between(CAL, at(2025, 3, 7, 16), at(2025, 3, 10, 16)) == 8 * H


def test_between_is_zero_when_end_is_not_after_start():
    assert working_hours_between(CAL, at(2025, 3, 4, 10), at(2025, 3, 4, 9)) == timedelta(0)
    assert working_hours_between(CAL, at(2025, 3, 4, 10), at(2025, 3, 4, 10)) == timedelta(0)


# --- the calendar value -------------------------------------------------------------------------


def test_weekly_hours_are_validated():
    with pytest.raises(ValueError):
        WeeklyHours(periods=((),) * 6)
    with pytest.raises(ValueError):
        WeeklyHours.on_days([(time(7), time(12)), (time(11), time(17))])
    with pytest.raises(ValueError):
        WeeklyHours.on_days([(time(13), time(17)), (time(7), time(11))])
    with pytest.raises(ValueError):
        WeeklyHours.on_days([(time(9), time(9))])


def test_touching_periods_behave_as_one():
    cal = WorkCalendar(weekly=WeeklyHours.on_days([(time(7), time(12)), (time(12), time(16))]))
    assert is_working_time(cal, at(2025, 3, 4, 12))
    assert add_working_hours(cal, at(2025, 3, 4, 7), 5 * H) == at(2025, 3, 4, 12)


def test_a_date_both_off_and_working_is_off():
    sat = date(2025, 4, 26)
    cal = WorkCalendar(days_off=frozenset({sat}), working_days=frozenset({sat}))
    assert cal.periods_on(sat) == ()


def test_days_must_be_dates_not_datetimes():
    with pytest.raises(TypeError):
        WorkCalendar(days_off=frozenset({at(2025, 4, 30)}))


def test_calendar_is_a_hashable_value_and_its_compiled_tables_do_not_leak():
    add_working_hours(CAL, at(2025, 3, 4, 9), H)
    copy = pickle.loads(pickle.dumps(CAL))  # noqa: S301 (our own bytes)
    assert copy == CAL and hash(copy) == hash(CAL)
    assert copy._memo == {}
    assert replace(CAL, tz=VIETNAM_TZ) == CAL


# --- sources ------------------------------------------------------------------------------------


def test_national_days_off_2025_in_vietnamese():
    days = national_days_off([2025])
    assert days[date(2025, 1, 29)] == "Tết Nguyên Đán"
    assert days[date(2025, 9, 2)] == "Quốc khánh"
    assert {date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2), date(2025, 9, 1)} <= set(days)


def test_known_makeup_workdays_agree_with_the_holidays_package():
    shipped = set(known_makeup_workdays())
    package = holidays.country_holidays("VN", years=range(2020, 2028)).weekend_workdays
    assert shipped == {d for d in package if 2020 <= d.year <= 2027}
    assert date(2025, 4, 26) in shipped


def test_build_calendar_precedence():
    holiday, saturday = date(2025, 9, 2), date(2025, 3, 8)
    cal = build_calendar(
        extra_days_off=[date(2025, 3, 4), saturday],
        extra_working_days=[holiday, saturday],
        years=[2025],
    )
    assert cal.periods_on(date(2025, 3, 4)) == ()
    assert cal.periods_on(saturday) == ()  # extra day off beats extra working day
    assert cal.periods_on(holiday) == DEFAULT_WEEKLY_HOURS.periods[0]  # local decision wins
    assert cal.periods_on(date(2025, 9, 1)) == ()


def test_postponing_by_nothing_keeps_a_due_moment_at_a_period_end():
    from motcua.workcalendar.hours import postpone

    friday_end = at(2025, 3, 7, 17)
    assert postpone(CAL, friday_end, timedelta(0)) == friday_end
    assert postpone(CAL, at(2025, 3, 4, 11, 30), timedelta(0)) == at(2025, 3, 4, 11, 30)
    # An hour more from Friday 17:00 counts on Monday morning.
    assert postpone(CAL, friday_end, timedelta(hours=1)) == at(2025, 3, 10, 8)
    # Running out exactly at a period's end gives that end, not the next start.
    assert postpone(CAL, at(2025, 3, 4, 10, 30), timedelta(hours=1)) == at(2025, 3, 4, 11, 30)
    with pytest.raises(ValueError):
        postpone(CAL, friday_end, timedelta(hours=-1))
