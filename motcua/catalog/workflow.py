"""Process templates: drafting, publishing, and the default derived from processing time.

Every procedure must be able to take dossiers on its first day in the catalogue, before an
administrator has drawn its real workflow, so a four-step template (receive, appraise, approve,
return) is derived from the statutory processing time. Administrators replace it by drafting a
new version and publishing it; dossiers keep the version they started with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

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


class TemplateError(ValueError):
    """A template cannot be published as it stands; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    hours: Decimal | None
    agency: Agency | None = None
    personal_signature: bool = False


def statutory_hours(methods: list[ExecutionMethod]) -> Decimal | None:
    """The processing time in working hours of a procedure with these methods: the in-person
    channel's, else the longest stated."""
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


def _next_version(procedure: Procedure) -> int:
    latest = (
        ProcessTemplate.objects.select_for_update()
        .filter(procedure=procedure)
        .order_by("-version")
        .first()
    )
    return (latest.version + 1) if latest else 1


@transaction.atomic
def draft_template(
    *, procedure: Procedure, steps: list[StepSpec], derived: bool = False, note: str = ""
) -> ProcessTemplate:
    """A new, unpublished version of the procedure's workflow."""
    template = ProcessTemplate.objects.create(
        procedure=procedure,
        version=_next_version(procedure),
        active=False,
        derived=derived,
        note=note,
    )
    ProcessStep.objects.bulk_create(_steps(template, steps))
    return template


@transaction.atomic
def draft_from(template: ProcessTemplate) -> ProcessTemplate:
    """A new draft copying ``template``'s steps, for an administrator to change."""
    steps = [
        StepSpec(s.name, s.role, s.hours, s.agency, s.personal_signature)
        for s in template.steps.order_by("position")
    ]
    return draft_template(
        procedure=template.procedure, steps=steps, note=f"Sửa từ phiên bản {template.version}"
    )


@transaction.atomic
def publish(template: ProcessTemplate) -> ProcessTemplate:
    """Make a draft the procedure's active workflow; the previous version stays for the
    dossiers that started with it."""
    template = ProcessTemplate.objects.select_for_update().get(pk=template.pk)
    if not template.is_draft:
        raise TemplateError(f"Phiên bản {template.version} đã được áp dụng trước đó.")
    if not template.steps.exists():
        raise TemplateError("Quy trình phải có ít nhất một bước.")
    ProcessTemplate.objects.filter(procedure_id=template.procedure_id, active=True).update(
        active=False
    )
    template.active = True
    template.published_at = timezone.now()
    template.save(update_fields=["active", "published_at"])
    return template


def publish_template(
    *, procedure: Procedure, steps: list[StepSpec], derived: bool = False, note: str = ""
) -> ProcessTemplate:
    """Draft and publish in one go."""
    with transaction.atomic():
        return publish(draft_template(procedure=procedure, steps=steps, derived=derived, note=note))


def ensure_default_templates(
    methods_by_procedure: Mapping[Procedure, list[ExecutionMethod]],
) -> int:
    """Derive a template for each procedure that has none, or refresh one that is still derived
    when the statutory time changed; a template an administrator published is never touched.
    Each procedure's methods are given, not read back, and the whole lot costs a few queries
    (the catalogue import). Returns how many templates were published."""
    procedures = {procedure.pk: procedure for procedure in methods_by_procedure}
    active = {
        template.procedure_id: template
        for template in ProcessTemplate.objects.filter(
            procedure_id__in=procedures, active=True
        ).prefetch_related("steps")
    }
    wanted: dict[int, list[StepSpec]] = {}
    for procedure, methods in methods_by_procedure.items():
        steps = default_steps(statutory_hours(methods))
        current = active.get(procedure.pk)
        if current is not None and not current.derived:
            continue
        if current is not None and _same_steps(current, steps):
            continue
        wanted[procedure.pk] = steps
    if not wanted:
        return 0
    latest = dict(
        ProcessTemplate.objects.filter(procedure_id__in=wanted)
        .values_list("procedure_id")
        .annotate(latest=Max("version"))
    )
    ProcessTemplate.objects.filter(procedure_id__in=wanted, active=True).update(active=False)
    now = timezone.now()
    templates = ProcessTemplate.objects.bulk_create(
        ProcessTemplate(
            procedure=procedures[pk],
            version=latest.get(pk, 0) + 1,
            active=True,
            derived=True,
            published_at=now,
        )
        for pk in wanted
    )
    ProcessStep.objects.bulk_create(
        step for template in templates for step in _steps(template, wanted[template.procedure_id])
    )
    return len(templates)


def _same_steps(template: ProcessTemplate, steps: list[StepSpec]) -> bool:
    existing = [(s.name, s.role, s.hours) for s in sorted(template.steps.all(), key=_position)]
    return existing == [(s.name, s.role, s.hours) for s in steps]


def _position(step: ProcessStep) -> int:
    return step.position


def _steps(template: ProcessTemplate, specs: list[StepSpec]) -> list[ProcessStep]:
    """The template's step rows, numbered from 1, unsaved."""
    return [
        ProcessStep(
            template=template,
            position=index,
            name=spec.name,
            role=spec.role,
            agency=spec.agency,
            hours=spec.hours,
            personal_signature=spec.personal_signature,
        )
        for index, spec in enumerate(specs, start=1)
    ]
