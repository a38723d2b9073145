"""What reception reads that changes a few times a year, cached per process
(docs/decisions/dossiers.md "Reference caches"): which procedures a desk receives, a
procedure's active process template and its steps, its execution methods with their fees, the
agencies and the chain of administrative units above a unit.

Every read goes through ``core.reference.ProcessCache``, checked against the reference stamp;
``watch_reference`` (called from ``apps.py``) makes every save or delete of these models touch
the stamp. Cached model instances are shared by the whole process: read them, never change
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from motcua.catalog.models import (
    ExecutionMethod,
    Fee,
    PostOfficeScope,
    Procedure,
    ProcessStep,
    ProcessTemplate,
)
from motcua.core.reference import ProcessCache, watch
from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, Desk


@dataclass(frozen=True)
class StepPlan:
    """One step of a process template, as a dossier's step copies it."""

    position: int
    name: str
    role: str
    agency_id: int | None
    hours: Decimal | None
    personal_signature: bool = False


@dataclass(frozen=True)
class PostOfficeScopePlan:
    """A post-office desk's scope: the sector ids and competent agency ids it receives for
    (no agency listed: any competent agency of those sectors)."""

    sectors: frozenset[int]
    agencies: frozenset[int]


@dataclass(frozen=True)
class MethodPlan:
    method: ExecutionMethod
    fees: tuple[tuple[str, int], ...]  # (name, amount in VND)


_accepted: ProcessCache[int, frozenset[int]] = ProcessCache("desk procedures")
_templates: ProcessCache[int, ProcessTemplate | None] = ProcessCache("active templates")
_steps: ProcessCache[int, tuple[StepPlan, ...]] = ProcessCache("template steps")
_methods: ProcessCache[int, tuple[MethodPlan, ...]] = ProcessCache("execution methods")
_agencies: ProcessCache[int, Agency] = ProcessCache("agencies")
_units: ProcessCache[int, tuple[AdministrativeUnit, ...]] = ProcessCache("unit chains")
_committees: ProcessCache[int, Agency | None] = ProcessCache("commune committees")
_post_office_scopes: ProcessCache[int, PostOfficeScopePlan | None] = ProcessCache(
    "post-office scopes"
)


def watch_reference() -> None:
    watch(
        Procedure,
        ProcessTemplate,
        ProcessStep,
        ExecutionMethod,
        Fee,
        Procedure.desks.through,
        Agency,
        AdministrativeUnit,
        Desk,
        PostOfficeScope,
        PostOfficeScope.sectors.through,
        PostOfficeScope.agencies.through,
    )


def accepts(desk: Desk, procedure: Procedure) -> bool:
    """Whether ``desk`` receives ``procedure`` (the procedure's list of desks)."""
    found = _accepted.get(
        desk.pk,
        lambda: frozenset(
            Procedure.desks.through.objects.filter(desk_id=desk.pk).values_list(
                "procedure_id", flat=True
            )
        ),
    )
    return procedure.pk in found


def active_template(procedure_id: int) -> ProcessTemplate | None:
    """The procedure's active process template (its latest active version)."""
    return _templates.get(
        procedure_id,
        lambda: ProcessTemplate.objects.filter(procedure_id=procedure_id, active=True).first(),
    )


def template_steps(template_id: int) -> tuple[StepPlan, ...]:
    """The steps of a process template, in order."""
    return _steps.get(
        template_id,
        lambda: tuple(
            StepPlan(s.position, s.name, s.role, s.agency_id, s.hours, s.personal_signature)
            for s in ProcessStep.objects.filter(template_id=template_id).order_by("position")
        ),
    )


def methods_of(procedure_id: int) -> tuple[MethodPlan, ...]:
    """The procedure's execution methods, each with its fees, in the order they were made."""

    def load() -> tuple[MethodPlan, ...]:
        methods = ExecutionMethod.objects.filter(procedure_id=procedure_id).order_by("pk")
        return tuple(
            MethodPlan(m, tuple((fee.name, fee.amount_vnd) for fee in m.fees.all()))
            for m in methods.prefetch_related("fees")
        )

    return _methods.get(procedure_id, load)


def method_for(procedure_id: int, channel: str) -> MethodPlan | None:
    """The procedure's (first) execution method for ``channel``."""
    return next((m for m in methods_of(procedure_id) if m.method.channel == channel), None)


def agency(agency_id: int) -> Agency:
    return _agencies.get(agency_id, lambda: Agency.objects.get(pk=agency_id))


def unit_chain(unit_id: int) -> tuple[AdministrativeUnit, ...]:
    """The unit and the units above it, nearest first."""

    def load() -> tuple[AdministrativeUnit, ...]:
        chain = []
        unit: AdministrativeUnit | None = AdministrativeUnit.objects.get(pk=unit_id)
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return tuple(chain)

    return _units.get(unit_id, load)


def commune_committee(unit_id: int) -> Agency | None:
    """The active people's committee of a commune."""
    return _committees.get(
        unit_id,
        lambda: Agency.objects.filter(
            unit_id=unit_id, kind=AgencyKind.PEOPLES_COMMITTEE, active=True
        ).first(),
    )


def post_office_scope(desk_id: int) -> PostOfficeScopePlan | None:
    """The scope the province gave a post-office desk, or None when it has none."""

    def load() -> PostOfficeScopePlan | None:
        scope = PostOfficeScope.objects.filter(desk_id=desk_id).first()
        if scope is None:
            return None
        return PostOfficeScopePlan(
            sectors=frozenset(scope.sectors.values_list("pk", flat=True)),
            agencies=frozenset(scope.agencies.values_list("pk", flat=True)),
        )

    return _post_office_scopes.get(desk_id, load)
