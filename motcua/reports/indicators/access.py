"""Who reads which indicators (docs/security.md "Nobody sees or changes what is not theirs";
docs/indicators.md "Who sees what").

The province's and the units' scores are public: the law asks them published. An agency's,
a sector's and a procedure's are for staff: inspectors and administrators read every scope
(as they read across the province's dossiers), and so do the leaders of the province's
People's Committee and of its public service centre, who answer for the province's score;
a leader of any other agency (a department, a commune's committee) reads their agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.dossiers.permissions import Scope
from motcua.org.models import Agency, AgencyKind, Role, UnitLevel
from motcua.reports.indicators.engine import ScopeRef

PUBLIC_KINDS = frozenset({"province", "unit"})
READERS = frozenset({Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR})
# The agencies whose leaders answer for the whole province's score.
PROVINCE_WIDE = frozenset({AgencyKind.PEOPLES_COMMITTEE, AgencyKind.SERVICE_CENTRE})


@dataclass(frozen=True)
class IndicatorAccess:
    province: bool  # every scope
    agency_ids: frozenset[int]
    unit_ids: frozenset[int]

    @property
    def staff(self) -> bool:
        return self.province or bool(self.agency_ids)

    @classmethod
    def of(cls, user: object) -> IndicatorAccess:
        memberships = [m for m in Scope.of(user).memberships if m.role in READERS]
        if any(m.role in (Role.INSPECTOR, Role.ADMINISTRATOR) for m in memberships):
            return cls(True, frozenset(), frozenset())
        led = {m.agency_id for m in memberships}
        agencies = Agency.objects.filter(pk__in=led).select_related("unit")
        if any(a.unit.level == UnitLevel.PROVINCE and a.kind in PROVINCE_WIDE for a in agencies):
            return cls(True, frozenset(), frozenset())
        return cls(False, frozenset(led), frozenset(a.unit_id for a in agencies))

    def may_read(self, scope: ScopeRef) -> bool:
        """Public scopes for anyone; the rest within the reader's agencies."""
        if scope.kind in PUBLIC_KINDS or self.province:
            return True
        if scope.kind == "agency":
            return scope.id in self.agency_ids
        # A sector or a procedure is read as its dossiers at the reader's agencies: the
        # leader's dashboard narrows them (``late.py``, ``engine.costliest``) to their agency.
        return False

    def default_scope(self) -> tuple[str, int | None]:
        """Where a reader's dashboard opens: the province, else their (first) agency."""
        if self.province or not self.agency_ids:
            return "province", None
        return "agency", min(self.agency_ids)
