"""One door per ticket (docs/architecture.md rule 5): who sees and works which tickets.

1022 operators see and work every ticket; staff of an agency see the tickets routed to their
agency and answer them; leaders of that agency also publish and escalate; inspectors and
administrators read everything. Anything else is the same 404 as a ticket that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from motcua.hotline.actions import ActionError
from motcua.hotline.models import Ticket
from motcua.org.models import Membership, Role

READ_ALL = {Role.INSPECTOR, Role.ADMINISTRATOR, Role.HOTLINE_OPERATOR}
AGENCY_ROLES = {Role.SPECIALIST, Role.LEADER, Role.RECEPTIONIST}

# What an agency's staff may do with a ticket routed to their agency; operators do anything.
# Asking the citizen for details is the handling officer's; declining a feedback is a decision
# of the agency, taken by its leaders (or at 1022 by an operator).
AGENCY_ACTIONS = {
    "take",
    "answer",
    "return_to_hotline",
    "note",
    "link",
    "classify",
    "close",
    "ask_details",
}
LEADER_ACTIONS = AGENCY_ACTIONS | {"publish", "unpublish", "escalate", "route", "decline"}


@dataclass
class HotlineScope:
    memberships: list[Membership]

    @classmethod
    def of(cls, user: object) -> HotlineScope:
        user_id = getattr(user, "pk", None)
        if not getattr(user, "is_authenticated", False) or not isinstance(user_id, int):
            return cls([])
        return cls(list(Membership.objects.active().filter(user_id=user_id)))

    @cached_property
    def is_operator(self) -> bool:
        return any(m.role == Role.HOTLINE_OPERATOR for m in self.memberships)

    @cached_property
    def reads_all(self) -> bool:
        return any(m.role in READ_ALL for m in self.memberships)

    @cached_property
    def agencies(self) -> set[int]:
        return {m.agency_id for m in self.memberships if m.role in AGENCY_ROLES}

    @cached_property
    def led_agencies(self) -> set[int]:
        return {m.agency_id for m in self.memberships if m.role == Role.LEADER}

    @property
    def is_staff_of_hotline(self) -> bool:
        return self.reads_all or bool(self.agencies)

    def visible(self) -> QuerySet[Ticket]:
        if self.reads_all:
            return Ticket.objects.all()
        if not self.agencies:
            return Ticket.objects.none()
        return Ticket.objects.filter(agency_id__in=self.agencies)

    def may(self, ticket: Ticket, action: str) -> bool:
        if self.is_operator:
            return True
        if ticket.agency_id in self.led_agencies:
            return action in LEADER_ACTIONS
        if ticket.agency_id in self.agencies:
            return action in AGENCY_ACTIONS
        return False


def visible_tickets(user: object) -> QuerySet[Ticket]:
    return HotlineScope.of(user).visible()


def ticket_for_user(
    user: object, code: str, scope: HotlineScope | None = None, *, for_update: bool = False
) -> Ticket:
    """The ticket if the user may see it; Http404 for missing and forbidden alike."""
    scope = scope or HotlineScope.of(user)
    tickets = scope.visible().select_related("contact", "agency", "sector", "procedure")
    if for_update:
        tickets = tickets.select_for_update(of=("self",))
    ticket = tickets.filter(code=code).first()
    if ticket is None:
        raise Http404(code)
    return ticket


def ticket_for_action(user: object, code: str, action: str) -> Ticket:
    """The ticket, locked, if the user may take ``action`` on it now (404 if not visible,
    403 if the action is someone else's). Call inside the transaction running the action."""
    scope = HotlineScope.of(user)
    ticket = ticket_for_user(user, code, scope, for_update=True)
    if not scope.may(ticket, action):
        raise ActionError(
            "forbidden",
            _("Bạn không có quyền thực hiện thao tác này với phản ánh %(code)s.") % {"code": code},
            status=403,
        )
    return ticket
