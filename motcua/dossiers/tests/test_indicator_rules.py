"""The national on-time rules, as the counters keep them (docs/rules/indicators.md "Decision
766 counters"), each with fixed moments.

The dossier of the ``received`` fixture: 5 working days, received Monday 02/03/2026 08:00,
due Monday 09/03/2026 08:00.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.models import Sum

from motcua.dossiers.actions import (
    apologise,
    complete_supplement,
    forward_dossier,
    record_payment,
    request_payment,
    request_supplement,
    return_result,
    stop_processing,
    withdraw_dossier,
)
from motcua.dossiers.counters import differences
from motcua.dossiers.models import DailyCounter, Dossier
from motcua.dossiers.tests.fixtures import at, clock, holder, leader_of, ready

pytestmark = pytest.mark.django_db

STOCK = ("open_change", "open_late_change", "paused_change", "paused_late_change")


def stock_at_end_of(day: dt.date) -> dict[str, int]:
    """The stock at ``day``'s end: every move up to that day."""
    found = DailyCounter.objects.filter(day__lte=day).aggregate(**{f: Sum(f) for f in STOCK})
    return {f.removesuffix("_change"): found[f] or 0 for f in STOCK}


def judged(day: dt.date | None = None) -> dict[str, int]:
    rows = DailyCounter.objects.all() if day is None else DailyCounter.objects.filter(day=day)
    names = ("judged_in_time", "judged_late", "judged_seconds", "judged_resupplemented")
    found = rows.aggregate(**{f: Sum(f) for f in names})
    return {f.removeprefix("judged_"): found[f] or 0 for f in names}


def supplement(
    dossier: Dossier, requested: dt.datetime, completed: dt.datetime, clerk: object
) -> Dossier:
    """Asked by the agency's specialist, taken in at the desk."""
    if dossier.current_step.role == "receptionist":
        dossier = moved(dossier, requested)
    with clock(requested):
        dossier = request_supplement(
            dossier=dossier, officer=holder(dossier), reason="Thiếu", items=["Bản sao CCCD"]
        )
    with clock(completed):
        return complete_supplement(dossier=dossier, officer=clerk)


def moved(dossier: Dossier, moment: dt.datetime) -> Dossier:
    with clock(moment):
        return forward_dossier(dossier=dossier, officer=holder(dossier))


def test_result_ready_by_the_due_moment_is_judged_in_time_once(received):
    dossier = received()
    with clock(at(2026, 3, 9, 8, 0)):  # the due moment itself
        dossier = ready(dossier)
    assert judged(dt.date(2026, 3, 9)) == {
        "in_time": 1,
        "late": 0,
        "seconds": 5 * 8 * 3600,
        "resupplemented": 0,
    }
    with clock(at(2026, 3, 12, 9, 0)):  # handed back later: judged already
        return_result(dossier=dossier, officer=holder(dossier))
    assert judged() == {"in_time": 1, "late": 0, "seconds": 5 * 8 * 3600, "resupplemented": 0}
    assert differences() == []


def test_a_minute_past_the_due_moment_is_late(received):
    dossier = received()
    with clock(at(2026, 3, 9, 8, 1)):
        ready(dossier)
    assert judged()["late"] == 1 and judged()["in_time"] == 0
    assert differences() == []


def test_stopped_after_the_due_moment_is_judged_late_and_a_withdrawal_not_at_all(
    received, justice, clerk_binh
):
    late = moved(received(), at(2026, 3, 2, 9, 0))
    withdrawn = received()
    with clock(at(2026, 3, 10, 9, 0)):
        stop_processing(dossier=late, officer=leader_of(justice), reason="Không đủ điều kiện")
        withdraw_dossier(dossier=withdrawn, officer=clerk_binh, reason="Công dân rút")
    assert judged(dt.date(2026, 3, 10))["late"] == 1
    assert judged()["in_time"] == 0
    assert stock_at_end_of(dt.date(2026, 3, 10)) == {
        "open": 0,
        "open_late": 0,
        "paused": 0,
        "paused_late": 0,
    }
    assert differences() == []


