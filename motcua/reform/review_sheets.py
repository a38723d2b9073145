"""What the review pages show of a proposal: its cost with every input and where it came
from, each change as the catalogue has it now beside what is proposed, and its history in
words. Reads only; the numbers are ``cost.py``'s, from what ``save_proposal`` stored."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from motcua.catalog.models import Procedure, RequiredDocument, TimeUnit
from motcua.core.actions import ActionError
from motcua.reform.cost import Cost, Saving, Step, hourly_income, saving, to_dong
from motcua.reform.costing import CostSide, Income, cost_of
from motcua.reform.models import ChangeKind, Proposal, ProposalChange, ProposalEvent
from motcua.reform.totals import vnd

EVENT_LABELS = {
    "open": gettext_lazy("Đưa thủ tục vào đợt rà soát"),
    "edit": gettext_lazy("Cập nhật phương án"),
    "submit": gettext_lazy("Gửi thẩm định"),
    "return": gettext_lazy("Yêu cầu hoàn thiện"),
    "approve": gettext_lazy("Thông qua phương án"),
    "enact": gettext_lazy("Ban hành quyết định"),
}
VOLUME_SOURCES = {
    "dossiers": gettext_lazy("Theo số hồ sơ đã tiếp nhận"),
    "override": gettext_lazy("Cơ quan tự nhập"),
}


# -- the cost ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    steps: tuple[Step, ...]
    hours: Decimal
    fees_vnd: int
    service_costs_vnd: int
    other_costs_vnd: int
    cost: Cost


@dataclass(frozen=True)
class Breakdown:
    """A proposal's cost as stored, recomputed from its inputs for display."""

    before: Side
    after: Side
    monthly_income_vnd: int
    working_days: Decimal
    hourly_income_vnd: int
    income_source: str
    executions_per_subject: Decimal
    subjects_per_year: int
    volume_source: str
    volume_note: str
    per_execution_saving: Saving
    annual_saving: Saving


def breakdown(proposal: Proposal) -> Breakdown | None:
    """None until the agency has saved its estimate (no income recorded yet)."""
    if not proposal.monthly_income_vnd:
        return None
    income = Income(
        proposal.monthly_income_vnd, proposal.working_days_per_month, proposal.income_source
    )
    try:
        before = CostSide.from_json(proposal.cost_before)
        after = CostSide.from_json(proposal.cost_after)
    except ActionError:  # stored by the action, so checked; never crash a page on it
        return None
    sides = []
    for side in (before, after):
        cost = cost_of(
            side,
            income=income,
            executions_per_subject=proposal.executions_per_subject,
            subjects_per_year=proposal.subjects_per_year,
        )
        sides.append(
            Side(
                side.steps,
                side.hours,
                side.fees_vnd,
                side.service_costs_vnd,
                side.other_costs_vnd,
                cost,
            )
        )
    shown_before, shown_after = sides
    return Breakdown(
        before=shown_before,
        after=shown_after,
        monthly_income_vnd=proposal.monthly_income_vnd,
        working_days=proposal.working_days_per_month,
        hourly_income_vnd=to_dong(
            hourly_income(proposal.monthly_income_vnd, proposal.working_days_per_month)
        ),
        income_source=proposal.income_source,
        executions_per_subject=proposal.executions_per_subject,
        subjects_per_year=proposal.subjects_per_year,
        volume_source=str(VOLUME_SOURCES.get(proposal.volume_source, proposal.volume_source)),
        volume_note=proposal.volume_note,
        per_execution_saving=saving(
            proposal.per_execution_before_vnd, proposal.per_execution_after_vnd
        ),
        annual_saving=saving(proposal.annual_before_vnd, proposal.annual_after_vnd),
    )


# -- the changes ------------------------------------------------------------------------------


def processing_time(procedure: Procedure) -> str:
    """The catalogue's processing time of ``procedure`` ("5 ngày làm việc"; each distinct
    one when its ways of filing differ)."""
    found: list[str] = []
    for method in procedure.methods.all():
        if method.time_value is not None and method.time_unit:
            text = f"{_number(method.time_value)} {TimeUnit(method.time_unit).label}"
        else:
            text = method.time_text.strip()
        if text and text not in found:
            found.append(text)
    return "; ".join(found)


def time_unit(procedure: Procedure) -> str:
    units = [m.time_unit for m in procedure.methods.all() if m.time_unit]
    return str(TimeUnit(units[0]).label) if units else ""


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _document(document: RequiredDocument) -> str:
    counts = []
    if document.originals:
        n = document.originals
        counts.append(ngettext("%(n)s bản chính", "%(n)s bản chính", n) % {"n": n})
    if document.copies:
        n = document.copies
        counts.append(ngettext("%(n)s bản sao", "%(n)s bản sao", n) % {"n": n})
    return f"{document.name} ({', '.join(counts)})" if counts else document.name


@dataclass(frozen=True)
class ChangeShown:
    change: ProposalChange
    before: str
    after: str


def changes_prefetch() -> Any:
    return Prefetch(
        "changes",
        queryset=ProposalChange.objects.select_related("document", "fee", "merged_with"),
    )


def changes_shown(proposal: Proposal) -> list[ChangeShown]:
    """Each change with the catalogue's current value and the proposed one (prefetch
    ``changes_prefetch()`` and the procedure's methods to read them in one query each)."""
    procedure = proposal.procedure
    shown = []
    # .all(): the callers prefetch the changes with their document, fee and procedure.
    for change in proposal.changes.all():
        before, after = "", ""
        kind = change.kind
        if kind == ChangeKind.SHORTEN_TIME and change.new_time_value is not None:
            before = processing_time(procedure) or "—"
            after = f"{_number(change.new_time_value)} {time_unit(procedure)}".strip()
        elif kind == ChangeKind.CUT_DOCUMENT and change.document is not None:
            before = _document(change.document)
            after = _("Không phải nộp")
        elif kind == ChangeKind.LOWER_FEE and change.fee is not None:
            before = f"{change.fee.name}: {vnd(change.fee.amount_vnd)} đ"
            after = f"{vnd(change.new_fee_vnd or 0)} đ"
        elif kind == ChangeKind.MERGE and change.merged_with is not None:
            before = _("Hai thủ tục riêng")
            after = _("Hợp nhất với %(code)s %(name)s") % {
                "code": change.merged_with.code,
                "name": change.merged_with.name,
            }
        elif kind == ChangeKind.ABOLISH:
            before = _("Đang áp dụng")
            after = _("Bãi bỏ")
        shown.append(ChangeShown(change, before, after))
    return shown


def change_summary(proposal: Proposal) -> str:
    """The changes in one line, for the report's table."""
    parts = []
    for item in changes_shown(proposal):
        text = item.change.get_kind_display()
        if item.before and item.after:
            text += f": {item.before} → {item.after}"
        if item.change.detail:
            text += f" ({item.change.detail})"
        parts.append(text)
    return "; ".join(parts)


# -- the history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventShown:
    event: ProposalEvent
    label: str
    note: str


def history(proposal: Proposal) -> list[EventShown]:
    shown = []
    for event in proposal.events.order_by("seq"):
        label = str(EVENT_LABELS.get(event.kind, event.kind))
        note = ""
        data = event.data or {}
        if event.kind == "edit":
            note = _("Chi phí/năm: %(before)s đ → %(after)s đ") % {
                "before": vnd(int(data.get("annual_before_vnd") or 0)),
                "after": vnd(int(data.get("annual_after_vnd") or 0)),
            }
        shown.append(EventShown(event, label, note))
    return shown
