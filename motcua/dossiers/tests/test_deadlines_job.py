"""The deadline job: flags near-due and overdue dossiers once, moving the open counters."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from motcua.dossiers.counters import differences
from motcua.dossiers.deadlines import flag_deadlines
from motcua.dossiers.models import OpenCounter
from motcua.dossiers.tests.conftest import at, clock

pytestmark = pytest.mark.django_db


def test_overdue_is_flagged_once_and_counted_past_due(received):
    dossier = received()  # due Monday 09/03/2026 08:00
    first = flag_deadlines(at=at(2026, 3, 9, 9, 0))
    second = flag_deadlines(at=at(2026, 3, 9, 9, 5))
    dossier.refresh_from_db()
    assert dossier.deadline_flag == "overdue"
    assert (first.overdue, second.overdue) == (1, 0)
    counter = OpenCounter.objects.get(procedure=dossier.procedure, agency=dossier.competent_agency)
    assert (counter.within_due, counter.past_due) == (0, 1)
    assert differences() == []


def test_near_due_within_one_working_day(received):
    dossier = received()
    flag_deadlines(at=at(2026, 3, 6, 9, 0))  # Friday 09:00: due Monday 08:00 is 7 h away
    dossier.refresh_from_db()
    assert dossier.deadline_flag == "near_due"


def test_paused_dossiers_are_not_flagged(received, clerk_binh, specialist_chi):
    from motcua.dossiers.actions import forward_dossier, request_supplement

    dossier = received()
    with clock(at(2026, 3, 3, 8, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
        request_supplement(dossier=dossier, officer=specialist_chi, reason="Thiếu", items=["CCCD"])
    assert flag_deadlines(at=at(2026, 3, 20, 9, 0)).overdue == 0


def test_the_command_reports_what_it_flagged(received):
    received()
    out = io.StringIO()
    with clock(at(2026, 3, 10, 8, 0)):
        call_command("flag_overdue", stdout=out)
    assert "Quá hạn mới: 1" in out.getvalue()
