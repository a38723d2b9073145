"""What the bulk writer reads once before writing millions of rows: the procedures with their
methods, fees, results and process templates, the desks, agencies and units, the staff's
names and each agency's working calendar (docs/simulate.md "Bulk mode").

The actions read these per dossier; reading them once is what lets the bulk writer keep to
plain Python per row. The values are read with the same queries the actions use (the
template ``filter(active=True).first()``, the method of the channel, its fees in their
order), so a dossier written here is the one reception would have written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from motcua.catalog.deadlines import method_due_at
from motcua.catalog.models import Channel, ExecutionMethod, Procedure, ProcessStep, ProcessTemplate
from motcua.core.chain import actor_of
from motcua.dossiers.clock import FAST_TRACK_HOURS
from motcua.dossiers.models import RatingCriterion
from motcua.hotline.clock import response_hours
from motcua.hotline.status import TicketKind
from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, Desk, UnitLevel
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.hours import add_working_hours
from motcua.workcalendar.store import calendar_for


@dataclass(frozen=True)
class StepSpec:
    position: int
    name: str
    role: str
    agency_id: int | None
    hours: Decimal | None


@dataclass
class ProcedureFacts:
    procedure: Procedure  # with its methods prefetched: clock.statutory_due reads them
    template_id: int | None
    steps: list[StepSpec]
    fees_by_channel: dict[str, list[tuple[str, int]]]
    result_names: list[str]
    # What the desk hands in at reception: the mandatory documents, at most six, as the
    # through-actions runner fills the reception form (name, originals, copies).
    documents: list[tuple[str, int, int]]
    # The method whose processing time sets the due moment, per channel, as
    # ``clock.statutory_due`` picks it (None: no time is known).
    timed: dict[str, ExecutionMethod | None] = field(default_factory=dict)

    def statutory_due(
        self, channel: str, received_at: dt.datetime, calendar: WorkCalendar
    ) -> dt.datetime | None:
        """``clock.statutory_due``, with the method looked up once per channel."""
        procedure = self.procedure
        if procedure.fast_track:
            hours = dt.timedelta(hours=int(FAST_TRACK_HOURS))
            return add_working_hours(calendar, received_at, hours)
        if channel not in self.timed:
            methods = {m.channel: m for m in procedure.methods.all() if m.time_value is not None}
            self.timed[channel] = (
                methods.get(channel)
                or methods.get(Channel.DIRECT)
                or next(iter(methods.values()), None)
            )
        method = self.timed[channel]
        if method is None:
            return None
        return method_due_at(procedure, method, received_at=received_at, calendar=calendar)


@dataclass
class Province:
    procedures: dict[int, ProcedureFacts] = field(default_factory=dict)
    desks: dict[int, Desk] = field(default_factory=dict)
    agencies: dict[int, Agency] = field(default_factory=dict)
    unit_parent: dict[int, int | None] = field(default_factory=dict)
    commune_committee: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    criteria: list[tuple[int, str]] = field(default_factory=list)
    zone: dt.tzinfo = dt.UTC  # the current time zone (``timezone.localtime``'s)
    response_hours: dict[str, Decimal] = field(default_factory=dict)  # ticket kind → hours
    # The names of the citizens acting in the chunk being written (``cast.Cast``).
    chunk_names: dict[int, str] = field(default_factory=dict)
    _calendars: dict[int | None, WorkCalendar] = field(default_factory=dict)

    def calendar(self, agency_id: int | None) -> WorkCalendar:
        """The agency's working calendar, built once (``calendar_for`` asks the database
        whether it changed on every call)."""
        found = self._calendars.get(agency_id)
        if found is None:
            found = self._calendars[agency_id] = calendar_for(agency_id)
        return found

    def near_due_horizon(self, at: dt.datetime) -> dt.datetime:
        """How far ahead the deadline job flags dossiers near due (``deadlines.py``)."""
        hours = dt.timedelta(hours=settings.NEAR_DUE_WORKING_HOURS)
        return add_working_hours(self.calendar(None), at, hours)

    def last_job_before(self, at: dt.datetime) -> dt.datetime:
        """When the deadline job last ran before ``at``: at the end of the day before
        (``simulate.cast.day_end``)."""
        midnight = dt.datetime.combine(at.astimezone(self.zone).date(), dt.time(), self.zone)
        return midnight - dt.timedelta(seconds=1)

    def next_job_after(self, at: dt.datetime) -> dt.datetime:
        """When the deadline jobs next run at or after ``at``: the end of its day."""
        day = at.astimezone(self.zone).date() + dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(), self.zone) - dt.timedelta(seconds=1)

    def actor(self, user_id: int | None) -> tuple[int | None, str]:
        """The id and name an event records for ``user_id`` (as ``chain.actor_of``)."""
        if user_id is None:
            return None, ""
        name = self.names.get(user_id)
        return user_id, name if name is not None else self.chunk_names[user_id]

    def competent_agency(self, procedure_id: int, desk_id: int, chosen: int | None) -> int:
        """As reception's ``competent_agency_for``: the procedure's agency, or the commune
        committee chosen or of the desk's commune."""
        procedure = self.procedures[procedure_id].procedure
        if procedure.competent_agency_id:
            return procedure.competent_agency_id
        if chosen is not None:
            return chosen
        desk = self.desks[desk_id]
        committee = self.commune_committee.get(desk.unit_id)
        if committee is None:
            raise ValueError(f"no competent agency for procedure {procedure.code} at {desk}")
        return committee

    def within(self, desk_id: int, agency_id: int) -> bool:
        """Whether the desk is inside the agency's unit (else the reception is cross-boundary)."""
        target = self.agencies[agency_id].unit_id
        unit: int | None = self.desks[desk_id].unit_id
        while unit is not None:
            if unit == target:
                return True
            unit = self.unit_parent.get(unit)
        return False


