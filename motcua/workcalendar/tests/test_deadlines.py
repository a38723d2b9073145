"""Due dates with fixed datetimes, checked by hand against the 2025/2026 holidays.

Holidays used (holidays 0.109, Vietnam): Tết 2025 Mon 27/01–Sat 01/02 (work resumes Mon
03/02); Tết 2026 Mon 16/02–Fri 20/02 (work resumes Mon 23/02); 30/4, 1/5 and the swapped Fri
02/05/2025 off, with Sat 26/04/2025 worked instead; Mon 01/09 and Tue 02/09/2025 off.
"""

from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from motcua.workcalendar.calendar import VIETNAM_TZ
from motcua.workcalendar.deadlines import TimeUnit, compute_due_at, counting_starts_at
from motcua.workcalendar.sources import build_calendar, known_makeup_workdays

CAL = build_calendar(extra_working_days=known_makeup_workdays())
WD, DAY, HOUR = TimeUnit.WORKING_DAY, TimeUnit.DAY, TimeUnit.HOUR


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VIETNAM_TZ)


def due(received_at, value, unit=WD, **kw):
    return compute_due_at(CAL, received_at=received_at, value=value, unit=unit, **kw)


def test_plain_case_domain_example_friday_1600():
    # 1 h Friday, 4.5 h Monday morning, 2.5 h Monday afternoon.
    assert due(at(2025, 3, 7, 16), 1) == at(2025, 3, 10, 16)


def test_plain_case_three_working_days_midweek():
    assert due(at(2025, 3, 5, 9), 3) == at(2025, 3, 10, 9)


def test_received_at_1659_counts_the_last_minute():
    # 1 min Tuesday + 4.5 h + 3 h 29 min Wednesday.
    assert due(at(2025, 3, 4, 16, 59), 1) == at(2025, 3, 5, 16, 59)


def test_received_at_1701_counts_from_next_morning_and_ends_at_period_end():
    assert due(at(2025, 3, 4, 17, 1), 1) == at(2025, 3, 5, 17, 0)


def test_received_at_lunch_counts_from_1330_and_ends_at_1130_not_1330():
    # 3.5 h Tuesday afternoon + 4.5 h Wednesday morning.
    assert due(at(2025, 3, 4, 12), 1) == at(2025, 3, 5, 11, 30)


def test_received_on_sunday_counts_from_monday_0700():
    assert due(at(2025, 3, 9, 10), 1) == at(2025, 3, 10, 17)


def test_received_just_before_tet_2025_is_due_after_it():
    # Fri 24/01 15:00–17:00 = 2 h; Mon 03/02 4.5 h + 1.5 h.
    assert due(at(2025, 1, 24, 15), 1) == at(2025, 2, 3, 15)


def test_received_just_before_tet_2026_is_due_after_it():
    # Fri 13/02 5 h; Mon 23/02 8 h; Tue 24/02 3 h.
    assert due(at(2026, 2, 13, 10), 2) == at(2026, 2, 24, 10)


def test_received_during_tet_2026_counts_from_the_first_day_back():
    assert due(at(2026, 2, 18, 9), 1) == at(2026, 2, 23, 17)


def test_makeup_saturday_26_04_2025_counts_as_working():
    # Fri 25/04 1 h; Sat 26/04 4.5 h + 2.5 h.
    assert due(at(2025, 4, 25, 16), 1) == at(2025, 4, 26, 16)


def test_makeup_saturday_and_30_4_1_5_2_5_over_five_working_days():
    # Fri 25 7 h, Sat 26 8 h, Mon 28 8 h, Tue 29 8 h, (30/4, 1/5, 2/5, weekend), Mon 05/05 8 h,
    # Tue 06/05 1 h.
    assert due(at(2025, 4, 25, 8), 5) == at(2025, 5, 6, 8)


def test_without_the_makeup_saturday_the_same_dossier_is_due_a_day_later():
    national_only = build_calendar()
    got = compute_due_at(national_only, received_at=at(2025, 4, 25, 8), value=5, unit=WD)
    assert got == at(2025, 5, 7, 8)


def test_national_day_2025_and_its_adjacent_day_are_skipped():
    # Fri 29/08 14:00–17:00 = 3 h; (weekend, Mon 01/09, Tue 02/09); Wed 03/09 4.5 h + 0.5 h.
    assert due(at(2025, 8, 29, 14), 1) == at(2025, 9, 3, 14)


