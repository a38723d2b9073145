"""The province a simulation runs in, read once from the database as plain data.

The plan (``plan.py``) draws stories from a ``World``: the procedures that can take
dossiers (an active process template and at least one desk), the desks, the agencies
that decide, and each agency's working calendar. Reading it once keeps the plan a pure
function of (world, profile, dates, seed): it never touches the database again, so the
bulk writer and the through-actions runner get the same stories.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from motcua.catalog.models import (
    Channel,
    ExecutionMethod,
    Fee,
    OnlineMode,
    Procedure,
    ProcessStep,
    ProcessTemplate,
    ResultDocument,
)
from motcua.core.id_numbers import PROVINCE_CODES
from motcua.hotline.clock import response_hours
from motcua.hotline.status import TicketKind
from motcua.org.models import Agency, AgencyKind, Desk, UnitLevel
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.store import calendar_for


@dataclass(frozen=True)
class StepSpec:
    """A step of a procedure's active process template (``catalog.ProcessStep``)."""

    position: int
    name: str
    role: str  # org.Role
    agency_id: int | None  # None: the dossier's competent agency
    hours: Decimal | None  # allotted working hours; None when the template states none


@dataclass(frozen=True)
class ProcedureInfo:
    """What the plan needs of one procedure."""

    id: int
    code: str
    name: str
    sector: str
    commune_level: bool  # decided by the people's committee of a commune
    competent_agency_id: int | None  # None for a commune procedure
    online: bool  # offered online (fully or partly)
    fast_track: bool
    cutoff: dt.time | None
    # channel → (processing time value, unit) as ``dossiers.clock.statutory_due`` picks it.
    times: dict[str, tuple[Decimal, str]]
    fees: dict[str, int]  # channel → the fees at reception, VND
    template_id: int
    steps: tuple[StepSpec, ...]
    desk_ids: tuple[int, ...]
    result_names: tuple[str, ...]


@dataclass(frozen=True)
class DeskInfo:
    id: int
    name: str
    kind: str  # org.DeskKind
    agency_id: int
    unit_id: int
    # For a commune desk: its commune's people's committee (decides commune procedures).
    committee_id: int | None


@dataclass
class World:
    """The seeded province as the plan sees it."""

    procedures: list[ProcedureInfo]
    desks: dict[int, DeskInfo]
    communes: tuple[str, ...]  # commune names, for addresses
    province_id_code: str  # the three digits personal ID numbers start with here
    committees: tuple[int, ...]  # commune people's committees (competent for commune work)
    agency_names: dict[int, str]
    ticket_hours: dict[str, Decimal]  # hotline kind → response time, working hours
    _calendars: dict[int | None, WorkCalendar] = field(default_factory=dict, repr=False)
    _by_id: dict[int, ProcedureInfo] = field(default_factory=dict, repr=False)

    def calendar(self, agency_id: int | None) -> WorkCalendar:
        """The agency's working calendar (``workcalendar.store.calendar_for``), read once."""
        if agency_id not in self._calendars:
            self._calendars[agency_id] = calendar_for(agency_id)
        return self._calendars[agency_id]

    def procedure(self, procedure_id: int) -> ProcedureInfo:
        if not self._by_id:
            self._by_id.update((p.id, p) for p in self.procedures)
        return self._by_id[procedure_id]


def _times(methods: list[Mapping[str, Any]]) -> dict[str, tuple[Decimal, str]]:
    """Each channel's processing time as ``statutory_due`` picks it: the channel's own, else
    the in-person one, else the first stated."""
    timed = {
        m["channel"]: (m["time_value"], m["time_unit"])
        for m in methods
        if m["time_value"] is not None and m["time_unit"]
    }
    fallback = timed.get(Channel.DIRECT) or next(iter(timed.values()), None)
    if fallback is None:
        return {}
    return {channel: timed.get(channel, fallback) for channel in Channel.values}


