"""How every dossier action locks, checks and records (``core/actions.py``): the dossier's row
is locked, the action checked against ``TRANSITIONS`` in ``status.py``, and the event
appended to the dossier's hash chain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.core.actions import Workflow
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.status import TRANSITIONS

DOSSIERS = Workflow(
    model=Dossier,
    events=DossierEvent,
    transitions=TRANSITIONS,
    refusal=_("Hồ sơ %(code)s đang ở trạng thái «%(status)s», không thể thực hiện thao tác này."),
)

lock = DOSSIERS.lock
ensure = DOSSIERS.ensure
append_event = DOSSIERS.append_event
chain_event = DOSSIERS.chain_event
