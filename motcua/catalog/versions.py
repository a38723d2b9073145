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
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    ExecutionMethod,
    Fee,
    OnlineMode,
    Procedure,
    ProcedureVersion,
    ProcessTemplate,
    RequiredDocument,
)
from motcua.catalog.version_apply import apply_version
from motcua.catalog.version_changes import Changes, summary, vnd
from motcua.core.actions import User, invalid, now, person
from motcua.core.inputs import FIRST_DAY, LAST_DAY, MAX_VND
from motcua.core.reference import ProcessCache, renew

DECISION_MAX = ProcedureVersion._meta.get_field("decision_number").max_length or 255
SOURCE_MAX = ProcedureVersion._meta.get_field("source").max_length or 500
# ExecutionMethod.time_value: max_digits=8, decimal_places=2.
TIME_MAX = Decimal("999999.99")
_CENT = Decimal("0.01")


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
        summary=summary(procedure, changes),
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
    return sum(1 for pk in ids if apply_version(pk))


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
