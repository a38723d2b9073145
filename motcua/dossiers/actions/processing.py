"""Processing: moving a dossier through its workflow, pausing and resuming its clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, User, invalid, now, person
from motcua.core.inputs import EARLIEST, LATEST
from motcua.dossiers.actions.store import keep_documents
from motcua.dossiers.actions.transitions import append_event, ensure, lock
from motcua.dossiers.clock import (
    add_hours,
    calendar_of,
    flag_for,
    outcome_of,
    pause_clock,
    resume_clock,
)
from motcua.dossiers.counters import bump_daily, close_dossier, set_deadline_flag
from motcua.dossiers.models import (
    Apology,
    Dossier,
    DossierDocument,
    DossierStep,
    Payment,
    SupplementRequest,
)
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.permissions import Scope, authorise, next_step, steps_of
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.time_counters import MEASURED, count_step, step_acted
from motcua.notifications.models import NotificationKind
from motcua.org.models import Agency

UPDATED = ["status", "updated_at"]


def finish_step(dossier: Dossier, *, actor: User | None, at: dt.datetime, note: str = "") -> None:
    """Close the current step with its own on-time result (Form 06)."""
    step = dossier.current_step
    if step is None or step.finished_at is not None:
        return
    step.finished_at = at
    step.outcome = outcome_of(at, step.due_at, apologised=False)
    step.handled_by = person(actor)
    step.note = note
    count_step(dossier, step)
    step.save(update_fields=["finished_at", "outcome", "handled_by", "note", *MEASURED])


def start_step(dossier: Dossier, step: DossierStep, *, at: dt.datetime) -> None:
    step.started_at = at
    step.due_at = add_hours(calendar_of(step.agency_id), at, step.allotted_hours)
    step.save(update_fields=["agency", "started_at", "due_at"])
    dossier.current_step = step
    dossier.current_agency_id = step.agency_id
    dossier.assignee = None


@transaction.atomic
def forward_dossier(
    *,
    dossier: Dossier,
    officer: User,
    to_agency: Agency | None = None,
    note: str = "",
) -> Dossier:
    """Hand the dossier to the next step of its workflow, or to another agency or level
    (inter-agency one-stop): the current step closes with its on-time result. Sending the
    next step elsewhere than the process plans is a leader's decision, for a step whose
    agency the process leaves open (``redirect_step``)."""
    dossier = lock(dossier)
    target = ensure(dossier, "forward")
    authorise(dossier, officer, "forward")
    at = now()
    following = next_step(steps_of(dossier))
    if following is None:
        raise ActionError(
            "no_next_step",
            _("Hồ sơ đã ở bước giải quyết cuối của quy trình; hãy ghi nhận đã có kết quả."),
        )
    previous_step = dossier.current_step
    planned = following.agency
    if to_agency is not None and to_agency.pk != following.agency_id:
        redirect_step(dossier, following, to_agency=to_agency, officer=officer)
    finish_step(dossier, actor=officer, at=at, note=note)
    start_step(dossier, following, at=at)
    previous = dossier.status
    dossier.status = target or dossier.status
    dossier.save(update_fields=[*UPDATED, "current_step", "current_agency", "assignee"])
    append_event(
        dossier,
        kind="forward",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        from_step=previous_step.name if previous_step else "",
        from_agency=previous_step.agency.name if previous_step else "",
        to_step=following.name,
        to_agency=following.agency.name,
        planned_agency=planned.name,
        step_due_at=following.due_at,
        step_outcome=previous_step.outcome if previous_step else "",
        note=note,
    )
    return dossier


def redirect_step(
    dossier: Dossier, following: DossierStep, *, to_agency: Agency, officer: User
) -> None:
    """Send the next step to ``to_agency`` instead of the agency the process plans: only a
    leader of the agency holding the dossier decides it, only for a step whose agency the
    process template leaves open (a step it names an agency for, such as the police's in an
    inter-agency workflow, stays there), and never to an agency where the leader could take
    that step himself. The event keeps both agencies."""
    if not to_agency.active:
        raise invalid("agency_inactive", _("Cơ quan này không còn hoạt động."))
    scope = Scope.of(officer)
    if dossier.current_agency_id not in scope.led_agencies:
        raise ActionError(
            "redirect_needs_leader",
            _("Chỉ lãnh đạo cơ quan đang giữ hồ sơ được chuyển bước sau sang cơ quan khác."),
            status=403,
        )
    if (to_agency.pk, following.role) in scope.roles:
        raise ActionError(
            "redirect_to_self",
            _("Không chuyển bước sau đến cơ quan mà chính bạn thực hiện bước đó."),
            status=403,
        )
    fixed = dossier.template.steps.filter(position=following.position, agency__isnull=False)
    if fixed.exists():
        raise invalid(
            "step_agency_fixed",
            _("Quy trình quy định cơ quan thực hiện bước «%(step)s»; không chuyển nơi khác được.")
            % {"step": following.name},
        )
    following.agency = to_agency


@transaction.atomic
def record_step(*, dossier: Dossier, officer: User, note: str) -> Dossier:
    """Record an officer's opinion on the current step (appraisal notes) without moving it."""
    if not note.strip():
        raise invalid("note_required", _("Cần nhập nội dung."))
    dossier = lock(dossier)
    ensure(dossier, "record_step")
    authorise(dossier, officer, "record_step")
    step = dossier.current_step
    at = now()
    _acted(step, at)
    append_event(
        dossier,
        kind="record_step",
        actor=officer,
        at=at,
        step=step.name if step else "",
        note=note.strip(),
    )
    return dossier


