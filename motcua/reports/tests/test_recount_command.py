"""``manage.py recount_counters``: names the counter rows that differ from a recount and fails;
``--repair`` rebuilds them, from the events and the tickets, and then agrees."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from motcua.core.counters import Comparison, compare
from motcua.dossiers import counters
from motcua.dossiers.models import AgencyDayCounter, AgencyMonthCounter, AgencyOpenCounter
from motcua.dossiers.tests.fixtures import at, clock, ready

pytestmark = pytest.mark.django_db


def recount(*args: str) -> str:
    out = io.StringIO()
    call_command("recount_counters", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_it_names_what_differs_and_repairs_it(received):
    with clock(at(2026, 3, 4, 9, 0)):
        ready(received())
    received()  # still in progress
    assert "khớp" in recount()
    AgencyMonthCounter.objects.update(received_direct=9)
    AgencyOpenCounter.objects.all().delete()
    with pytest.raises(CommandError, match="2 dòng"):
        recount()
    repaired = recount("--repair")
    assert "Đã dựng lại agency_month: 1 dòng" in repaired
    assert "khớp" in repaired
    assert AgencyMonthCounter.objects.get().received_direct == 2
    assert AgencyOpenCounter.objects.get().within_due == 1


def test_the_migration_fills_the_rollups_from_the_day_counters(received):
    ready(received())
    AgencyDayCounter.objects.all().delete()
    AgencyMonthCounter.objects.all().delete()
    migration = importlib.import_module("motcua.dossiers.migrations.0006_fill_agency_rollups")
    migration.fill(apps, None)
    # The columns the migration knew; the Decision 766 ones came later, from the events.
    known = [
        Comparison(name, model, migration.FIELDS, counters.recount_flows(*key), key)
        for name, (model, key) in counters.FLOW_TABLES.items()
        if model in (AgencyDayCounter, AgencyMonthCounter)
    ]
    assert [line for comparison in known for line in compare(comparison)] == []
