"""The door to a dossier's postal orders (docs/architecture.md rule 5; docs/postal.md "Who").

The public postal service is offered whatever the administrative boundary: a receptionist
at any desk, a 1022 operator or a post office's officer registers it for any dossier of the
province, so they find a dossier by its code (as the operators' caller lookup does,
``dossiers/access.py``) to see and register its postal orders, and nothing else of it. A
citizen reaches their own dossiers only (``dossiers/citizens.py``); any other officer the
dossiers they see. Anything else is the same 404 as a dossier that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from motcua.dossiers import reference
from motcua.dossiers.access import dossier_for_user
from motcua.dossiers.citizens import dossier_for_citizen
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import Scope
from motcua.org.models import Agency, Role
from motcua.postal.models import Handover, OrderStatus, PostalOrder, PostalService

# Who registers the postal service for any dossier of the province.
POSTAL_REGISTRARS = {Role.RECEPTIONIST, Role.HOTLINE_OPERATOR, Role.POSTAL_OFFICER}


def dossier_for_postal(user: object, code: str) -> Dossier:
    """The dossier whose postal orders ``user`` may see and register; Http404 for missing
    and forbidden alike."""
    scope = Scope.of(user)
    if not scope.officer:
        return dossier_for_citizen(user, code)
    if any(m.role in POSTAL_REGISTRARS for m in scope.memberships):
        dossier = Dossier.objects.select_related("competent_agency__unit").filter(code=code).first()
        if dossier is None:
            raise Http404(code)
        return dossier
    return dossier_for_user(user, code, scope)


# ---- The post office's work and the hand-overs (docs/postal.md "The post office's check") --

# The order statuses a post office works on: registered, on the way, collected.
WORKED = (OrderStatus.REGISTERED, OrderStatus.COLLECTING, OrderStatus.COLLECTED)


def post_offices_of(user: object) -> list[Agency]:
    """The post offices (agencies) where ``user`` is an active postal officer."""
    ids = {m.agency_id for m in Scope.of(user).memberships if m.role == Role.POSTAL_OFFICER}
    return list(Agency.objects.filter(pk__in=ids).order_by("pk"))


def area_filter(post_offices: list[Agency]) -> Q:
    """The addresses a post office collects from: its own unit and the units under it (two
    levels down: a province's post office collects in the whole province, a commune's in the
    commune). The structure is data (docs/architecture.md rule 10)."""
    units = [agency.unit_id for agency in post_offices]
    return (
        Q(unit_id__in=units) | Q(unit__parent_id__in=units) | Q(unit__parent__parent_id__in=units)
    )


def in_area(order: PostalOrder, post_offices: list[Agency]) -> bool:
    units = {agency.unit_id for agency in post_offices}
    return any(unit.pk in units for unit in reference.unit_chain(order.unit_id))


def pickup_orders_for(user: object) -> QuerySet[PostalOrder]:
    """The pickup orders a postal officer works: those whose address is in their post
    office's area, still to collect or collected and not yet handed over. Not a postal
    officer: nothing (the views answer 403 before asking)."""
    post_offices = post_offices_of(user)
    if not post_offices:
        return PostalOrder.objects.none()
    return (
        PostalOrder.objects.filter(service=PostalService.PICKUP, status__in=WORKED)
        .filter(area_filter(post_offices))
        .select_related("dossier__procedure", "dossier__desk", "unit")
    )


def pickup_order_for(user: object, pk: int) -> PostalOrder:
    """One pickup order of the user's work; Http404 for missing and forbidden alike."""
    order = pickup_orders_for(user).filter(pk=pk).first()
    if order is None:
        raise Http404(pk)
    return order


def may_receive_handover(user: object, handover: Handover) -> bool:
    """A receptionist at the hand-over's desk, or at the agency that runs it."""
    return any(
        m.role == Role.RECEPTIONIST
        and (m.desk_id == handover.desk_id or m.agency_id == handover.agency_id)
        for m in Scope.of(user).memberships
    )


def handovers_for(user: object) -> QuerySet[Handover]:
    """The hand-overs ``user`` sees: a postal officer those of their post office; a
    receptionist those delivered to their desk or agency; nobody else any."""
    scope = Scope.of(user)
    post_offices = {m.agency_id for m in scope.memberships if m.role == Role.POSTAL_OFFICER}
    desks = {m.desk_id for m in scope.memberships if m.role == Role.RECEPTIONIST and m.desk_id}
    agencies = {m.agency_id for m in scope.memberships if m.role == Role.RECEPTIONIST}
    condition = (
        Q(post_office_id__in=post_offices) | Q(desk_id__in=desks) | Q(agency_id__in=agencies)
    )
    if not (post_offices or desks or agencies):
        return Handover.objects.none()
    return Handover.objects.filter(condition).select_related("desk", "agency", "post_office")


def handover_for(user: object, pk: int) -> Handover:
    """One hand-over ``user`` sees; Http404 for missing and forbidden alike."""
    handover = handovers_for(user).filter(pk=pk).first()
    if handover is None:
        raise Http404(pk)
    return handover
