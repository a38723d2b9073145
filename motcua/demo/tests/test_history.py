"""The demo's history: simulated through the real actions once, so the first sight of the
demo has content; a later run adds nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.demo.history import seed_history
from motcua.dossiers.counters import differences
from motcua.dossiers.models import Dossier
from motcua.simulate.models import RunStatus, SimulatedDossier, SimulationRun

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 6)  # a Friday: the days before it hold four working days


def test_the_history_is_written_once_through_the_actions() -> None:
    run = seed_history(5, today=TODAY)
    assert run is not None and run.status == RunStatus.FINISHED
    assert run.start == dt.date(2026, 3, 1) and run.days == 5
    assert run.dossiers == SimulatedDossier.objects.count() > 0
    assert Dossier.objects.filter(received_at__isnull=False).exists()
    call_command("verify_audit", stdout=StringIO())
    assert differences() == []

    assert seed_history(5, today=TODAY) is None
    assert SimulationRun.objects.count() == 1


def test_no_history_is_asked_for_by_default() -> None:
    out = StringIO()
    call_command("seed_demo", "--allow-production", stdout=out)
    assert not SimulationRun.objects.exists()
    assert "Lịch sử mẫu" not in out.getvalue()
