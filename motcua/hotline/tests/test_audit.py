"""A ticket's history is tamper-evident, and verify_audit checks it with the dossiers'."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.core.chain import AppendOnlyError
from motcua.core.tests.tamper import past_the_triggers
from motcua.hotline.actions import answer_ticket, claim_ticket
from motcua.hotline.audit import verify_ticket
from motcua.hotline.models import TicketEvent
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(operator_ha):
    ticket = chat("Hỏi lệ phí hộ chiếu", sender="audit-1")
    claim_ticket(ticket=ticket, user=operator_ha)
    answer_ticket(ticket=ticket, user=operator_ha, body="Xem Cổng DVC quốc gia.")
    ticket.refresh_from_db()
    return ticket


def test_intact_history_verifies(history):
    assert verify_ticket(history) == []
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "nguyên vẹn" in out.getvalue()


def test_events_cannot_be_changed_through_the_application(history):
    event = history.events.first()
    event.data = {"x": 1}
    with pytest.raises(AppendOnlyError):
        event.save()


def test_a_changed_event_is_named(history):
    with past_the_triggers():  # on PostgreSQL a trigger refuses it
        TicketEvent.objects.filter(ticket=history, seq=2).update(actor_name="người khác")
    assert [(p.seq, p.message) for p in verify_ticket(history)] == [(2, "nội dung đã bị sửa")]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stderr=err)
    assert f"{history.code}: sự kiện #2" in err.getvalue()
