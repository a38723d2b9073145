"""A record's status and due moment are held to its history (docs/decisions/audit.md): only
actions move them and every action records the result, so SQL around the application is named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from motcua.core.tests.tamper import verify_audit
from motcua.dossiers.actions import (
    apologise,
    complete_supplement,
    forward_dossier,
    record_payment,
    request_payment,
    request_supplement,
)
from motcua.dossiers.audit import verify_chain
from motcua.dossiers.tests.fixtures import at, clock, holder, receptionist
from motcua.hotline.actions import claim_ticket, classify_ticket
from motcua.hotline.audit import verify_ticket
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_status_set_with_sql_is_named(history):
    _sql("UPDATE dossiers_dossier SET status = %s WHERE id = %s", "returned", history.pk)
    history.refresh_from_db()
    messages = [p.message for p in verify_chain(history)]
    assert messages == [
        "trạng thái «returned» khác trạng thái «result_ready» mà sự kiện cuối ghi (bị sửa"
        " ngoài ứng dụng)"
    ]
    ok, output = verify_audit()
    assert not ok and f"{history.code}: chuỗi: trạng thái «returned»" in output


def test_a_due_moment_moved_with_sql_is_named(history):
    later = history.due_at + dt.timedelta(days=30)
    _sql("UPDATE dossiers_dossier SET due_at = %s WHERE id = %s", later, history.pk)
    history.refresh_from_db()
    [problem] = verify_chain(history)
    assert problem.message.startswith("hạn 08/04/2026")
    ok, output = verify_audit()
    assert not ok and f"{history.code}: chuỗi: hạn" in output


def test_every_action_that_moves_the_due_moment_records_it(keys, received):
    dossier = received(code="1.000688")  # with fees
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=holder(dossier))
        dossier = request_payment(dossier=dossier, officer=holder(dossier))
    with clock(at(2026, 3, 3, 9, 0)):
        dossier = record_payment(
            dossier=dossier, officer=None, amount_vnd=dossier.fee_total_vnd, reference="VNP-9"
        )
    with clock(at(2026, 3, 3, 10, 0)):
        dossier = request_supplement(
            dossier=dossier, officer=holder(dossier), reason="Thiếu", items=["Bản sao"]
        )
    with clock(at(2026, 3, 4, 10, 0)):
        dossier = complete_supplement(dossier=dossier, officer=receptionist(dossier.desk))
    with clock(at(2026, 3, 20, 9, 0)):
        dossier = apologise(
            dossier=dossier, officer=holder(dossier), reason="Xác minh", new_due_at=at(2026, 4, 1)
        )
    dossier.refresh_from_db()
    for kind in ("receive", "record_payment", "complete_supplement", "apologise"):
        assert "due_at" in dossier.events.filter(kind=kind).last().data
    assert verify_chain(dossier) == []


def test_a_ticket_status_or_due_set_with_sql_is_named(operator_ha):
    ticket = chat("Hỏi lệ phí hộ chiếu", sender="state-1")
    claim_ticket(ticket=ticket, user=operator_ha)
    classify_ticket(ticket=ticket, user=operator_ha, kind="complaint")
    _sql(
        "UPDATE hotline_ticket SET status = %s, due_at = %s WHERE id = %s",
        "closed",
        ticket.received_at,
        ticket.pk,
    )
    ticket.refresh_from_db()
    messages = [p.message for p in verify_ticket(ticket)]
    assert len(messages) == 2
    assert messages[0].startswith("trạng thái «closed» khác trạng thái «triage»")
    assert messages[1].startswith("hạn ")
