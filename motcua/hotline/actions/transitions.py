"""How every ticket action locks, checks and records (``core/actions.py``): the ticket's row
is locked, the action checked against ``TRANSITIONS`` in ``status.py``, and the event
appended to the ticket's hash chain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.core.actions import Workflow
from motcua.hotline.models import Ticket, TicketEvent
from motcua.hotline.status import TRANSITIONS

TICKETS = Workflow(
    model=Ticket,
    events=TicketEvent,
    transitions=TRANSITIONS,
    refusal=_(
        "Phản ánh %(code)s đang ở trạng thái «%(status)s», không thể thực hiện thao tác này."
    ),
)

lock = TICKETS.lock
ensure = TICKETS.ensure
append_event = TICKETS.append_event