def _acted(step: DossierStep | None, at: dt.datetime) -> None:
    """An officer of the step acted on it: the first time, the step's waiting ends
    (``time_counters.py``)."""
    fields = step_acted(step, at)
    if step is not None and fields:
        step.save(update_fields=fields)


RESUMED = [
    *UPDATED,
    "resume_status",
    "paused_at",
    "paused_seconds",
    "due_at",
    "deadline_flag",
]


@transaction.atomic
def request_supplement(
    *, dossier: Dossier, officer: User, reason: str, items: list[str], note: str = ""
) -> Dossier:
    """Ask the applicant to supplement the dossier (Form 02); the clock stops."""
    items = [item.strip() for item in items if item and item.strip()]
    if not reason.strip() or not items:
        raise invalid(
            "supplement_incomplete", _("Cần nêu lý do và ít nhất một nội dung cần bổ sung.")
        )
    dossier = lock(dossier)
    target = ensure(dossier, "request_supplement")
    authorise(dossier, officer, "request_supplement")
    at = now()
    previous = dossier.status
    _acted(dossier.current_step, at)
    pause_clock(dossier, at=at, target=target or dossier.status)
    dossier.save(update_fields=[*UPDATED, "resume_status", "paused_at"])
    SupplementRequest.objects.create(
        dossier=dossier,
        requested_at=at,
        requested_by=person(officer),
        reason=reason.strip(),
        items=items,
        due_before=dossier.due_at or at,
    )
    append_event(
        dossier,
        kind="request_supplement",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        reason=reason.strip(),
        items=items,
        note=note,
    )
    notify_applicant(dossier=dossier, kind=NotificationKind.SUPPLEMENT_REQUEST)
    return dossier


@dataclass(frozen=True)
class SuppliedDocument:
    """A document the applicant sends in answer to a supplement request: the item asked for,
    and the file, already checked (``core.uploads.check``) and named as it is to be stored."""

    name: str
    file: File