def test_supplement_time_is_left_out(received, clerk_binh):
    # One working day paused moves the due moment to Tuesday 10/03 08:00.
    dossier = supplement(received(), at(2026, 3, 3, 8, 0), at(2026, 3, 4, 8, 0), clerk_binh)
    with clock(at(2026, 3, 9, 16, 0)):  # after the first due moment, before the moved one
        ready(dossier)
    found = judged()
    assert (found["in_time"], found["late"]) == (1, 0)
    # Received to ready: 5 working days and Monday 08:00–16:00 (6 working hours, the lunch
    # break out), less the day paused.
    assert found["seconds"] == (5 * 8 + 6 - 8) * 3600
    assert differences() == []


def test_a_second_supplement_request_makes_it_late_however_early(received, clerk_binh):
    dossier = supplement(received(), at(2026, 3, 2, 9, 0), at(2026, 3, 2, 10, 0), clerk_binh)
    dossier = supplement(dossier, at(2026, 3, 2, 11, 0), at(2026, 3, 2, 14, 0), clerk_binh)
    with clock(at(2026, 3, 3, 9, 0)):
        ready(dossier)
    assert judged() == {
        "in_time": 0,
        "late": 1,
        "seconds": judged()["seconds"],
        "resupplemented": 1,
    }
    assert differences() == []


def test_an_apology_keeps_it_late_whatever_the_new_date(received, justice):
    dossier = moved(received(), at(2026, 3, 2, 9, 0))
    with clock(at(2026, 3, 6, 9, 0)):
        dossier = apologise(
            dossier=dossier,
            officer=leader_of(justice),
            reason="Cần xác minh",
            new_due_at=at(2026, 3, 20, 8, 0),
        )
    with clock(at(2026, 3, 12, 9, 0)):
        ready(dossier)
    assert judged()["late"] == 1
    assert differences() == []


def test_a_dossier_open_at_a_periods_end_is_judged_at_that_end(received):
    dossier = received()  # due Monday 09/03 08:00
    # At the end of Sunday 08/03 it is open within its time; at the end of Monday, past due.
    assert stock_at_end_of(dt.date(2026, 3, 8)) == {
        "open": 1,
        "open_late": 0,
        "paused": 0,
        "paused_late": 0,
    }
    assert stock_at_end_of(dt.date(2026, 3, 9))["open_late"] == 1
    with clock(at(2026, 3, 11, 10, 0)):  # finished late on Wednesday
        ready(dossier)
    # The history stays: past due at the end of Monday and Tuesday, gone from Wednesday.
    assert stock_at_end_of(dt.date(2026, 3, 10)) == {
        "open": 1,
        "open_late": 1,
        "paused": 0,
        "paused_late": 0,
    }
    assert stock_at_end_of(dt.date(2026, 3, 11)) == {
        "open": 0,
        "open_late": 0,
        "paused": 0,
        "paused_late": 0,
    }
    assert stock_at_end_of(dt.date(2026, 3, 8))["open"] == 1
    assert differences() == []


def test_a_paused_dossier_keeps_the_standing_it_had_when_its_clock_stopped(received):
    within = moved(received(), at(2026, 3, 2, 9, 0))
    late = moved(received(), at(2026, 3, 2, 9, 0))
    with clock(at(2026, 3, 4, 9, 0)):
        request_supplement(dossier=within, officer=holder(within), reason="Thiếu", items=["A"])
    with clock(at(2026, 3, 10, 9, 0)):  # a day past its due moment
        request_supplement(dossier=late, officer=holder(late), reason="Thiếu", items=["B"])
    assert stock_at_end_of(dt.date(2026, 3, 12)) == {
        "open": 0,
        "open_late": 0,
        "paused": 2,
        "paused_late": 1,
    }
    # Before the second paused, it was open and past due on Monday's end.
    assert stock_at_end_of(dt.date(2026, 3, 9)) == {
        "open": 1,
        "open_late": 1,
        "paused": 1,
        "paused_late": 0,
    }
    assert differences() == []


def test_average_processing_time_is_the_working_time_over_the_dossiers_judged(received):
    quick = received()
    slow = received()
    with clock(at(2026, 3, 3, 8, 0)):  # one working day
        ready(quick)
    with clock(at(2026, 3, 5, 8, 0)):  # three working days
        ready(slow)
    found = judged()
    assert found["seconds"] / (found["in_time"] + found["late"]) == 2 * 8 * 3600