def _grouped(rows: Iterable[Mapping[str, Any]], key: str) -> dict[int, list[Mapping[str, Any]]]:
    groups: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _desks() -> dict[int, DeskInfo]:
    committees = {
        unit: agency
        for agency, unit in Agency.objects.filter(
            kind=AgencyKind.PEOPLES_COMMITTEE, active=True, unit__level=UnitLevel.COMMUNE
        )
        .order_by("-pk")
        .values_list("pk", "unit_id")
    }
    return {
        pk: DeskInfo(pk, name, kind, agency, unit, committees.get(unit))
        for pk, name, kind, agency, unit in Desk.objects.filter(active=True)
        .order_by("pk")
        .values_list("pk", "name", "kind", "agency_id", "unit_id")
    }


def _procedures(desks: dict[int, DeskInfo]) -> list[ProcedureInfo]:
    """Procedures with an active template of at least one step and an active desk."""
    methods = _grouped(ExecutionMethod.objects.values(), "procedure_id")
    fees: dict[int, int] = defaultdict(int)
    for method, amount in Fee.objects.values_list("method_id", "amount_vnd"):
        fees[method] += amount
    templates = dict(ProcessTemplate.objects.filter(active=True).values_list("procedure_id", "pk"))
    steps = _grouped(
        ProcessStep.objects.filter(template__active=True)
        .order_by("template_id", "position")
        .values("template_id", "position", "name", "role", "agency_id", "hours"),
        "template_id",
    )
    at_desks: dict[int, list[int]] = defaultdict(list)
    for procedure, desk in Procedure.desks.through.objects.values_list("procedure_id", "desk_id"):
        if desk in desks:
            at_desks[procedure].append(desk)
    results = _grouped(
        ResultDocument.objects.order_by("procedure_id", "position").values("procedure_id", "name"),
        "procedure_id",
    )
    infos = []
    for row in (
        Procedure.objects.filter(active=True)
        .order_by("code")
        .values(
            "pk", "code", "name", "sector__name", "competent_agency_id", "online_mode",
            "fast_track", "same_day_cutoff",
        )
    ):  # fmt: skip
        pk, template = row["pk"], templates.get(row["pk"])
        commune = row["competent_agency_id"] is None
        its_desks = sorted(at_desks.get(pk, []))
        if template is None or not steps.get(template) or not its_desks:
            continue
        if commune and not any(desks[d].committee_id for d in its_desks):
            continue  # no commune of this province can decide it
        infos.append(
            ProcedureInfo(
                id=pk,
                code=row["code"],
                name=row["name"],
                sector=row["sector__name"] or "",
                commune_level=commune,
                competent_agency_id=row["competent_agency_id"],
                online=row["online_mode"] != OnlineMode.NONE,
                fast_track=row["fast_track"],
                cutoff=row["same_day_cutoff"],
                times=_times(methods.get(pk, [])),
                fees={m["channel"]: fees.get(m["id"], 0) for m in methods.get(pk, [])},
                template_id=template,
                steps=tuple(
                    StepSpec(s["position"], s["name"], s["role"], s["agency_id"], s["hours"])
                    for s in steps[template]
                ),
                desk_ids=tuple(its_desks),
                result_names=tuple(r["name"] for r in results.get(pk, [])),
            )
        )
    return infos


def load_world() -> World:
    """The province in the database, ordered by code (the plan's popularity ranks depend on
    a stable order); a dozen queries whatever the size of the catalogue."""
    desks = _desks()
    procedures = _procedures(desks)
    committees = tuple(sorted({d.committee_id for d in desks.values() if d.committee_id}))
    communes = tuple(
        Agency.objects.filter(pk__in=committees).order_by("pk").values_list("unit__name", flat=True)
    )
    code = f"{int(settings.MOTCUA_PROVINCE_CODE):03d}"
    return World(
        procedures=procedures,
        desks=desks,
        communes=communes,
        province_id_code=code if code in PROVINCE_CODES else "001",
        committees=committees,
        agency_names=dict(Agency.objects.values_list("pk", "name")),
        ticket_hours={kind: response_hours(kind) for kind in TicketKind.values},
    )
