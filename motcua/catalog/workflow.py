"""Process templates: the default workflow derived from a procedure's processing time.

Every procedure must be able to take dossiers on its first day in the catalogue, before an
administrator has drawn its real workflow, so a four-step template (receive, appraise, approve,
return) is derived from the statutory processing time. Administrators replace it by publishing
a new version; dossiers keep the version they started with.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from motcua.catalog.models import (
    Channel,
    ExecutionMethod,
    Procedure,
    ProcessStep,
    ProcessTemplate,
    TimeUnit,
)
from motcua.org.models import Agency, Role

HOURS_PER_WORKING_DAY = Decimal(8)
_QUARTER = Decimal("0.25")
# Calendar days hold about five working days in seven.
_WORKING_SHARE_OF_CALENDAR_DAY = Decimal(5) / Decimal(7)


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    hours: Decimal | None
    agency: Agency | None = None


def statutory_hours(procedure: Procedure) -> Decimal | None:
    """The processing time in working hours: the in-person channel's, else the longest stated."""
    methods = list(procedure.methods.all())
    timed = [m for m in methods if m.time_value is not None and m.time_unit]
    if not timed:
        return None
    direct = [m for m in timed if m.channel == Channel.DIRECT]
    chosen = direct[0] if direct else max(timed, key=lambda m: _as_hours(m))
    return _as_hours(chosen)


def _as_hours(method: ExecutionMethod) -> Decimal:
    value = method.time_value or Decimal(0)
    if method.time_unit == TimeUnit.HOUR:
        return value
    if method.time_unit == TimeUnit.DAY:
        return value * HOURS_PER_WORKING_DAY * _WORKING_SHARE_OF_CALENDAR_DAY
    return value * HOURS_PER_WORKING_DAY


def _quarter(value: Decimal) -> Decimal:
    return (value / _QUARTER).to_integral_value(rounding=ROUND_HALF_UP) * _QUARTER


def default_steps(total_hours: Decimal | None) -> list[StepSpec]:
    """Split the statutory time: reception and return an eighth each (at most half a day),
    approval a quarter (at most two days), appraisal the rest. Allotments are whole quarter
    hours and add up exactly to the total."""
    names = [
        ("Tiếp nhận và chuyển hồ sơ", Role.RECEPTIONIST),
        ("Thẩm định hồ sơ", Role.SPECIALIST),
        ("Phê duyệt kết quả", Role.LEADER),
        ("Trả kết quả", Role.RECEPTIONIST),
    ]
    if total_hours is None or total_hours <= 0:
        return [StepSpec(name, role, None) for name, role in names]
    total = _quarter(total_hours)
    if total < 1:
        return [StepSpec(names[1][0], names[1][1], max(total, _QUARTER))]
    edge = min(_quarter(total / 8), Decimal(4))
    approval = min(_quarter(total / 4), Decimal(16))
    appraisal = total - 2 * edge - approval
    hours = [edge, appraisal, approval, edge]
    return [StepSpec(name, role, h) for (name, role), h in zip(names, hours, strict=True) if h > 0]


@transaction.atomic
def publish_template(
    *, procedure: Procedure, steps: list[StepSpec], derived: bool = False, note: str = ""
) -> ProcessTemplate:
    """Make ``steps`` the procedure's active workflow as a new version."""
    current = (
        ProcessTemplate.objects.select_for_update()
        .filter(procedure=procedure)
        .order_by("-version")
        .first()
    )
    ProcessTemplate.objects.filter(procedure=procedure, active=True).update(active=False)
    template = ProcessTemplate.objects.create(
        procedure=procedure,
        version=(current.version + 1) if current else 1,
        active=True,
        derived=derived,
        note=note,
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            template=template,
            position=index,
            name=spec.name,
            role=spec.role,
            agency=spec.agency,
            hours=spec.hours,
        )
        for index, spec in enumerate(steps, start=1)
    )
    return template


def ensure_default_template(procedure: Procedure) -> ProcessTemplate | None:
    """Derive a template for a procedure that has none, or refresh one that is still derived
    when the statutory time changed. A template an administrator published is never touched."""
    active = ProcessTemplate.objects.filter(procedure=procedure, active=True).first()
    steps = default_steps(statutory_hours(procedure))
    if active is None:
        return publish_template(procedure=procedure, steps=steps, derived=True)
    if not active.derived:
        return None
    existing = [(s.name, s.role, s.hours) for s in active.steps.order_by("position")]
    if existing == [(s.name, s.role, s.hours) for s in steps]:
        return None
    return publish_template(procedure=procedure, steps=steps, derived=True)
