"""The reports read whole months from the monthly rollup and the edge days from the daily one;
whatever the period, the figures equal the sums of the finest day counters over it."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Sum

from motcua.dossiers.counters import bump_daily, differences
from motcua.dossiers.models import DailyCounter, Dossier
from motcua.dossiers.tests.fixtures import TZ
from motcua.reports.ontime import on_time_by_agency
from motcua.reports.periods import cover
from motcua.reports.statistics import flows

pytestmark = pytest.mark.django_db

D = dt.date
FIELDS = (
    "received_direct",
    "received_online",
    "finished_early",
    "finished_on_time",
    "finished_late",
)


@pytest.fixture
def history(received, police):
    """Flows for two agencies on every day from 20/12/2025 to 15/01/2027, each day's counts
    differing (so a day read twice or missed changes a figure)."""
    justice_dossier = received()
    police_dossier = Dossier(
        unit_id=justice_dossier.unit_id,
        competent_agency=police,
        procedure_id=justice_dossier.procedure_id,
    )
    day = D(2025, 12, 20)
    while day <= D(2027, 1, 15):
        moment = dt.datetime.combine(day, dt.time(9), TZ)
        for n, dossier in enumerate((justice_dossier, police_dossier)):
            for i, field in enumerate(FIELDS):
                by = (day.toordinal() + n + i) % 4
                if by:
                    bump_daily(dossier, field, moment, by=by)
        day += dt.timedelta(days=1)


def from_days(start: dt.date, end: dt.date) -> dict[int, Counter[str]]:
    rows = (
        DailyCounter.objects.filter(day__gte=start, day__lte=end)
        .values("agency_id")
        .annotate(**{f: Sum(f) for f in FIELDS})
    )
    return {row.pop("agency_id"): Counter(row) for row in rows}


PERIODS = [
    (D(2026, 3, 15), D(2026, 5, 10)),  # partial months at both edges, one whole between
    (D(2026, 1, 31), D(2026, 12, 1)),  # a day at each edge of ten whole months
    (D(2026, 4, 7), D(2026, 4, 7)),  # a single day
    (D(2026, 1, 1), D(2026, 12, 31)),  # a whole year: months only
    (D(2026, 2, 1), D(2026, 2, 28)),  # a whole month
    (D(2026, 2, 2), D(2026, 2, 27)),  # inside one month: days only
    (D(2025, 12, 25), D(2027, 1, 10)),  # across two year ends
]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_on_time_report_equals_the_days(history, start, end):
    expected = from_days(start, end)
    rows = {row.agency.pk: row for row in on_time_by_agency(start=start, end=end)}
    assert set(rows) == set(expected)
    for agency_id, sums in expected.items():
        row = rows[agency_id]
        assert row.received == sums["received_direct"] + sums["received_online"]
        assert (row.early, row.on_time, row.late) == (
            sums["finished_early"],
            sums["finished_on_time"],
            sums["finished_late"],
        )


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_public_statistics_equal_the_days(history, start, end):
    total: Counter[str] = Counter()
    for sums in from_days(start, end).values():
        total.update(sums)
    found = flows(start=start, end=end)
    assert found.received == total["received_direct"] + total["received_online"]
    assert (found.early, found.on_time, found.late) == (
        total["finished_early"],
        total["finished_on_time"],
        total["finished_late"],
    )


def test_a_report_costs_two_queries_for_its_flows_whatever_the_period(
    history, django_assert_num_queries
):
    # months + edge days, the in-progress stock, the agencies' names
    with django_assert_num_queries(4):
        on_time_by_agency(start=D(2025, 12, 25), end=D(2027, 1, 10))
    with django_assert_num_queries(3):  # whole months: no day rows to read
        on_time_by_agency(start=D(2026, 1, 1), end=D(2026, 12, 31))


def test_the_rollups_agree_with_their_recount(received):
    received()
    assert differences() == []


@pytest.mark.parametrize(
    ("start", "end", "months", "days"),
    [
        (
            D(2026, 3, 15),
            D(2026, 5, 10),
            (D(2026, 4, 1),) * 2,
            ((D(2026, 3, 15), D(2026, 3, 31)), (D(2026, 5, 1), D(2026, 5, 10))),
        ),
        (D(2026, 3, 1), D(2026, 3, 31), (D(2026, 3, 1),) * 2, ()),
        (D(2026, 3, 31), D(2026, 4, 1), None, ((D(2026, 3, 31), D(2026, 4, 1)),)),
        (D(2024, 2, 1), D(2024, 2, 29), (D(2024, 2, 1),) * 2, ()),  # a leap February
        (D(2026, 12, 1), D(2027, 1, 31), (D(2026, 12, 1), D(2027, 1, 1)), ()),
    ],
)
def test_the_cover_of_a_period(start, end, months, days):
    found = cover(start, end)
    assert (found.months, found.days) == (months, days)
