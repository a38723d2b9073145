"""Business dialogues' one verb: an issue a business raises at a session becomes a hotline
ticket, assigned to the agency that must answer it and followed like any other ticket."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Sector
from motcua.core.actions import User, invalid, require_text
from motcua.core.text import normalize
from motcua.hotline import contacts
from motcua.hotline.actions import open_ticket
from motcua.hotline.models import Ticket
from motcua.hotline.status import TicketChannel, TicketKind
from motcua.org.models import Agency
from motcua.reform.models import DialogueSession


@transaction.atomic
def raise_issue(
    *,
    session: DialogueSession,
    business: str,
    text: str,
    kind: str = TicketKind.PETITION,
    agency: Agency | None,
    user: User,
    sector: Sector | None = None,
) -> Ticket:
    """Record an issue raised at ``session`` as a ticket (channel "dialogue") routed at once to
    ``agency``, due by the kind's response time. The agency answers it in its hotline queue;
    the answer is recorded as given in person (at the next session or in writing)."""
    business = require_text(
        normalize(business), "business", _("Nhập tên doanh nghiệp nêu vấn đề.")
    )[:255]
    if agency is None:
        raise invalid("agency", _("Chọn cơ quan chủ trì giải quyết vấn đề này."), field="agency")
    contact = contacts.contact_for(name=business, organisation=business)
    return open_ticket(
        channel=TicketChannel.DIALOGUE,
        kind=kind,
        body=text,
        contact=contact,
        actor=user,
        sector=sector,
        agency=agency,
        dialogue_id=session.pk,
    )
