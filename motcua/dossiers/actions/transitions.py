"""How every dossier action locks, checks and records (``core/actions.py``): the dossier's row
is locked, the action checked against ``TRANSITIONS`` in ``status.py``, and the event
appended to the dossier's hash chain. Every event writes the counters the action counted and
what it changes in the indicators (``tally.py``), and every event the national portal shows
also queues the dossier's sync there, in the same transaction (``national/changes.py``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.core.actions import Workflow
from motcua.dossiers import tally
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.national.changes import record_change
from motcua.dossiers.status import TRANSITIONS


class DossierWorkflow(Workflow[Dossier, DossierEvent]):
    def append_event(self, record: Dossier, **fields: Any) -> DossierEvent:
        tally.at_event(record, fields)
        event = super().append_event(record, **fields)
        record_change(record, event)
        return event

    def chain_event(self, record: Dossier, **fields: Any) -> DossierEvent:
        tally.at_event(record, fields)
        event = super().chain_event(record, **fields)
        record_change(record, event)
        return event


DOSSIERS = DossierWorkflow(
    model=Dossier,
    events=DossierEvent,
    transitions=TRANSITIONS,
    refusal=_("Hồ sơ %(code)s đang ở trạng thái «%(status)s», không thể thực hiện thao tác này."),
)

lock = DOSSIERS.lock
ensure = DOSSIERS.ensure
append_event = DOSSIERS.append_event
chain_event = DOSSIERS.chain_event

__all__ = ["DOSSIERS", "append_event", "chain_event", "ensure", "lock"]
