"""Replaying the plan through the real actions leaves a database production could have
written: chains that verify, counters equal to a recount, the plan's due moments and
outcomes; an interrupted run leaves it consistent; real data is not simulated over."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.counters import differences
from motcua.dossiers.models import (
    Dossier,
    ProcessingTimeMonthCounter,
    StepTimeDayCounter,
    StepTimeMonthCounter,
)
from motcua.dossiers.status import DossierStatus
from motcua.hotline.counters import differences as hotline_differences
from motcua.hotline.models import Ticket
from motcua.simulate.models import RunStatus, SimulatedDossier, SimulatedTicket, SimulationRun
from motcua.simulate.profile import Profile
from motcua.simulate.runs import RealDataError, refuse_real_sms, simulate
from motcua.simulate.through_actions import Progress

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)
# Small, and busy: every kind of change turns up in a few days.
BUSY = Profile(
    arrivals_per_day=8,
    tickets_per_day=5,
    supplement_share=0.4,
    payment_share=0.4,
    late_share=0.3,
    refusal_share=0.1,
    withdrawal_share=0.1,
    rating_share=0.8,
    pickup_hours=2,
)
QUIET = Profile(arrivals_per_day=4, tickets_per_day=2, pickup_hours=1, step_pace=(0.05, 0.2))


@pytest.mark.slow  # about 8 s on SQLite, 18 s on PostgreSQL
def test_replayed_days_verify_and_their_counters_match_a_recount() -> None:
    run, progress = simulate(mode="through_actions", start=MONDAY, days=3, seed=5, profile=BUSY)
    assert run.status == RunStatus.FINISHED
    assert progress.mismatches == []
    assert run.dossiers == Dossier.objects.count() == SimulatedDossier.objects.count() > 20
    assert run.tickets == Ticket.objects.count() == SimulatedTicket.objects.count() > 10
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {DossierStatus.RETURNED, DossierStatus.IN_PROGRESS} <= statuses
    call_command("verify_audit", stdout=StringIO())
    assert differences() == []
    assert hotline_differences() == []
    assert StepTimeMonthCounter.objects.filter(steps__gt=0).exists()
    assert ProcessingTimeMonthCounter.objects.filter(dossiers__gt=0).exists()


def test_an_interrupted_run_keeps_what_it_did_whole() -> None:
    def interrupt(progress: Progress) -> None:
        if progress.changes == 25:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        simulate(mode="through_actions", start=MONDAY, days=3, seed=5, profile=BUSY, tick=interrupt)
    run = SimulationRun.objects.get()
    assert run.status == RunStatus.INTERRUPTED and run.changes == 25
    assert run.dossiers + run.tickets == Dossier.objects.count() + Ticket.objects.count()
    call_command("verify_audit", stdout=StringIO())
    assert differences() == []
    assert hotline_differences() == []


@pytest.fixture
def real_dossier(received: Any) -> Dossier:
    """A dossier a desk received, not a simulation."""
    dossier: Dossier = received()
    return dossier


def test_real_data_is_not_simulated_over(real_dossier: Dossier) -> None:
    with pytest.raises(RealDataError):
        simulate(mode="through_actions", start=MONDAY, days=1, seed=1, profile=QUIET)
    assert not SimulationRun.objects.exists()
    run, _progress = simulate(
        mode="through_actions", start=MONDAY, days=1, seed=1, profile=QUIET, allow_real_data=True
    )
    assert run.dossiers > 0


def test_a_day_replayed_verifies_and_its_counters_match_a_recount() -> None:
    run, progress = simulate(mode="through_actions", start=MONDAY, days=1, seed=9, profile=QUIET)
    assert run.status == RunStatus.FINISHED and progress.mismatches == []
    assert run.dossiers == Dossier.objects.count() > 0
    call_command("verify_audit", stdout=StringIO())
    assert differences() == []
    assert hotline_differences() == []
    # The steps handed over were timed, and the recount above proved their counters.
    assert StepTimeDayCounter.objects.filter(steps__gt=0).exists()


def test_a_simulated_database_may_be_simulated_again() -> None:
    simulate(mode="through_actions", start=MONDAY, days=1, seed=1, profile=QUIET)
    tuesday = MONDAY + dt.timedelta(days=1)
    run, _progress = simulate(mode="through_actions", start=tuesday, days=1, seed=2, profile=QUIET)
    assert run.status == RunStatus.FINISHED


def test_the_command_reports_the_run_and_refuses_real_data(real_dossier: Dossier) -> None:
    arguments = ["--through-actions", "--start", "02/03/2026", "--days", "1"]
    small = ["--arrivals-per-day", "3", "--tickets-per-day", "2", "--verbosity", "0"]
    with pytest.raises(CommandError, match="--allow-real-data"):
        call_command("simulate", *arguments, *small)
    out = StringIO()
    call_command("simulate", *arguments, *small, "--allow-real-data", stdout=out)
    assert "Lần mô phỏng" in out.getvalue()
    with pytest.raises(CommandError, match="late-share"):
        call_command("simulate", *arguments, "--late-share", "2", "--allow-real-data")


def test_real_sms_is_not_sent_to_simulated_phones(settings: Any) -> None:
    settings.SMS_ENABLED, settings.SMS_BACKEND = True, "gateway"
    with pytest.raises(RealDataError):
        simulate(mode="through_actions", start=MONDAY, days=1, seed=1, profile=QUIET)
    assert not SimulationRun.objects.exists()
    refuse_real_sms("bulk")  # the bulk mode queues no notices
    settings.SMS_BACKEND = "console"
    refuse_real_sms("through_actions")
