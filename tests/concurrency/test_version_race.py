"""Several processes bring the same procedure version into force at once (the periodic job
and receptions on its first day): it is applied exactly once (catalog/versions.py)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from motcua.catalog.models import ExecutionMethod, ProcedureVersion, ProcessTemplate
from motcua.catalog.tests.test_versions import timed_procedure
from motcua.catalog.versions import Changes, bring_into_force, enact_version
from motcua.org.models import Desk, DeskKind

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under concurrent writers are PostgreSQL's; SQLite serialises writers",
    ),
]

THREADS = 8


def test_a_version_raced_by_several_processes_is_applied_once():
    procedure = timed_procedure(Desk.objects.get(kind=DeskKind.CENTRE))
    templates = ProcessTemplate.objects.filter(procedure=procedure).count()
    old = ExecutionMethod.objects.get(procedure=procedure, channel="direct").time_value
    version = enact_version(
        procedure=procedure,
        changes=Changes(time_value=(old or Decimal(4)) - 2),
        decision_number="312/QĐ-UBND",
        effective_from=dt.date(2099, 1, 1),
        actor=None,
    )
    barrier = threading.Barrier(THREADS)
    applied: list[int] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            count = bring_into_force(day=dt.date(2099, 1, 1))
            with lock:
                applied.append(count)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(applied) == [0] * (THREADS - 1) + [1]
    version = ProcedureVersion.objects.get(pk=version.pk)
    assert version.before["methods"][0]["time_value"] == str(old)
    assert ProcessTemplate.objects.filter(procedure=procedure).count() == templates + 1
