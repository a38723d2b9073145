"""Who sees and who changes a simplification review (docs/reform.md "Who does what";
docs/security.md "Nobody sees or changes what is not theirs").

- **The reform office**: the specialists and leaders of the province's People's Committee
  (its Office holds the control of administrative procedures) and the administrators. They
  open cycles, send proposals back for rework, approve them and record their enactment; they
  read every proposal.
- **Inspectors** and the leaders of the province's public service centre read every proposal.
- **An agency's specialists and leaders** read and draft their agency's proposals; its
  leaders send them to the reform office.
- Anyone else (a citizen, a receptionist, a 1022 operator, the public) gets nothing: the
  pages answer 404, the actions 403.

The actions call ``ReviewAccess.of(actor)`` on the locked row, so the rule holds whoever calls
them; the pages fetch every proposal and cycle through ``proposal_for`` and ``cycle_for``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError
from motcua.dossiers.permissions import Scope
from motcua.org.models import Agency, AgencyKind, Role, UnitLevel
from motcua.reform.models import Proposal, ReviewCycle

DRAFTERS = frozenset({Role.SPECIALIST, Role.LEADER})
# Province-level agencies whose staff read every proposal; the People's Committee's also
# decide on them.
OFFICE_KINDS = frozenset({AgencyKind.PEOPLES_COMMITTEE})
READ_ALL_KINDS = frozenset({AgencyKind.PEOPLES_COMMITTEE, AgencyKind.SERVICE_CENTRE})


@dataclass(frozen=True)
class ReviewAccess:
    office: bool  # opens cycles, returns, approves and enacts proposals
    reads_all: bool
    drafting: frozenset[int]  # agencies whose proposals the user drafts
    leading: frozenset[int]  # agencies whose proposals the user sends

    @property
    def staff(self) -> bool:
        return self.reads_all or bool(self.drafting)

    @classmethod
    def of(cls, user: object) -> ReviewAccess:
        memberships = Scope.of(user).memberships
        roles = {m.role for m in memberships}
        drafting = frozenset(m.agency_id for m in memberships if m.role in DRAFTERS)
        leading = frozenset(m.agency_id for m in memberships if m.role == Role.LEADER)
        province_kinds = set(
            Agency.objects.filter(pk__in=drafting, unit__level=UnitLevel.PROVINCE).values_list(
                "kind", flat=True
            )
        )
        office = Role.ADMINISTRATOR in roles or bool(province_kinds & OFFICE_KINDS)
        reads_all = (
            office
            or Role.INSPECTOR in roles
            or bool(
                Agency.objects.filter(
                    pk__in=leading, unit__level=UnitLevel.PROVINCE, kind__in=READ_ALL_KINDS
                ).exists()
            )
        )
        return cls(office=office, reads_all=reads_all, drafting=drafting, leading=leading)

    def proposals(self) -> QuerySet[Proposal]:
        everything = Proposal.objects.all()
        return everything if self.reads_all else everything.filter(agency_id__in=self.drafting)

    def cycles(self) -> QuerySet[ReviewCycle]:
        everything = ReviewCycle.objects.all()
        if self.reads_all:
            return everything
        return everything.filter(proposals__agency_id__in=self.drafting).distinct()

    def may_draft(self, proposal: Proposal) -> bool:
        return proposal.agency_id in self.drafting

    def may_submit(self, proposal: Proposal) -> bool:
        return proposal.agency_id in self.leading

    # -- the actions' checks --------------------------------------------------------------

    def require_office(self) -> None:
        if not self.office:
            raise ActionError(
                "forbidden",
                _("Chỉ bộ phận kiểm soát thủ tục hành chính của tỉnh thực hiện thao tác này."),
                status=403,
            )

    def require(self, allowed: bool, proposal: Proposal) -> None:
        if not allowed:
            raise ActionError(
                "forbidden",
                _("Bạn không có quyền thực hiện thao tác này với phương án %(code)s.")
                % {"code": proposal.code},
                status=403,
            )


def proposal_for(user: object, pk: int) -> Proposal:
    """The proposal ``pk`` if ``user`` may read it, else 404 (the same for one that does not
    exist)."""
    access = ReviewAccess.of(user)
    found = access.proposals().select_related("cycle", "procedure", "agency").filter(pk=pk)
    proposal = found.first() if access.staff else None
    if proposal is None:
        raise Http404
    return proposal


def cycle_for(user: object, pk: int) -> ReviewCycle:
    access = ReviewAccess.of(user)
    cycle = access.cycles().filter(pk=pk).first() if access.staff else None
    if cycle is None:
        raise Http404
    return cycle
