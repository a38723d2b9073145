"""A proposal's workflow and its drafting and deciding actions (docs/reform.md): each agency
drafts its proposal per procedure with the compliance cost before and after, and its leader
sends it; the office sends it back for rework or approves it. Opening cycles is
``cycles.py``; recording the enacting decision, ``enactment.py``.

Each action locks the proposal, checks the actor (``access.ReviewAccess``) and the status
(``TRANSITIONS``), appends the hash-chained event and saves with ``update_fields``, in one
transaction. Events hold codes, kinds and amounts, never a person's data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import ExecutionMethod, Fee, Procedure, RequiredDocument
from motcua.core.actions import (
    User,
    Workflow,
    invalid,
    now,
    require_text,
)
from motcua.core.text import normalize
from motcua.reform.access import ReviewAccess
from motcua.reform.costing import CostSide, cost_of, income_on, volume_of
from motcua.reform.models import (
    ChangeKind,
    Proposal,
    ProposalChange,
    ProposalEvent,
    ProposalStatus,
)

S = ProposalStatus
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
TRANSITIONS = {
    "edit": (EDITABLE, None),
    "submit": (EDITABLE, S.SUBMITTED),
    # An approved proposal goes back too: a decision may still find it wanting, or the
    # catalogue may have changed under it before it is enacted.
    "return": (frozenset({S.SUBMITTED, S.APPROVED}), S.RETURNED),
    "approve": (frozenset({S.SUBMITTED}), S.APPROVED),
    "enact": (frozenset({S.APPROVED}), S.ENACTED),
}
WORKFLOW: Workflow[Proposal, ProposalEvent] = Workflow(
    model=Proposal,
    events=ProposalEvent,
    transitions=TRANSITIONS,
    refusal=gettext_lazy(
        "Phương án %(code)s đang ở trạng thái “%(status)s”, không thực hiện được thao tác này."
    ),
)
# What a year's cost may reach: the columns hold 2^63 − 1; no province spends 10^18 đồng.
MAX_ANNUAL_VND = 10**18
NOTE_LENGTH = 4000
DETAIL_LENGTH = 2000
MAX_CHANGES = 20


# -- cycles -----------------------------------------------------------------------------------


# -- drafting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeSpec:
    """One change as a form or the API sends it (ids, not objects)."""

    kind: str
    detail: str = ""
    new_time_value: Decimal | None = None
    document_id: int | None = None
    fee_id: int | None = None
    new_fee_vnd: int | None = None
    merged_with_id: int | None = None


@dataclass(frozen=True)
class VolumeOverride:
    """The agency's own volume, instead of the dossiers received, with its reason."""

    executions_per_subject: Decimal
    subjects_per_year: int
    note: str


@transaction.atomic
def save_proposal(
    *,
    proposal: Proposal,
    description: str,
    reason: str,
    changes: Sequence[ChangeSpec],
    before: CostSide,
    after: CostSide,
    user: User,
    volume: VolumeOverride | None = None,
) -> Proposal:
    """Record the agency's draft: what it proposes to change and why, and the compliance
    cost before and after (computed with the province's income and volume of the day)."""
    proposal = WORKFLOW.lock(proposal)
    access = ReviewAccess.of(user)
    access.require(access.may_draft(proposal), proposal)
    WORKFLOW.ensure(proposal, "edit")
    description = normalize(description)
    reason = normalize(reason)
    for field, text in (("description", description), ("reason", reason)):
        if len(text) > NOTE_LENGTH:
            raise invalid(field, _("Tối đa 4.000 ký tự."), field=field)
    made = [_checked(proposal, spec) for spec in changes[: MAX_CHANGES + 1]]
    if len(made) > MAX_CHANGES:
        raise invalid("changes", _("Tối đa 20 nội dung cho mỗi phương án."), field="changes")
    if len({change.kind for change in made}) < len(made) and _duplicated(made):
        raise invalid("changes", _("Một nội dung bị lặp lại."), field="changes")

    at = now()
    _price(proposal, before, after, volume, day=timezone.localdate(at))
    proposal.description = description
    proposal.reason = reason
    proposal.changes.all().delete()
    for position, change in enumerate(made):
        change.proposal = proposal
        change.position = position
    ProposalChange.objects.bulk_create(made)
    proposal.save(
        update_fields=[
            "description",
            "reason",
            "cost_before",
            "cost_after",
            "executions_per_subject",
            "subjects_per_year",
            "volume_source",
            "volume_note",
            "monthly_income_vnd",
            "working_days_per_month",
            "income_source",
            "per_execution_before_vnd",
            "per_execution_after_vnd",
            "annual_before_vnd",
            "annual_after_vnd",
            "updated_at",
        ]
    )
    WORKFLOW.append_event(
        proposal,
        kind="edit",
        actor=user,
        at=at,
        changes=[change.kind for change in made],
        per_execution_before_vnd=proposal.per_execution_before_vnd,
        per_execution_after_vnd=proposal.per_execution_after_vnd,
        annual_before_vnd=proposal.annual_before_vnd,
        annual_after_vnd=proposal.annual_after_vnd,
    )
    return proposal


