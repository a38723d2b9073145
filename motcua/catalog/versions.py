"""Dated versions of a procedure: a decision of the province changes it from a date
(docs/decisions/catalogue.md "Procedure versions").

``enact_version`` records what the decision changes and when; the change is applied to the
catalogue on its date (``bring_into_force``: the periodic job of that name, and reception
for the procedure it receives, so a dossier received on the date gets the new rules even if
the job has not run yet). The catalogue always holds the rules in force today; a dossier
keeps what it was given at reception (its due moment, its process template, its fees).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    Channel,
    ExecutionMethod,
    Fee,
    OnlineMode,
    Procedure,
    ProcedureVersion,
    ProcessTemplate,
    RequiredDocument,
    TimeUnit,
)
from motcua.catalog.workflow import (
    StepSpec,
    TemplateError,
    default_steps,
    publish,
    publish_template,
    statutory_hours,
)
from motcua.core.actions import User, invalid, now, person
from motcua.core.inputs import FIRST_DAY, LAST_DAY, MAX_VND
from motcua.core.reference import ProcessCache, batch, renew, touch

DECISION_MAX = ProcedureVersion._meta.get_field("decision_number").max_length or 255
SOURCE_MAX = ProcedureVersion._meta.get_field("source").max_length or 500
# ExecutionMethod.time_value: max_digits=8, decimal_places=2.
TIME_MAX = Decimal("999999.99")
_CENT = Decimal("0.01")
_QUARTER = Decimal("0.25")


@dataclass(frozen=True)
class Changes:
    """What a decision changes in a procedure; every field left at its default is unchanged."""

    time_value: Decimal | None = None  # new processing time, in each timed method's own unit
    removed_documents: tuple[int, ...] = ()  # RequiredDocument ids no longer required
    fees: tuple[tuple[int, int], ...] = ()  # (Fee id, new amount in VND)
    online_mode: str | None = None  # an OnlineMode value
    abolished: bool = False  # the procedure is abolished from the effective date
    template_id: int | None = None  # a draft ProcessTemplate of the procedure to publish

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.time_value is not None:
            out["time_value"] = str(self.time_value)
        if self.removed_documents:
            out["removed_documents"] = list(self.removed_documents)
        if self.fees:
            out["fees"] = [[fee_id, amount] for fee_id, amount in self.fees]
        if self.online_mode is not None:
            out["online_mode"] = self.online_mode
        if self.abolished:
            out["abolished"] = True
        if self.template_id is not None:
            out["template_id"] = self.template_id
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Changes:
        time_value = data.get("time_value")
        return cls(
            time_value=Decimal(time_value) if time_value is not None else None,
            removed_documents=tuple(data.get("removed_documents", ())),
            fees=tuple((int(f), int(a)) for f, a in data.get("fees", ())),
            online_mode=data.get("online_mode"),
            abolished=bool(data.get("abolished", False)),
            template_id=data.get("template_id"),
        )

    @property
    def empty(self) -> bool:
        return not self.as_json()


def today() -> dt.date:
    """The province's date now (Asia/Ho_Chi_Minh), or on the day ``acting_at`` set."""
    return timezone.localdate(now())


# --- Enacting -------------------------------------------------------------------------------


