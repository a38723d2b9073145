"""What a dossier action writes for the national portal, inside its own transaction
(docs/national-portal.md "When a dossier is sent"; docs/architecture.md rule 7)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from motcua.dossiers.models import Dossier, DossierEvent, NationalSyncChange

# The events that change what the portal shows of a dossier: its status, due moment,
# supplements, fees and payments, documents, results, steps. A rating is not one of them: the
# portal takes ratings as a monthly summary (``ratings``). Registering or cancelling the postal
# service is: a delivery order changes how the result is returned (``HinhThuc``).
SHOWN_KINDS = frozenset(
    {
        "submit",
        "receive",
        "refuse",
        "forward",
        "record_step",
        "request_supplement",
        "complete_supplement",
        "request_payment",
        "record_payment",
        "apologise",
        "stop",
        "withdraw",
        "mark_result_ready",
        "return_result",
        "revoke_result",
        "register_postal_service",
        "cancel_postal_order",
        "postal_cancel_refused",  # the cancellation undone: the result delivery is postal again
    }
)


# PostgreSQL's NOTIFY channel the sync worker listens on (``worker.Wakeup``).
CHANNEL = "motcua_national_sync"


def record_change(dossier: Dossier, event: DossierEvent) -> None:
    """Queue the change ``event`` made for the portal, when the sync is switched on. The
    sync worker picks it up (``worker``); the send carries the dossier as it is then. On
    PostgreSQL the worker is woken when the action commits (a NOTIFY is delivered at commit,
    and once however many changes the transaction wrote); elsewhere it polls."""
    if not settings.NATIONAL_PORTAL_ENABLED or event.kind not in SHOWN_KINDS:
        return
    NationalSyncChange.objects.create(dossier_id=dossier.pk, seq=event.seq, kind=event.kind)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")