def _price(
    proposal: Proposal,
    before: CostSide,
    after: CostSide,
    volume: VolumeOverride | None,
    *,
    day: dt.date,
) -> None:
    income = income_on(day)
    if volume is None:
        found = volume_of(proposal.procedure, end=day)
        executions, subjects = found.executions_per_subject, found.subjects
        proposal.volume_source = "dossiers"
        proposal.volume_note = _(
            "%(dossiers)s hồ sơ tiếp nhận từ %(start)s đến %(end)s, %(subjects)s đối tượng."
        ) % {
            "dossiers": found.dossiers,
            "start": f"{found.start:%d/%m/%Y}",
            "end": f"{found.end:%d/%m/%Y}",
            "subjects": found.subjects,
        }
    else:
        if not Decimal("0.01") <= volume.executions_per_subject <= Decimal(9999):
            raise invalid(
                "executions_per_subject",
                _("Số lần thực hiện/năm của một đối tượng phải từ 0,01 đến 9.999."),
                field="executions_per_subject",
            )
        if not 0 <= volume.subjects_per_year <= 10**8:
            raise invalid(
                "subjects_per_year",
                _("Số đối tượng/năm phải từ 0 đến 100.000.000."),
                field="subjects_per_year",
            )
        note = require_text(
            normalize(volume.note),
            "volume_note",
            _("Nêu nguồn số liệu khi tự nhập số lượng đối tượng."),
        )[:255]
        executions, subjects = volume.executions_per_subject, volume.subjects_per_year
        proposal.volume_source = "override"
        proposal.volume_note = note
    cost_before = cost_of(
        before, income=income, executions_per_subject=executions, subjects_per_year=subjects
    )
    cost_after = cost_of(
        after, income=income, executions_per_subject=executions, subjects_per_year=subjects
    )
    if max(cost_before.annual_vnd, cost_after.annual_vnd) > MAX_ANNUAL_VND:
        raise invalid(
            "annual_too_large",
            _(
                "Chi phí một năm vượt 10^18 đồng: kiểm tra lại số lần thực hiện, số đối tượng"
                " và các khoản chi phí."
            ),
            field="subjects_per_year",
        )
    proposal.cost_before = before.to_json()
    proposal.cost_after = after.to_json()
    proposal.executions_per_subject = executions
    proposal.subjects_per_year = subjects
    proposal.monthly_income_vnd = income.monthly_vnd
    proposal.working_days_per_month = income.working_days
    proposal.income_source = income.source[:255]
    proposal.per_execution_before_vnd = cost_before.per_execution_vnd
    proposal.per_execution_after_vnd = cost_after.per_execution_vnd
    proposal.annual_before_vnd = cost_before.annual_vnd
    proposal.annual_after_vnd = cost_after.annual_vnd


def _checked(proposal: Proposal, spec: ChangeSpec) -> ProposalChange:
    """A change of ``proposal`` from ``spec``, with the fields its kind needs."""
    if spec.kind not in ChangeKind.values:
        raise invalid("kind", _("Loại nội dung đơn giản hóa không hợp lệ."), field="changes")
    detail = normalize(spec.detail)
    if len(detail) > DETAIL_LENGTH:
        raise invalid("detail", _("Nội dung tối đa 2.000 ký tự."), field="changes")
    change = ProposalChange(kind=spec.kind, detail=detail)
    kind = ChangeKind(spec.kind)
    if kind == ChangeKind.SHORTEN_TIME:
        value = spec.new_time_value
        if value is None or not value.is_finite() or not Decimal("0.01") <= value <= Decimal(9999):
            raise invalid(
                "new_time_value",
                _("Nhập thời hạn mới (từ 0,01 đến 9.999, theo đơn vị thời hạn hiện hành)."),
                field="changes",
            )
        timed = ExecutionMethod.objects.filter(
            procedure_id=proposal.procedure_id, time_value__isnull=False
        ).exclude(time_unit="")
        if not timed.exists():
            raise invalid(
                "no_timed_method",
                _("Thủ tục chưa có thời hạn giải quyết trong danh mục để rút ngắn."),
                field="changes",
            )
        change.new_time_value = value.quantize(Decimal("0.01"))
    elif kind == ChangeKind.CUT_DOCUMENT:
        document = (
            RequiredDocument.objects.in_force()
            .filter(pk=spec.document_id or 0, procedure_id=proposal.procedure_id)
            .first()
        )
        if document is None:
            raise invalid(
                "document", _("Chọn thành phần hồ sơ của thủ tục cần cắt giảm."), field="changes"
            )
        change.document = document
    elif kind == ChangeKind.LOWER_FEE:
        fee = Fee.objects.filter(
            pk=spec.fee_id or 0, method__procedure_id=proposal.procedure_id
        ).first()
        if fee is None:
            raise invalid("fee", _("Chọn khoản phí, lệ phí của thủ tục."), field="changes")
        new = spec.new_fee_vnd
        if new is None or not 0 <= new < fee.amount_vnd:
            raise invalid(
                "new_fee_vnd",
                _("Mức phí mới phải thấp hơn mức hiện hành (%(amount)s đồng).")
                % {"amount": f"{fee.amount_vnd:,}".replace(",", ".")},
                field="changes",
            )
        change.fee = fee
        change.new_fee_vnd = new
    elif kind == ChangeKind.MERGE:
        other = Procedure.objects.filter(pk=spec.merged_with_id or 0).exclude(
            pk=proposal.procedure_id
        )
        merged_with = other.first()
        if merged_with is None:
            raise invalid("merged_with", _("Chọn thủ tục hợp nhất với."), field="changes")
        change.merged_with = merged_with
    elif kind in (ChangeKind.CUT_STEP, ChangeKind.OTHER) and not detail:
        raise invalid("detail", _("Mô tả nội dung sửa đổi."), field="changes")
    return change


