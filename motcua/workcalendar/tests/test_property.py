"""``hours`` against the minute-stepping oracle on the real calendar, 2020–2027.

Starts are whole minutes, biased towards period boundaries (06:59, 07:00, 11:29, 11:30, 13:29,
13:30, 16:59, 17:00) where off-by-one mistakes live; amounts go up to 30 working days and are
often multiples of 30 minutes, so they also end exactly on period ends.
"""

from datetime import datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from motcua.workcalendar.calendar import VIETNAM_TZ
from motcua.workcalendar.hours import add_working_hours, working_hours_between
from motcua.workcalendar.oracle import oracle_add_working_minutes, oracle_working_minutes_between
from motcua.workcalendar.sources import build_calendar, known_makeup_workdays

CAL = build_calendar(extra_working_days=known_makeup_workdays())
FIRST = datetime(2020, 1, 1, tzinfo=VIETNAM_TZ)
DAYS = (datetime(2028, 1, 1, tzinfo=VIETNAM_TZ) - FIRST).days
BOUNDARIES = [
    m for h, mi in ((7, 0), (11, 30), (13, 30), (17, 0)) for m in (h * 60 + mi - 1, h * 60 + mi)
]
MAX_MINUTES = 30 * 8 * 60

# The oracle takes milliseconds per example; these sizes keep the file at a few seconds.
SLOW = settings(max_examples=400, deadline=None, database=None)

starts = st.builds(
    lambda day, minute: FIRST + timedelta(days=day, minutes=minute),
    st.integers(0, DAYS - 1),
    st.one_of(st.integers(0, 24 * 60 - 1), st.sampled_from(BOUNDARIES)),
)
amounts = st.one_of(
    st.integers(0, MAX_MINUTES), st.integers(0, MAX_MINUTES // 30).map(lambda k: k * 30)
)


@SLOW
@given(start=starts, minutes=amounts)
@example(start=datetime(2025, 3, 7, 16, tzinfo=VIETNAM_TZ), minutes=480)
@example(start=datetime(2025, 4, 25, 16, tzinfo=VIETNAM_TZ), minutes=480)
@example(start=datetime(2025, 3, 4, 12, tzinfo=VIETNAM_TZ), minutes=210)
@example(start=datetime(2025, 3, 4, 11, 30, tzinfo=VIETNAM_TZ), minutes=0)
@example(start=datetime(2025, 12, 31, 16, 59, tzinfo=VIETNAM_TZ), minutes=1)
def test_add_working_hours_matches_the_oracle(start, minutes):
    got = add_working_hours(CAL, start, timedelta(minutes=minutes))
    assert got == oracle_add_working_minutes(CAL, start, minutes)


@SLOW
@given(start=starts, span=st.integers(-60, 45 * 24 * 60))
@example(start=datetime(2025, 1, 24, 16, tzinfo=VIETNAM_TZ), span=10 * 24 * 60)
def test_working_hours_between_matches_the_oracle(start, span):
    end = start + timedelta(minutes=span)
    expected = oracle_working_minutes_between(CAL, start, end) if span > 0 else 0
    assert working_hours_between(CAL, start, end) == timedelta(minutes=expected)


@settings(max_examples=500, deadline=None, database=None)
@given(start=starts, minutes=st.integers(1, MAX_MINUTES))
def test_between_inverts_add(start, minutes):
    amount = timedelta(minutes=minutes)
    assert working_hours_between(CAL, start, add_working_hours(CAL, start, amount)) == amount
