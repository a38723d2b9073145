"""What Open311 clients see of categories and tickets (GeoReport v2 fields).

Published requests are the tickets that have a category (the public reports); their
descriptions and answers pass through ``redaction.redact`` every time they are read (ID,
phone, account and tax numbers, emails, dates of birth, the sender's own name and other
people's names removed; docs/hotline.md "Redaction"), and nothing about the contact is ever
published. No person reviews these texts, so every rule applies.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.hotline.models import Direction, Ticket, TicketCategory, TicketEvent, TicketMessage
from motcua.hotline.redaction import redact
from motcua.hotline.status import OPEN, TicketStatus

MAX_DESCRIPTION = 4000  # request.json: description maxLength
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"

# The ticket has no field for an Open311 media_url: the intake appends it to the body as this
# last line, and the list takes it back out (see ``media_line``).
MEDIA_LABEL = "Ảnh, video kèm theo"
_MEDIA_LINE = re.compile(rf"\n*{re.escape(MEDIA_LABEL)}: (https?://\S+)\Z")


def media_line(url: str) -> str:
    return f"\n\n{MEDIA_LABEL}: {url}"


def moment(value: dt.datetime | None) -> str | None:
    """ISO 8601 in the province's time, e.g. 2026-11-25T09:30:00+07:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def service(category: TicketCategory) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or None,
        "metadata": False,  # no extra attributes: the definition's list is empty
        "type": "realtime",
        "keywords": category.keywords or None,
        "group": category.group or None,
    }


def service_definition(category: TicketCategory) -> dict[str, Any]:
    return {"service_code": category.code, "attributes": []}


def published() -> QuerySet[Ticket]:
    """Tickets Open311 clients may read, with what their records need in one query."""
    last_answer = TicketMessage.objects.filter(
        ticket=OuterRef("pk"), direction=Direction.OUTBOUND
    ).order_by("-at", "-id")
    last_event = TicketEvent.objects.filter(ticket=OuterRef("pk")).order_by("-seq")
    return (
        Ticket.objects.filter(category__isnull=False)
        .select_related("category", "agency", "merged_into", "contact")
        .annotate(
            last_answer=Subquery(last_answer.values("body")[:1]),
            last_change=Subquery(last_event.values("at")[:1]),
        )
        .order_by("-received_at", "-id")
    )


def status_notes(ticket: Ticket) -> str | None:
    if ticket.status == TicketStatus.MERGED and ticket.merged_into is not None:
        return _("Đã gộp vào %(code)s") % {"code": ticket.merged_into.code}
    answer = getattr(ticket, "last_answer", None)
    return _public(ticket, answer) if answer else None


def service_notice(ticket: Ticket) -> str | None:
    if ticket.status in OPEN and ticket.due_at is not None:
        due = timezone.localtime(ticket.due_at)
        return _("Hạn trả lời: %(time)s.") % {"time": f"{due:%H:%M %d/%m/%Y}"}
    return None


def request(ticket: Ticket) -> dict[str, Any]:
    assert ticket.category is not None
    body, media_url = split_media(ticket.body)
    return {
        "service_request_id": ticket.code,
        "status": "open" if ticket.status in OPEN else "closed",
        "status_notes": status_notes(ticket),
        "service_name": ticket.category.name,
        "service_code": ticket.category.code,
        "description": _public(ticket, body)[:MAX_DESCRIPTION] or None,
        "agency_responsible": ticket.agency.name if ticket.agency else None,
        "service_notice": service_notice(ticket),
        "requested_datetime": moment(ticket.received_at),
        "updated_datetime": moment(getattr(ticket, "last_change", None) or ticket.received_at),
        "expected_datetime": moment(ticket.due_at),
        "address": ticket.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(ticket.latitude) if ticket.latitude is not None else None,
        "long": float(ticket.longitude) if ticket.longitude is not None else None,
        "media_url": media_url,
    }


def split_media(body: str) -> tuple[str, str | None]:
    found = _MEDIA_LINE.search(body)
    if found is None:
        return body, None
    return body[: found.start()].rstrip(), found.group(1)


def _public(ticket: Ticket, text: str) -> str:
    return redact(text, names=[ticket.contact.name])