def test_fees_asked_after_the_result_do_not_bring_it_back_nor_judge_it_again(received):
    dossier = received()
    with clock(at(2026, 3, 4, 9, 0)):
        dossier = ready(dossier)
    with clock(at(2026, 3, 5, 9, 0)):
        dossier = request_payment(dossier=dossier, officer=holder(dossier), amount_vnd=50000)
    assert stock_at_end_of(dt.date(2026, 3, 5)) == {
        "open": 0,
        "open_late": 0,
        "paused": 0,
        "paused_late": 0,
    }
    with clock(at(2026, 3, 6, 9, 0)):
        record_payment(dossier=dossier, officer=None, amount_vnd=50000, reference="VNPAY-1")
    found = judged()
    assert (found["in_time"], found["late"]) == (1, 0)
    assert differences() == []


def test_an_apology_while_paused_late_keeps_it_late(received, justice):
    dossier = moved(received(), at(2026, 3, 2, 9, 0))
    with clock(at(2026, 3, 10, 9, 0)):  # after its due moment, Monday 09/03 08:00
        dossier = request_supplement(
            dossier=dossier, officer=holder(dossier), reason="Thiếu", items=["A"]
        )
    with clock(at(2026, 3, 11, 9, 0)):
        apologise(
            dossier=dossier,
            officer=leader_of(justice),
            reason="Cần xác minh",
            new_due_at=at(2026, 3, 30, 8, 0),
        )
    assert stock_at_end_of(dt.date(2026, 3, 11))["paused_late"] == 1
    assert differences() == []


def test_an_apologised_dossier_open_at_a_periods_end_is_late_there(received, justice):
    dossier = moved(received(), at(2026, 3, 2, 9, 0))
    with clock(at(2026, 3, 6, 9, 0)):  # before the due moment, a new date three weeks on
        apologise(
            dossier=dossier,
            officer=leader_of(justice),
            reason="Cần xác minh",
            new_due_at=at(2026, 3, 27, 8, 0),
        )
    assert stock_at_end_of(dt.date(2026, 3, 5))["open_late"] == 0
    assert stock_at_end_of(dt.date(2026, 3, 6))["open_late"] == 1
    assert differences() == []


def test_fees_owed_twice_and_paid_online_twice_count_twice_on_both_sides(received):
    dossier = moved(received(), at(2026, 3, 2, 9, 0))
    for day, amount, reference in ((3, 10000, "VNPAY-A"), (5, 20000, "VNPAY-B")):
        with clock(at(2026, 3, day, 9, 0)):
            dossier = request_payment(dossier=dossier, officer=holder(dossier), amount_vnd=amount)
        with clock(at(2026, 3, day, 10, 0)):
            dossier = record_payment(
                dossier=dossier, officer=None, amount_vnd=amount, reference=reference
            )
    found = DailyCounter.objects.aggregate(owed=Sum("fee_bearing"), online=Sum("paid_online"))
    assert found == {"owed": 2, "online": 2}
    assert differences() == []


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="PostgreSQL refuses to rewrite the events (append-only); SQLite plays the upgrade",
)
def test_a_dossier_in_progress_before_the_counting_began_starts_from_its_baseline(received):
    from django.apps import apps
    from django.db.models import F

    from motcua.dossiers.models import (
        AgencyDayCounter,
        AgencyMonthCounter,
        DossierEvent,
        MonthCounter,
        StockBaseline,
    )

    dossier = received()
    # As before the upgrade: the events note nothing, the stock was never counted.
    for event in DossierEvent.objects.filter(dossier=dossier):
        data = {k: v for k, v in event.data.items() if k != "stock"}
        DossierEvent.objects.filter(pk=event.pk).update(data=data)
    for model in (DailyCounter, MonthCounter, AgencyDayCounter, AgencyMonthCounter):
        model.objects.update(**{f: F(f) * 0 for f in STOCK})
    migration = importlib.import_module("motcua.dossiers.migrations.0014_stock_baseline")
    with clock(at(2026, 3, 4, 9, 0)):
        migration.baseline(apps, None)
    assert StockBaseline.objects.get().standing == "open:2026-03-09"
    assert stock_at_end_of(dt.date(2026, 3, 4))["open"] == 1
    with clock(at(2026, 3, 5, 9, 0)):
        ready(Dossier.objects.get(pk=dossier.pk))
    assert stock_at_end_of(dt.date(2026, 3, 31))["open"] == 0
    assert differences() == []
