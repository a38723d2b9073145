"""Every action writes its counters in one order, flows before the in-progress stock
(docs/rules/indicators.md "Rollups"): two actions at one agency lock the same counter rows in
the same order, so the database never has to break a deadlock between them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.actions import forward_dossier, stop_processing, withdraw_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import at, clock, holder, ready, to_deciding_step

pytestmark = pytest.mark.django_db

FLOWS = ('"dossiers_dailycounter"', '"dossiers_agencydaycounter"', '"dossiers_agencymonthcounter"')
STOCK = ('"dossiers_opencounter"', '"dossiers_agencyopencounter"')


def counter_tables(action: Callable[[], Any]) -> list[str]:
    """The counter tables the action writes, in the order it writes them."""
    with CaptureQueriesContext(connection) as captured:
        action()
    written = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith(("INSERT", "UPDATE")):
            written += [table for table in FLOWS + STOCK if table in sql.split("(")[0]]
    return written


def flows_then_stock(tables: list[str]) -> bool:
    kinds = ["flow" if table in FLOWS else "stock" for table in tables]
    return "flow" in kinds and "stock" in kinds and kinds == sorted(kinds)


def test_reception_writes_flows_then_stock(received: Any) -> None:
    assert flows_then_stock(counter_tables(received))


def test_a_result_writes_flows_then_stock(received: Any) -> None:
    dossier = to_deciding_step(received())
    with clock(at(2026, 3, 4, 9, 0)):
        assert flows_then_stock(counter_tables(lambda: ready(dossier)))


def test_withdrawing_writes_flows_then_stock(received: Any) -> None:
    dossier: Dossier = received()
    officer = holder(dossier)
    with clock(at(2026, 3, 3, 9, 0)):
        tables = counter_tables(
            lambda: withdraw_dossier(dossier=dossier, officer=officer, reason="Xin rút")
        )
    assert flows_then_stock(tables)


def test_stopping_writes_flows_then_stock(received: Any, clerk_binh: Any) -> None:
    with clock(at(2026, 3, 3, 9, 0)):
        dossier = forward_dossier(dossier=received(), officer=clerk_binh)
        officer = holder(dossier)
        tables = counter_tables(
            lambda: stop_processing(dossier=dossier, officer=officer, reason="Hết hiệu lực")
        )
    assert flows_then_stock(tables)
