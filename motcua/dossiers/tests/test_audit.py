"""verify_audit names any event that was changed or removed behind the application's back."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from motcua.core.tests.tamper import past_the_triggers
from motcua.dossiers.actions import forward_dossier, mark_result_ready
from motcua.dossiers.audit import verify_chain
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.tests.conftest import at, clock, leader_of, to_deciding_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(received, clerk_binh, specialist_chi):
    dossier = received()
    with clock(at(2026, 3, 2, 9, 0)):
        forward_dossier(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 3, 9, 0)):
        mark_result_ready(
            dossier=to_deciding_step(dossier), officer=leader_of(dossier.competent_agency)
        )
    dossier.refresh_from_db()
    return dossier


def test_an_intact_history_verifies(history):
    assert verify_chain(history) == []
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "nguyên vẹn" in out.getvalue()


def test_a_changed_event_is_named(history):
    # A database user edits the middle event directly.
    with past_the_triggers():  # on PostgreSQL a trigger refuses it
        DossierEvent.objects.filter(dossier=history, seq=2).update(data={"note": "sửa lén"})
    problems = verify_chain(history)
    assert [(p.seq, p.message) for p in problems] == [(2, "nội dung đã bị sửa")]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stderr=err)
    assert f"{history.code}: sự kiện #2" in err.getvalue()


def test_a_removed_event_is_named(history):
    with past_the_triggers():  # on PostgreSQL a trigger refuses it
        DossierEvent.objects.filter(dossier=history, seq=2).delete()
    problems = verify_chain(history)
    assert any("đã bị xóa" in p.message and p.seq == 3 for p in problems)


def test_removing_the_last_event_is_noticed(history):
    with past_the_triggers():  # on PostgreSQL a trigger refuses it
        DossierEvent.objects.filter(dossier=history, seq=history.event_seq).delete()
    assert any(p.seq is None for p in verify_chain(history))