def _duplicated(changes: list[ProposalChange]) -> bool:
    keys = [
        (c.kind, c.document_id, c.fee_id, c.merged_with_id)
        for c in changes
        if c.kind not in (ChangeKind.CUT_STEP, ChangeKind.OTHER)
    ]
    return len(set(keys)) < len(keys)


# -- deciding ---------------------------------------------------------------------------------


@transaction.atomic
def submit_proposal(*, proposal: Proposal, user: User) -> Proposal:
    """The agency's leader sends the proposal to the reform office. A proposal that
    simplifies needs its reason and its cost before; one that changes nothing records that
    the procedure was reviewed and is kept."""
    proposal = WORKFLOW.lock(proposal)
    access = ReviewAccess.of(user)
    access.require(access.may_submit(proposal), proposal)
    target = WORKFLOW.ensure(proposal, "submit")
    if proposal.simplifies:
        if not proposal.reason:
            raise invalid("reason", _("Nêu lý do, căn cứ của phương án trước khi gửi."))
        if not proposal.per_execution_before_vnd:
            raise invalid(
                "cost_before", _("Tính chi phí tuân thủ hiện tại của thủ tục trước khi gửi.")
            )
    return _move(proposal, "submit", target, user, submitted_at=now())


@transaction.atomic
def return_proposal(*, proposal: Proposal, note: str, user: User) -> Proposal:
    """The reform office sends the proposal back to its agency to rework, saying what."""
    proposal = WORKFLOW.lock(proposal)
    ReviewAccess.of(user).require_office()
    target = WORKFLOW.ensure(proposal, "return")
    note = require_text(normalize(note), "note", _("Nêu nội dung cần hoàn thiện."))
    if len(note) > NOTE_LENGTH:
        raise invalid("note", _("Tối đa 4.000 ký tự."), field="note")
    proposal.review_note = note
    proposal.decided_at = None
    return _move(proposal, "return", target, user, fields=["review_note", "decided_at"])


@transaction.atomic
def approve_proposal(*, proposal: Proposal, user: User, note: str = "") -> Proposal:
    """The reform office approves the proposal (it goes into the province's decision)."""
    proposal = WORKFLOW.lock(proposal)
    ReviewAccess.of(user).require_office()
    target = WORKFLOW.ensure(proposal, "approve")
    note = normalize(note)
    if len(note) > NOTE_LENGTH:
        raise invalid("note", _("Tối đa 4.000 ký tự."), field="note")
    proposal.review_note = note
    return _move(proposal, "approve", target, user, fields=["review_note"], decided_at=now())


def _move(
    proposal: Proposal,
    kind: str,
    target: str | None,
    user: User,
    *,
    fields: Sequence[str] = (),
    submitted_at: dt.datetime | None = None,
    decided_at: dt.datetime | None = None,
) -> Proposal:
    at = submitted_at or decided_at or now()
    before = proposal.status
    update = [*fields, "updated_at"]
    if target is not None:
        proposal.status = target
        update.append("status")
    if submitted_at is not None:
        proposal.submitted_at = submitted_at
        update.append("submitted_at")
    if decided_at is not None:
        proposal.decided_at = decided_at
        update.append("decided_at")
    proposal.save(update_fields=update)
    WORKFLOW.append_event(
        proposal, kind=kind, actor=user, at=at, from_status=before, to_status=proposal.status
    )
    return proposal