@transaction.atomic
def complete_supplement(
    *,
    dossier: Dossier,
    officer: User | None,
    note: str = "",
    answering: SupplementRequest | None = None,
    documents: Sequence[SuppliedDocument] = (),
) -> Dossier:
    """The applicant supplied what was asked; the clock resumes and the due moment moves by
    the paused working time.

    ``documents`` (the applicant's upload on the portal) are kept as digitised documents of
    the request they answer, after the dossier's others. ``answering`` is the request the
    applicant saw: refused (``not_waiting``) unless it is still the open one, so files sent
    for a request that was answered or replaced meanwhile never attach to another."""
    dossier = lock(dossier)
    request = (
        dossier.supplements.filter(completed_at__isnull=True).order_by("-requested_at").first()
    )
    if answering is not None and (
        dossier.status != DossierStatus.SUPPLEMENT_REQUESTED
        or request is None
        or request.pk != answering.pk
    ):
        raise ActionError("not_waiting", _("Hồ sơ không còn chờ bổ sung giấy tờ."))
    ensure(dossier, "complete_supplement")
    authorise(dossier, officer, "complete_supplement")
    _attach(dossier, request, documents)
    at = now()
    previous = dossier.status
    due_before = dossier.due_at
    seconds = resume_clock(dossier, at=at)
    dossier.save(update_fields=RESUMED)
    if request is not None:
        request.completed_at = at
        request.paused_seconds = seconds
        request.due_after = dossier.due_at
        request.save(update_fields=["completed_at", "paused_seconds", "due_after"])
    append_event(
        dossier,
        kind="complete_supplement",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        paused_seconds=seconds,
        due_before=due_before,
        due_at=dossier.due_at,
        note=note,
    )
    if documents:
        keep_documents(dossier=dossier, at=at)
    return dossier


def _attach(
    dossier: Dossier, request: SupplementRequest | None, documents: Sequence[SuppliedDocument]
) -> None:
    if not documents:
        return
    last = dossier.documents.aggregate(last=Max("position"))["last"] or 0
    for position, supplied in enumerate(documents, start=last + 1):
        document = DossierDocument(
            dossier=dossier,
            position=position,
            name=supplied.name,
            digitised=True,
            supplement=request,
        )
        document.file.save(str(supplied.file.name), supplied.file, save=True)


@transaction.atomic
def request_payment(
    *, dossier: Dossier, officer: User, amount_vnd: int | None = None, note: str = ""
) -> Dossier:
    """Ask the applicant to pay fees or taxes (status 6); the clock stops meanwhile, as the
    time for financial obligations is not the agency's processing time."""
    dossier = lock(dossier)
    target = ensure(dossier, "request_payment")
    authorise(dossier, officer, "request_payment")
    due = amount_vnd if amount_vnd is not None else dossier.fee_total_vnd - dossier.paid_vnd
    if due <= 0:
        raise invalid("nothing_to_pay", _("Hồ sơ không còn khoản phí, lệ phí nào phải nộp."))
    at = now()
    previous = dossier.status
    if amount_vnd is not None:
        dossier.fee_total_vnd = dossier.paid_vnd + amount_vnd
    _acted(dossier.current_step, at)
    pause_clock(dossier, at=at, target=target or dossier.status)
    dossier.save(update_fields=[*UPDATED, "resume_status", "paused_at", "fee_total_vnd"])
    append_event(
        dossier,
        kind="request_payment",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        amount_vnd=due,
        note=note,
    )
    return dossier


@transaction.atomic
def record_payment(
    *,
    dossier: Dossier,
    officer: User | None,
    amount_vnd: int,
    reference: str,
    paid_at: dt.datetime | None = None,
    note: str = "",
) -> Dossier:
    """Record a payment; the same reference twice is recorded once (a retried callback)."""
    reference = reference.strip()
    if amount_vnd <= 0 or not reference:
        raise invalid("bad_payment", _("Cần số tiền lớn hơn 0 và mã giao dịch."))
    dossier = lock(dossier)
    if dossier.payments.filter(reference=reference).exists():
        return dossier
    ensure(dossier, "record_payment")
    authorise(dossier, officer, "record_payment")
    at = now()
    Payment.objects.create(
        dossier=dossier,
        amount_vnd=amount_vnd,
        reference=reference,
        paid_at=paid_at or at,
        recorded_by=person(officer),
    )
    dossier.paid_vnd += amount_vnd
    previous = dossier.status
    fields = ["paid_vnd", "updated_at"]
    if dossier.paid_vnd >= dossier.fee_total_vnd:
        resume_clock(dossier, at=at)
        fields = [*RESUMED, "paid_vnd"]
    dossier.save(update_fields=fields)
    append_event(
        dossier,
        kind="record_payment",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        amount_vnd=amount_vnd,
        reference=reference,
        # Full payment resumes the clock and moves the due moment (verify_audit checks it).
        due_at=dossier.due_at,
        note=note,
    )
    return dossier