@transaction.atomic
def enact_version(
    *,
    procedure: Procedure,
    changes: Changes,
    decision_number: str,
    effective_from: dt.date,
    actor: User | None,
    source: str = "",
) -> ProcedureVersion:
    """Record a decision that changes ``procedure`` from ``effective_from``; applied at once
    when that day has come (Asia/Ho_Chi_Minh), else on the day (``bring_into_force``).
    Refusals are ``ActionError`` (422) with a Vietnamese message."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    decision_number = (decision_number or "").strip()
    source = (source or "").strip()
    if not decision_number:
        raise invalid(
            "decision_required",
            _("Cần nhập số quyết định sửa đổi, bổ sung thủ tục."),
            field="decision_number",
        )
    if len(decision_number) > DECISION_MAX:
        raise invalid(
            "decision_too_long",
            _("Số quyết định dài quá %(max)s ký tự.") % {"max": DECISION_MAX},
            field="decision_number",
        )
    if len(source) > SOURCE_MAX:
        raise invalid(
            "source_too_long",
            _("Nguồn dài quá %(max)s ký tự.") % {"max": SOURCE_MAX},
            field="source",
        )
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        raise invalid("bad_effective_date", _("Ngày có hiệu lực không hợp lệ."))
    if not FIRST_DAY <= effective_from <= LAST_DAY:
        raise invalid(
            "bad_effective_date", _("Ngày có hiệu lực phải trong khoảng năm 2000 đến 2099.")
        )
    if not procedure.active:
        raise invalid("procedure_abolished", _("Thủ tục này đã bãi bỏ, không sửa đổi được nữa."))
    changes = _checked(procedure, changes)
    # Versions apply in date order: a decision dated before one already in force would be
    # applied over it and undo the later decision.
    applied = (
        ProcedureVersion.objects.filter(procedure=procedure, applied_at__isnull=False)
        .order_by("-effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    if applied is not None and effective_from < applied:
        raise invalid(
            "bad_effective_date",
            _(
                "Ngày có hiệu lực không được trước ngày có hiệu lực của lần sửa đổi đã áp dụng"
                " (%(day)s)."
            )
            % {"day": f"{applied:%d/%m/%Y}"},
            field="effective_from",
        )
    latest = ProcedureVersion.objects.filter(procedure=procedure).order_by("-number").first()
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=(latest.number + 1) if latest else 1,
        decision_number=decision_number,
        effective_from=effective_from,
        changes=changes.as_json(),
        summary=_summary(procedure, changes),
        source=source,
        enacted_by=person(actor),
        enacted_at=now(),
    )
    if effective_from <= today():
        # With any earlier version still waiting for the job, in date order.
        bring_into_force(day=today(), procedure=procedure)
        version.refresh_from_db()
    return version


def _checked(procedure: Procedure, changes: Changes) -> Changes:
    """``changes`` normalised, or the first reason it cannot be recorded."""
    if not isinstance(changes, Changes) or changes.empty:
        raise invalid("no_change", _("Quyết định phải sửa đổi ít nhất một nội dung của thủ tục."))
    time_value = changes.time_value
    if time_value is not None:
        try:
            time_value = Decimal(time_value)
            exact = time_value.is_finite() and time_value == time_value.quantize(_CENT)
        except (InvalidOperation, TypeError, ValueError):
            exact = False
        if not exact or not Decimal(0) < time_value <= TIME_MAX:
            raise invalid(
                "bad_time",
                _("Thời hạn giải quyết phải lớn hơn 0, nhiều nhất hai chữ số thập phân."),
                field="time_value",
            )
        if not ExecutionMethod.objects.filter(
            procedure=procedure, time_value__isnull=False
        ).exclude(time_unit=""):
            raise invalid(
                "no_timed_method",
                _("Thủ tục chưa có thời hạn giải quyết theo đơn vị để sửa đổi."),
                field="time_value",
            )
    documents = tuple(changes.removed_documents)
    if documents:
        if len(set(documents)) != len(documents):
            raise invalid("duplicate_document", _("Một thành phần hồ sơ được nêu hai lần."))
        found = RequiredDocument.objects.filter(procedure=procedure, pk__in=documents).in_force()
        if found.count() != len(documents):
            raise invalid(
                "unknown_document",
                _("Có thành phần hồ sơ không thuộc thủ tục này hoặc đã được bãi bỏ."),
                field="removed_documents",
            )
    fees = tuple(changes.fees)
    if fees:
        ids = [fee_id for fee_id, _amount in fees]
        if len(set(ids)) != len(ids):
            raise invalid("duplicate_fee", _("Một khoản phí, lệ phí được nêu hai lần."))
        if any(
            not isinstance(a, int) or isinstance(a, bool) or not 0 <= a <= MAX_VND for _i, a in fees
        ):
            raise invalid(
                "bad_fee",
                _("Mức phí, lệ phí phải từ 0 đến %(max)s đồng.") % {"max": vnd(MAX_VND)},
                field="fees",
            )
        if Fee.objects.filter(method__procedure=procedure, pk__in=ids).count() != len(ids):
            raise invalid(
                "unknown_fee", _("Có khoản phí, lệ phí không thuộc thủ tục này."), field="fees"
            )
    if changes.online_mode is not None and changes.online_mode not in OnlineMode.values:
        raise invalid(
            "bad_online_mode",
            _("Mức độ dịch vụ công trực tuyến không hợp lệ."),
            field="online_mode",
        )
    if changes.template_id is not None:
        template = ProcessTemplate.objects.filter(
            pk=changes.template_id, procedure=procedure, published_at__isnull=True
        ).first()
        if template is None:
            raise invalid(
                "unknown_template",
                _("Quy trình được chọn không phải bản nháp của thủ tục này."),
                field="template_id",
            )
        if not template.steps.exists():
            raise invalid("empty_template", _("Quy trình phải có ít nhất một bước."))
    return Changes(
        time_value=time_value,
        removed_documents=documents,
        fees=fees,
        online_mode=changes.online_mode,
        abolished=bool(changes.abolished),
        template_id=changes.template_id,
    )


# --- Applying -------------------------------------------------------------------------------


def bring_into_force(*, day: dt.date | None = None, procedure: Procedure | None = None) -> int:
    """Apply every version due by ``day`` (today by default), of ``procedure`` only if given,
    oldest date first. Safe to run twice, and at once in several processes: each version is
    applied once, under its row's lock. Returns how many this call applied."""
    day = day or today()
    pending = ProcedureVersion.objects.filter(applied_at__isnull=True, effective_from__lte=day)
    if procedure is not None:
        pending = pending.filter(procedure=procedure)
    ids = list(
        pending.order_by("effective_from", "procedure_id", "number").values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if _apply(pk))


