"""One door per protected object (DESIGN.md rule 5): who may see and act on a dossier.

Staff see the dossiers that passed through a step of their agency and those received at
their desk; a leader sees every dossier of the agency (competent, receiving, or with a step
there); inspectors and administrators read across the province. Anything else is the same
404 as a dossier that does not exist. Acting needs more than seeing: processing actions
belong to the agency that holds the dossier now, desk actions to the receiving desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from motcua.dossiers.actions import ActionError
from motcua.dossiers.models import Dossier
from motcua.org.models import Membership, Role

READ_ACROSS = {Role.INSPECTOR, Role.ADMINISTRATOR}
NO_DOSSIER_WORK = {Role.INSPECTOR, Role.ADMINISTRATOR, Role.HOTLINE_OPERATOR}

DESK_ACTIONS = {"receive", "refuse", "return_result", "withdraw"}
EITHER_ACTIONS = {"complete_supplement", "record_payment"}
LEADER_ACTIONS = {"revoke_result"}


@dataclass
class Scope:
    """What a user's memberships allow, computed once per request."""

    memberships: list[Membership]

    @classmethod
    def of(cls, user: object) -> Scope:
        user_id = getattr(user, "pk", None)
        if not getattr(user, "is_authenticated", False) or not isinstance(user_id, int):
            return cls([])
        return cls(list(Membership.objects.active().filter(user_id=user_id)))

    @cached_property
    def reads_across(self) -> bool:
        return any(m.role in READ_ACROSS for m in self.memberships)

    @cached_property
    def working_agencies(self) -> set[int]:
        return {m.agency_id for m in self.memberships if m.role not in NO_DOSSIER_WORK}

    @cached_property
    def led_agencies(self) -> set[int]:
        return {m.agency_id for m in self.memberships if m.role == Role.LEADER}

    @cached_property
    def desks(self) -> set[int]:
        return {m.desk_id for m in self.memberships if m.desk_id and m.role not in NO_DOSSIER_WORK}

    def visible(self) -> QuerySet[Dossier]:
        if self.reads_across:
            return Dossier.objects.all()
        if not self.memberships:
            return Dossier.objects.none()
        condition = (
            Q(steps__agency_id__in=self.working_agencies)
            | Q(desk_id__in=self.desks)
            | Q(competent_agency_id__in=self.led_agencies)
            | Q(receiving_agency_id__in=self.led_agencies)
        )
        ids = Dossier.objects.filter(condition).values("pk")
        return Dossier.objects.filter(pk__in=ids)

    @cached_property
    def reception_agencies(self) -> set[int]:
        return {m.agency_id for m in self.memberships if m.role == Role.RECEPTIONIST}

    def at_desk(self, dossier: Dossier) -> bool:
        """The user receives and returns at the dossier's desk."""
        return (
            dossier.desk_id in self.desks or dossier.receiving_agency_id in self.reception_agencies
        )

    def holds(self, dossier: Dossier) -> bool:
        return dossier.current_agency_id in self.working_agencies

    def may(self, dossier: Dossier, action: str) -> bool:
        if action in LEADER_ACTIONS:
            return dossier.competent_agency_id in self.led_agencies
        if action in DESK_ACTIONS:
            return self.at_desk(dossier) or dossier.receiving_agency_id in self.led_agencies
        if action in EITHER_ACTIONS:
            return self.at_desk(dossier) or self.holds(dossier)
        return self.holds(dossier) or dossier.current_agency_id in self.led_agencies


def visible_dossiers(user: object) -> QuerySet[Dossier]:
    return Scope.of(user).visible()


def dossier_for_user(
    user: object, code: str, scope: Scope | None = None, *, for_update: bool = False
) -> Dossier:
    """The dossier if the user may see it; Http404 for missing and forbidden alike.
    ``for_update`` locks the row (inside the caller's transaction)."""
    scope = scope or Scope.of(user)
    dossiers = scope.visible().select_related(
        "procedure", "desk", "competent_agency", "current_agency", "current_step"
    )
    if for_update:
        dossiers = dossiers.select_for_update(of=("self",))
    dossier = dossiers.filter(code=code).first()
    if dossier is None:
        raise Http404(code)
    return dossier


def dossier_for_action(user: object, code: str, action: str) -> Dossier:
    """The dossier, locked, if the user may take ``action`` on it now (404 if not visible;
    403 if visible but the action is someone else's). Call it inside the transaction that
    runs the action: the permission is decided on the same locked state the action sees, so
    a concurrent change cannot slip between the check and the action."""
    scope = Scope.of(user)
    dossier = dossier_for_user(user, code, scope, for_update=True)
    if not scope.may(dossier, action):
        raise ActionError(
            "forbidden",
            _("Bạn không có quyền thực hiện thao tác này với hồ sơ %(code)s.") % {"code": code},
            status=403,
        )
    return dossier