def _end(
    dossier: Dossier, *, kind: str, officer: User | None, reason: str, counter: str
) -> Dossier:
    if not reason.strip():
        raise invalid("reason_required", _("Cần nêu lý do."))
    dossier = lock(dossier)
    target = ensure(dossier, kind)
    authorise(dossier, officer, kind)
    at = now()
    previous = dossier.status
    if dossier.is_active:
        # Flows before the in-progress stock, as in every action (docs/rules/indicators.md
        # "Rollups"): transactions lock counter rows in one order and cannot deadlock.
        bump_daily(dossier, counter, at)
        close_dossier(dossier)
    dossier.status = target or dossier.status
    dossier.finished_at = at
    dossier.paused_at = None
    dossier.save(update_fields=[*UPDATED, "finished_at", "paused_at"])
    append_event(
        dossier,
        kind=kind,
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        reason=reason.strip(),
    )
    return dossier


@transaction.atomic
def stop_processing(*, dossier: Dossier, officer: User, reason: str) -> Dossier:
    """Stop processing the dossier (Form 05)."""
    return _end(dossier, kind="stop", officer=officer, reason=reason, counter="stopped")


@transaction.atomic
def withdraw_dossier(*, dossier: Dossier, officer: User | None, reason: str) -> Dossier:
    """The applicant withdraws the dossier."""
    return _end(dossier, kind="withdraw", officer=officer, reason=reason, counter="withdrawn")


@transaction.atomic
def apologise(
    *, dossier: Dossier, officer: User, reason: str, new_due_at: dt.datetime, note: str = ""
) -> Dossier:
    """Apologise for a late dossier and set a new appointment (Form 04). The dossier stays
    counted late whenever it is finished."""
    if not reason.strip():
        raise invalid("reason_required", _("Cần nêu lý do."))
    if timezone.is_naive(new_due_at):
        new_due_at = timezone.make_aware(new_due_at)
    if not EARLIEST <= new_due_at < LATEST:
        # The working calendar counts these years only: a year-9999 date would break every
        # page that shows the dossier's time left.
        raise invalid("new_due_out_of_range", _("Ngày hẹn trả mới phải trong năm 2000 đến 2099."))
    dossier = lock(dossier)
    ensure(dossier, "apologise")
    authorise(dossier, officer, "apologise")
    at = now()
    if new_due_at <= at or (dossier.due_at is not None and new_due_at <= dossier.due_at):
        raise invalid(
            "new_due_not_later",
            _("Ngày hẹn trả mới phải sau ngày hẹn hiện tại và sau thời điểm này."),
        )
    due_before = dossier.due_at
    Apology.objects.create(
        dossier=dossier,
        at=at,
        by=person(officer),
        reason=reason.strip(),
        due_before=due_before or at,
        due_after=new_due_at,
    )
    dossier.due_at = new_due_at
    dossier.apologised = True
    if not dossier.is_paused:
        set_deadline_flag(dossier, flag_for(new_due_at, at))
    dossier.save(update_fields=["due_at", "apologised", "deadline_flag", "updated_at"])
    append_event(
        dossier,
        kind="apologise",
        actor=officer,
        at=at,
        reason=reason.strip(),
        due_before=due_before,
        due_at=new_due_at,
        note=note,
    )
    notify_applicant(dossier=dossier, kind=NotificationKind.APOLOGY)
    return dossier
