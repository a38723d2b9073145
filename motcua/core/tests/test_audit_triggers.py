"""On PostgreSQL the event tables refuse UPDATE and DELETE to anyone (docs/decisions/audit.md);
the triggers are not installed on SQLite, the development database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from motcua.dossiers.models import DossierEvent
from motcua.hotline.actions import claim_ticket
from motcua.hotline.models import TicketEvent
from motcua.hotline.tests.fixtures import chat

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"),
]


def _refused(statement, *params):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


def test_dossier_events_refuse_update_and_delete(history):
    event = history.events.get(seq=2)
    _refused("UPDATE dossiers_dossierevent SET data = '{}' WHERE id = %s", event.pk)
    _refused("DELETE FROM dossiers_dossierevent WHERE id = %s", event.pk)
    # Through the ORM's queryset too (it bypasses the model's own refusal).
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierEvent.objects.filter(pk=event.pk).update(actor_name="người khác")
    assert DossierEvent.objects.get(pk=event.pk).hash == event.hash


def test_ticket_events_refuse_update_and_delete(operator_ha):
    ticket = chat("Hỏi lệ phí", sender="trigger-1")
    claim_ticket(ticket=ticket, user=operator_ha)
    event = ticket.events.last()
    _refused("UPDATE hotline_ticketevent SET actor_name = 'x' WHERE id = %s", event.pk)
    _refused("DELETE FROM hotline_ticketevent WHERE id = %s", event.pk)
    assert TicketEvent.objects.filter(pk=event.pk).exists()


def test_inserting_events_is_still_allowed(history):
    # The history was written through the actions, with the triggers in place.
    assert history.events.count() == history.event_seq > 1
