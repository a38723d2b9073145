"""The desk queue's doors (docs/architecture.md rule 5; docs/security.md "Nobody sees or
changes what is not theirs"): a desk's queue for its clerks, a number for the citizen who
took it, a desk's public screen. Missing and forbidden are the same 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from motcua.appointments.models import QueueTicket
from motcua.core.inputs import parse_id
from motcua.dossiers.permissions import Scope
from motcua.org.models import Desk


def clerk_desks(user: Any) -> QuerySet[Desk]:
    """The active desks where the user receives dossiers, hence runs the queue."""
    scope = Scope.of(user)
    return Desk.objects.filter(active=True).filter(
        Q(pk__in=scope.desks) | Q(agency_id__in=scope.reception_agencies)
    )


def clerk_desk(user: Any, desk_id: object) -> Desk:
    pk = parse_id(desk_id)
    desk = Desk.objects.filter(pk=pk, active=True).first() if pk else None
    if desk is None or not Scope.of(user).receives_at(desk):
        raise Http404
    return desk


def desk_ticket(desk: Desk, ticket_id: object) -> QueueTicket:
    """A number of the desk's (the clerk's door found the desk)."""
    pk = parse_id(ticket_id)
    ticket = (
        QueueTicket.objects.select_related("appointment", "desk").filter(pk=pk, desk=desk).first()
        if pk
        else None
    )
    if ticket is None:
        raise Http404
    return ticket


def citizen_ticket(user: Any, ticket_id: object) -> QueueTicket:
    """A number the signed-in citizen took online."""
    pk = parse_id(ticket_id)
    ticket = (
        QueueTicket.objects.select_related("appointment", "desk")
        .filter(pk=pk, appointment__booked_by_id=user.pk, walk_in=False)
        .first()
        if pk
        else None
    )
    if ticket is None:
        raise Http404
    return ticket


def public_desk(desk_id: object) -> Desk:
    pk = parse_id(desk_id)
    desk = Desk.objects.filter(pk=pk, active=True).first() if pk else None
    if desk is None:
        raise Http404
    return desk