_next_due: ProcessCache[int, dt.date | None] = ProcessCache("procedure versions pending")


def in_force_for_reception(procedure: Procedure, *, day: dt.date) -> bool:
    """Before a dossier of ``procedure`` is received on ``day``: apply its versions due by
    then, if the job has not yet. The date of its next pending version is cached per process
    under the reference stamp, so in the steady state this costs no query. True when the
    procedure's rules changed: the caller's cached reads are renewed already, and the
    procedure row is read again."""
    next_due = _next_due.get(
        procedure.pk,
        lambda: ProcedureVersion.objects.filter(
            procedure_id=procedure.pk, applied_at__isnull=True
        ).aggregate(first=Min("effective_from"))["first"],
    )
    if next_due is None or next_due > day:
        return False
    bring_into_force(day=day, procedure=procedure)
    renew()
    procedure.refresh_from_db(fields=["active", "valid_to", "online_mode"])
    return True


@transaction.atomic
def _apply(version_id: int) -> bool:
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


def vnd(amount: int) -> str:
    """1200000 → "1.200.000" (Vietnamese writes thousands with dots)."""
    return f"{int(amount):,}".replace(",", ".")


def number_text(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def time_label(value: Decimal, unit: str) -> str:
    """10 ngày làm việc."""
    label = TimeUnit(unit).label if unit in TimeUnit.values else unit
    return f"{number_text(value)} {label}"


def channel_label(channel: str) -> str:
    return str(Channel(channel).label) if channel in Channel.values else channel


def mode_label(mode: str | None) -> str:
    return str(OnlineMode(mode).label) if mode in OnlineMode.values else (mode or "")


def _summary(procedure: Procedure, changes: Changes) -> str:
    """The decision's changes in one line, for lists and the admin."""
    parts = []
    if changes.time_value is not None:
        parts.append(
            _("thời hạn giải quyết còn %(value)s") % {"value": number_text(changes.time_value)}
        )
    if changes.removed_documents:
        parts.append(_("bỏ %(n)s thành phần hồ sơ") % {"n": len(changes.removed_documents)})
    if changes.fees:
        parts.append(_("sửa %(n)s khoản phí, lệ phí") % {"n": len(changes.fees)})
    if changes.online_mode is not None:
        parts.append(
            _("dịch vụ công trực tuyến: %(mode)s")
            % {"mode": mode_label(changes.online_mode).lower()}
        )
    if changes.abolished:
        parts.append(_("bãi bỏ thủ tục"))
    if changes.template_id is not None:
        parts.append(_("áp dụng quy trình xử lý mới"))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
