"""The doors of home visits (docs/architecture.md rule 5): a visit for its officer, an
appointment for the holder of its signed link. Missing and forbidden alike are 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from motcua.appointments.models import Appointment, token_digest
from motcua.appointments.visits import may_visit
from motcua.core.actions import Person, User

TOKEN_MAX = 100


def visit_for(user: User, appointment_id: int) -> Appointment:
    """The home visit ``appointment_id`` if ``user`` is its visiting officer."""
    appointment = (
        Appointment.objects.select_related(
            "slot", "procedure", "address_unit", "dossier", "slot__officer"
        )
        .filter(pk=appointment_id, slot__kind="home")
        .first()
        if 0 < appointment_id < 2**63
        else None
    )
    if appointment is None or not may_visit(appointment, user):
        raise Http404
    return appointment


def appointment_by_token(token: str) -> Appointment | None:
    """The appointment whose signed link carries ``token`` (only its digest is stored)."""
    if not token or len(token) > TOKEN_MAX:
        return None
    return (
        Appointment.objects.select_related("slot", "procedure", "address_unit")
        .filter(cancel_digest=token_digest(token), slot__kind="home")
        .first()
    )


def signed_in(request: HttpRequest) -> Person:
    """The signed-in user of a page behind ``officer_required``."""
    user = request.user
    if not isinstance(user, Person):
        raise Http404
    return user
