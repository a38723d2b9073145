"""A review cycle's figures as provinces report them (Circular 02/2017/TT-VPCP; docs/reform.md
"The report and its counting rules").

- **listed**: the procedures the cycle lists (one proposal each);
- **reviewed**: the proposals the agency has sent (submitted, approved or enacted);
- **proposed**: the reviewed ones that propose at least one change (a proposal that keeps
  the procedure as it is counts as reviewed, not proposed);
- the **annual compliance cost** before and after, the **saving** and its **share**: summed
  over the proposed ones; the same sums over the proposed ones the reform office has
  approved (or that were enacted) are given beside them, since the province's decision only
  carries those.

The share of procedures proposed is out of those reviewed; a saving's share is out of the
cost before. Shares are percentages rounded half up, to two decimals and to one (provinces
quote "giảm 28,3 %"), each from the exact ratio, never one from the other.

The functions here take plain rows (``Row``), so they are tested without a database;
``rows_of`` reads them from proposals in one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet

from motcua.reform.cost import share as percent
from motcua.reform.models import REVIEWED, Proposal, ProposalStatus

DECIDED = frozenset({ProposalStatus.APPROVED, ProposalStatus.ENACTED})


@dataclass(frozen=True)
class Row:
    """One proposal as the report counts it."""

    status: str
    simplifies: bool
    annual_before_vnd: int
    annual_after_vnd: int
    agency: str = ""
    sector: str = ""
    # Told apart by id: two agencies (or sectors) may share a name.
    agency_id: int = 0
    sector_id: int = 0

    @property
    def reviewed(self) -> bool:
        return self.status in REVIEWED

    @property
    def proposed(self) -> bool:
        return self.reviewed and self.simplifies

    @property
    def decided(self) -> bool:
        return self.proposed and self.status in DECIDED


@dataclass(frozen=True)
class Totals:
    listed: int = 0
    reviewed: int = 0
    proposed: int = 0
    decided: int = 0  # proposed and approved (or enacted)
    before_vnd: int = 0  # a year's cost before, over the proposed ones
    after_vnd: int = 0
    decided_before_vnd: int = 0  # the same over the approved (or enacted) ones
    decided_after_vnd: int = 0

    @property
    def proposed_share(self) -> Decimal:
        return percent(self.proposed, self.reviewed)

    @property
    def proposed_share_1(self) -> Decimal:
        return percent(self.proposed, self.reviewed, 1)

    @property
    def saving_vnd(self) -> int:
        return self.before_vnd - self.after_vnd

    @property
    def saving_share(self) -> Decimal:
        return percent(self.saving_vnd, self.before_vnd)

    @property
    def saving_share_1(self) -> Decimal:
        return percent(self.saving_vnd, self.before_vnd, 1)

    @property
    def decided_saving_vnd(self) -> int:
        return self.decided_before_vnd - self.decided_after_vnd

    @property
    def decided_saving_share(self) -> Decimal:
        return percent(self.decided_saving_vnd, self.decided_before_vnd)


def totals(rows: Iterable[Row]) -> Totals:
    """The figures of ``rows`` by the module's rules."""
    listed = reviewed = proposed = decided = 0
    before = after = decided_before = decided_after = 0
    for row in rows:
        listed += 1
        reviewed += row.reviewed
        if not row.proposed:
            continue
        proposed += 1
        before += row.annual_before_vnd
        after += row.annual_after_vnd
        if row.decided:
            decided += 1
            decided_before += row.annual_before_vnd
            decided_after += row.annual_after_vnd
    return Totals(
        listed=listed,
        reviewed=reviewed,
        proposed=proposed,
        decided=decided,
        before_vnd=before,
        after_vnd=after,
        decided_before_vnd=decided_before,
        decided_after_vnd=decided_after,
    )


def grouped(rows: Iterable[Row], key: Callable[[Row], tuple[int, str]]) -> list[tuple[str, Totals]]:
    """The totals of ``rows`` per ``key`` (an agency's or a sector's id and name), by name."""
    groups: dict[tuple[int, str], list[Row]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    ordered = sorted(groups, key=lambda found: (found[1], found[0]))
    return [(name, totals(groups[(ident, name)])) for ident, name in ordered]


def by_agency(rows: Iterable[Row]) -> list[tuple[str, Totals]]:
    return grouped(rows, lambda row: (row.agency_id, row.agency))


def by_sector(rows: Iterable[Row]) -> list[tuple[str, Totals]]:
    return grouped(rows, lambda row: (row.sector_id, row.sector))


# -- reading proposals ------------------------------------------------------------------------


def with_counts(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """``proposals`` with what the report shows of each, the number of changes counted in
    the same query (``change_count``)."""
    return proposals.select_related("procedure__sector", "agency").annotate(
        change_count=Count("changes")
    )


def row_of(proposal: Proposal) -> Row:
    """The report's row of a proposal read through ``with_counts``."""
    count = getattr(proposal, "change_count", None)
    simplifies = bool(count) if count is not None else proposal.simplifies
    sector = proposal.procedure.sector
    return Row(
        status=proposal.status,
        simplifies=simplifies,
        annual_before_vnd=proposal.annual_before_vnd,
        annual_after_vnd=proposal.annual_after_vnd,
        agency=proposal.agency.name,
        sector=sector.name if sector is not None else "",
        agency_id=proposal.agency_id,
        sector_id=sector.pk if sector is not None else 0,
    )


def rows_of(proposals: QuerySet[Proposal]) -> list[Row]:
    return [row_of(proposal) for proposal in with_counts(proposals)]


# -- how the report writes amounts ------------------------------------------------------------


def vnd(amount: int) -> str:
    """1.234.567: whole đồng, thousands separated by dots."""
    return f"{amount:,}".replace(",", ".")


def billions(amount: int, places: int = 2) -> str:
    """An amount in tỷ đồng (billions), rounded half up: 12,35 for 12,345,678,901."""
    value = (Decimal(amount) / Decimal(10**9)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    whole, _, fraction = f"{value:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    text = sign + vnd(int(whole))
    return f"{text},{fraction}" if fraction else text


def decimal_vn(value: Decimal) -> str:
    """A decimal as Vietnamese writes it: 77,44."""
    return f"{value:f}".replace(".", ",")
