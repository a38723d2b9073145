"""Near-due and overdue flags, and the one escalation of an overdue ticket."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline.actions import answer_ticket, classify_ticket
from motcua.hotline.deadlines import flag_tickets
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db


def test_overdue_ticket_is_flagged_and_escalated_once(operator_ha):
    with clock(at(2026, 12, 7, 9, 0)):  # Monday; a question is due Wednesday 09:00
        ticket = chat("Hỏi thủ tục", sender="d-1")
    assert ticket.due_at == at(2026, 12, 9, 9, 0)
    with clock(at(2026, 12, 8, 16, 0)):
        report = flag_tickets()
    ticket.refresh_from_db()
    assert (report.near_due, ticket.deadline_flag) == (1, "near_due")
    with clock(at(2026, 12, 9, 10, 0)):
        first = flag_tickets()
        second = flag_tickets()
    ticket.refresh_from_db()
    assert (first.overdue, first.escalated) == (1, 1)
    assert (second.overdue, second.escalated) == (0, 0)
    assert ticket.deadline_flag == "overdue"
    assert ticket.escalation_level == 1
    assert ticket.events.filter(kind="escalate").count() == 1


def test_answer_clears_the_flag(operator_ha):
    with clock(at(2026, 12, 7, 9, 0)):
        ticket = chat("Hỏi", sender="d-2")
    with clock(at(2026, 12, 10, 9, 0)):
        flag_tickets()
        answer_ticket(ticket=ticket, user=operator_ha, body="Trả lời.")
        assert flag_tickets().overdue == 0
    ticket.refresh_from_db()
    assert ticket.deadline_flag == ""
    assert ticket.outcome == "late"


def test_reclassifying_the_kind_moves_the_due_moment(operator_ha):
    with clock(at(2026, 12, 7, 9, 0)):
        ticket = chat("Phản ánh thái độ cán bộ", sender="d-3")
        classify_ticket(ticket=ticket, user=operator_ha, kind="feedback")
    ticket.refresh_from_db()
    # Ten working days from Monday 07/12 09:00.
    assert ticket.due_at == at(2026, 12, 21, 9, 0)


def test_the_command_reports(operator_ha):
    out = io.StringIO()
    call_command("hotline_flag_deadlines", stdout=out)
    assert "Quá hạn mới" in out.getvalue()
