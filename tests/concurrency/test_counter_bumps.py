"""Fifty transactions add to the same counters at once, on rows that do not exist yet: every
addition counts, none fails on the unique key, and the rollups equal the day rows."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from motcua.catalog.models import Procedure
from motcua.dossiers.counters import bump_daily, flush, move_open, open_dossier
from motcua.dossiers.models import (
    AgencyDayCounter,
    AgencyMonthCounter,
    AgencyOpenCounter,
    DailyCounter,
    Dossier,
    OpenCounter,
)
from motcua.dossiers.tests.fixtures import at

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under concurrent writers are PostgreSQL's; SQLite serialises writers",
    ),
]

THREADS = 50


def test_concurrent_bumps_all_count():
    procedure = Procedure.objects.get(code="1.000426")
    agency = procedure.competent_agency

    # Only the keys are read by the counters: a dossier that is never saved will do, one per
    # thread (an action's counts wait on its own instance until its event writes them).
    def dossier_() -> Dossier:
        return Dossier(unit_id=agency.unit_id, competent_agency=agency, procedure=procedure)

    moment = at(2031, 5, 6, 9, 0)  # a day no other test touches
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def bump(n: int) -> None:
        try:
            barrier.wait()
            dossier = dossier_()
            with transaction.atomic():
                bump_daily(dossier, "received_online", moment)
                open_dossier(dossier)
                if n % 2:
                    move_open(dossier, overdue=True)
                flush(dossier)  # what the action's event does
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=bump, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    day = dt.date(2031, 5, 6)
    assert DailyCounter.objects.get(day=day, agency=agency).received_online == THREADS
    assert AgencyDayCounter.objects.get(day=day, agency=agency).received_online == THREADS
    month = AgencyMonthCounter.objects.get(month=day.replace(day=1), agency=agency)
    assert month.received_online == THREADS
    stock = OpenCounter.objects.get(agency=agency, procedure=procedure, unit_id=agency.unit_id)
    assert (stock.within_due, stock.past_due) == (THREADS // 2, THREADS // 2)
    by_agency = AgencyOpenCounter.objects.get(agency=agency)
    assert (by_agency.within_due, by_agency.past_due) == (THREADS // 2, THREADS // 2)
