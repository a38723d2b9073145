"""Applying a procedure version to the catalogue on its date, once (docs/decisions/catalogue.md
"Procedure versions"): the methods' time, the fees, the documents no longer required, the
online mode, an abolition and the process template; what it replaced is kept on the version
(``before``)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    ExecutionMethod,
    Fee,
    Procedure,
    ProcedureVersion,
    ProcessTemplate,
    RequiredDocument,
)
from motcua.catalog.version_changes import Changes, time_label
from motcua.catalog.workflow import (
    StepSpec,
    TemplateError,
    default_steps,
    publish,
    publish_template,
    statutory_hours,
)
from motcua.core.actions import now
from motcua.core.reference import batch, touch

_QUARTER = Decimal("0.25")


@transaction.atomic
def apply_version(version_id: int) -> bool:
    """Apply one version to the catalogue, once; False when it was applied already."""
    version = (
        ProcedureVersion.objects.select_for_update()
        .filter(pk=version_id, applied_at__isnull=True)
        .first()
    )
    if version is None:
        return False
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    changes = Changes.from_json(version.changes)
    before: dict[str, Any] = {}
    with batch():
        time_changed = _apply_time(procedure, changes, before)
        _apply_fees(procedure, changes, before)
        _apply_documents(procedure, changes, version.effective_from, before)
        if changes.online_mode is not None:
            before["online_mode"] = procedure.online_mode
            procedure.online_mode = changes.online_mode
            procedure.save(update_fields=["online_mode", "updated_at"])
        if changes.abolished:
            before["active"] = procedure.active
            before["valid_to"] = procedure.valid_to.isoformat() if procedure.valid_to else None
            procedure.active = False
            procedure.valid_to = version.effective_from - dt.timedelta(days=1)
            procedure.save(update_fields=["active", "valid_to", "updated_at"])
        elif changes.template_id is not None or time_changed:
            _apply_template(procedure, changes, version, before)
        version.before = before
        version.applied_at = now()
        version.save(update_fields=["before", "applied_at"])
    touch()  # once, for everything above: every process's reception caches drop it
    return True


def _timed(procedure: Procedure) -> list[ExecutionMethod]:
    return [
        m
        for m in ExecutionMethod.objects.filter(procedure=procedure).order_by("pk")
        if m.time_value is not None and m.time_unit
    ]


def _apply_time(procedure: Procedure, changes: Changes, before: dict[str, Any]) -> bool:
    if changes.time_value is None:
        return False
    methods = _timed(procedure)
    before["methods"] = [
        {
            "id": m.pk,
            "channel": m.channel,
            "time_value": str(m.time_value),
            "time_unit": m.time_unit,
            "time_text": m.time_text,
        }
        for m in methods
    ]
    changed = False
    for method in methods:
        if method.time_value == changes.time_value:
            continue
        method.time_value = changes.time_value
        method.time_text = time_label(changes.time_value, method.time_unit)
        method.save(update_fields=["time_value", "time_text"])
        changed = True
    return changed


def _apply_fees(procedure: Procedure, changes: Changes, before: dict[str, Any]) -> None:
    if not changes.fees:
        return
    # A re-import since the decision may have replaced a fee row: what is gone is skipped.
    found = {
        fee.pk: fee
        for fee in Fee.objects.filter(
            method__procedure=procedure, pk__in=[f for f, _a in changes.fees]
        ).select_related("method")
    }
    before["fees"] = []
    for fee_id, amount in changes.fees:
        fee = found.get(fee_id)
        if fee is None:
            continue
        before["fees"].append(
            {
                "id": fee.pk,
                "name": fee.name,
                "channel": fee.method.channel,
                "amount_vnd": fee.amount_vnd,
            }
        )
        fee.amount_vnd = amount
        fee.save(update_fields=["amount_vnd"])


def _apply_documents(
    procedure: Procedure, changes: Changes, day: dt.date, before: dict[str, Any]
) -> None:
    """Documents cut are marked, never deleted: drafts' uploads point at them (and deleting
    would take those with them), and the history names them."""
    if not changes.removed_documents:
        return
    documents = RequiredDocument.objects.filter(
        procedure=procedure, pk__in=changes.removed_documents
    ).in_force()
    before["documents"] = [{"id": d.pk, "name": d.name} for d in documents.order_by("position")]
    documents.update(withdrawn_from=day)


def _apply_template(
    procedure: Procedure, changes: Changes, version: ProcedureVersion, before: dict[str, Any]
) -> None:
    """Publish the decision's template; else, when the time changed, a new version of the
    active one fitted to the new total (a derived one derived again, a drawn one scaled)."""
    active = ProcessTemplate.objects.filter(procedure=procedure, active=True).first()
    note = _("Theo Quyết định %(number)s, hiệu lực từ %(day)s") % {
        "number": version.decision_number,
        "day": version.effective_from.strftime("%d/%m/%Y"),
    }
    published: ProcessTemplate | None = None
    if changes.template_id is not None:
        draft = ProcessTemplate.objects.filter(pk=changes.template_id, procedure=procedure).first()
        if draft is not None and draft.is_draft:
            try:
                published = publish(draft)
            except TemplateError:
                published = None
    else:
        total = statutory_hours(_timed(procedure))
        steps: list[StepSpec] | None
        if active is None or active.derived:
            steps = default_steps(total)
            derived = True
        else:
            steps = scaled_steps(active, total)
            derived = False
        if steps is not None and not _same(active, steps):
            published = publish_template(
                procedure=procedure, steps=steps, derived=derived, note=note
            )
    if published is not None:
        before["template"] = {
            "from": active.version if active else None,
            "to": published.version,
        }


def scaled_steps(template: ProcessTemplate, total: Decimal | None) -> list[StepSpec] | None:
    """The template's steps with their hours scaled to ``total`` (quarter hours, adding up
    exactly); None when either total is unknown."""
    steps = list(template.steps.order_by("position"))
    old = template.total_hours
    if total is None or not old or not steps:
        return None
    target = _quarter(total)
    hours = [max(_quarter((s.hours or Decimal(0)) * total / old), _QUARTER) for s in steps]
    largest = max(range(len(hours)), key=lambda i: hours[i])
    hours[largest] = max(hours[largest] + target - sum(hours), _QUARTER)
    return [
        StepSpec(s.name, s.role, h, s.agency, s.personal_signature)
        for s, h in zip(steps, hours, strict=True)
    ]


def _same(template: ProcessTemplate | None, steps: list[StepSpec]) -> bool:
    if template is None:
        return False
    existing = [(s.name, s.role, s.agency_id, s.hours) for s in template.steps.order_by("position")]
    wanted = [(s.name, s.role, s.agency.pk if s.agency else None, s.hours) for s in steps]
    return existing == wanted


def _quarter(value: Decimal) -> Decimal:
    return (value / _QUARTER).to_integral_value(rounding=ROUND_HALF_UP) * _QUARTER


# --- Writing ------------------------------------------------------------------------------