def load_province() -> Province:
    province = Province(zone=timezone.get_current_timezone())
    # Reception takes ``ProcessTemplate.objects.filter(procedure=…, active=True).first()``:
    # in the model's order (procedure, newest version first), the first one per procedure.
    templates: dict[int, ProcessTemplate] = {}
    for template in ProcessTemplate.objects.filter(active=True).prefetch_related(
        Prefetch("steps", queryset=ProcessStep.objects.order_by("position"))
    ):
        templates.setdefault(template.procedure_id, template)
    for procedure in Procedure.objects.prefetch_related("methods__fees", "results", "documents"):
        active = templates.get(procedure.pk)
        steps = (
            [StepSpec(s.position, s.name, s.role, s.agency_id, s.hours) for s in active.steps.all()]
            if active is not None
            else []
        )
        province.procedures[procedure.pk] = ProcedureFacts(
            procedure=procedure,
            template_id=active.pk if active else None,
            steps=steps,
            fees_by_channel={
                m.channel: [(f.name, f.amount_vnd) for f in m.fees.all()]
                for m in procedure.methods.all()
            },
            result_names=[r.name for r in procedure.results.all()],
            documents=[
                (d.name, d.originals, d.copies)
                for d in procedure.documents.all()
                if d.mandatory and d.withdrawn_from is None
            ][:6],
        )
    province.desks = {d.pk: d for d in Desk.objects.all()}
    province.agencies = {a.pk: a for a in Agency.objects.all()}
    province.unit_parent = dict(AdministrativeUnit.objects.values_list("pk", "parent_id"))
    for agency in Agency.objects.filter(
        kind=AgencyKind.PEOPLES_COMMITTEE, active=True, unit__level=UnitLevel.COMMUNE
    ).order_by("code"):
        province.commune_committee.setdefault(agency.unit_id, agency.pk)
    for user in get_user_model().objects.all():
        province.names[user.pk] = actor_of(user)[1]
    province.criteria = [
        (c.pk, c.text) for c in RatingCriterion.objects.filter(active=True).order_by("order", "id")
    ]
    province.response_hours = {kind: response_hours(kind) for kind in TicketKind.values}
    return province