def test_received_on_the_adjacent_day_01_09_2025_counts_from_03_09():
    assert due(at(2025, 9, 1, 9), Decimal("0.5")) == at(2025, 9, 3, 11)


def test_half_working_day_is_four_working_hours():
    # 09:00–11:30 = 2.5 h, then 1.5 h after lunch.
    assert due(at(2025, 3, 4, 9), Decimal("0.5")) == at(2025, 3, 4, 15)
    assert due(at(2025, 3, 4, 9), 0.5) == at(2025, 3, 4, 15)


def test_half_working_day_from_1330_runs_into_the_next_morning():
    assert due(at(2025, 3, 4, 13, 30), Decimal("0.5")) == at(2025, 3, 5, 7, 30)


def test_working_hours_unit():
    assert due(at(2025, 3, 4, 10), 4, HOUR) == at(2025, 3, 4, 16)


def test_calendar_days_landing_on_a_working_moment_stay():
    assert due(at(2025, 3, 4, 9), 2, DAY) == at(2025, 3, 6, 9)


def test_calendar_days_landing_on_a_weekend_move_to_monday_0700():
    assert due(at(2025, 3, 5, 9), 3, DAY) == at(2025, 3, 10, 7)


def test_calendar_days_landing_on_holidays_move_to_the_next_working_start():
    # Thu 01/05 10:00 (holiday), Fri 02/05 swapped off, weekend: Mon 05/05 07:00.
    assert due(at(2025, 4, 28, 10), 3, DAY) == at(2025, 5, 5, 7)


def test_calendar_days_landing_on_the_makeup_saturday_stay():
    assert due(at(2025, 4, 23, 10), 3, DAY) == at(2025, 4, 26, 10)


def test_calendar_days_count_from_the_next_working_start_and_evenings_move_on():
    # From 13:30 after lunch; half a day from 08:00 is 20:00, so the next morning.
    assert due(at(2025, 3, 4, 12), 1, DAY) == at(2025, 3, 5, 13, 30)
    assert due(at(2025, 3, 4, 8), Decimal("0.5"), DAY) == at(2025, 3, 5, 7)


def test_before_cutoff_counts_from_reception():
    # 14:59–17:00 = 2 h 1 min; Wednesday 4.5 h + 1 h 29 min.
    assert due(at(2025, 3, 4, 14, 59), 1, cutoff=time(15)) == at(2025, 3, 5, 14, 59)


def test_at_or_after_cutoff_counts_from_the_next_working_day():
    assert due(at(2025, 3, 4, 15), 1, cutoff=time(15)) == at(2025, 3, 5, 17)
    assert due(at(2025, 3, 7, 16), 1, cutoff=time(15)) == at(2025, 3, 10, 17)


def test_cutoff_before_tet_skips_to_the_first_day_back():
    assert due(at(2025, 1, 24, 15, 30), 1, cutoff=time(15)) == at(2025, 2, 3, 17)


def test_cutoff_does_not_apply_on_a_non_working_day():
    assert counting_starts_at(CAL, received_at=at(2025, 3, 9, 16), cutoff=time(15)) == at(
        2025, 3, 10, 7
    )


def test_zero_value_is_the_counting_start():
    assert due(at(2025, 3, 4, 12), 0) == at(2025, 3, 4, 13, 30)


def test_reception_in_another_timezone_gives_a_result_in_the_calendar_timezone():
    got = due(datetime(2025, 3, 7, 9, 0, tzinfo=UTC), 1)  # 16:00 in Hà Nội
    assert got == at(2025, 3, 10, 16)
    assert got.tzinfo == VIETNAM_TZ


def test_unit_may_be_given_as_its_string_value():
    assert due(at(2025, 3, 7, 16), 1, "working_day") == at(2025, 3, 10, 16)


@pytest.mark.parametrize("value", [-1, Decimal("-0.5"), -0.1, float("nan"), Decimal("Infinity")])
def test_negative_or_non_finite_values_are_refused(value):
    with pytest.raises(ValueError):
        due(at(2025, 3, 4, 9), value)


def test_naive_reception_and_unknown_unit_are_refused():
    with pytest.raises(ValueError):
        due(datetime(2025, 3, 4, 9), 1)
    with pytest.raises(ValueError):
        due(at(2025, 3, 4, 9), 1, "week")
