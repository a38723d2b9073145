"""From decision to catalogue (docs/reform.md "From decision to catalogue"): the reform
office records the decision that enacts an approved proposal, and what the proposal changes
in the catalogue becomes a dated version of the procedure (``catalog.versions``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import OnlineMode
from motcua.catalog.versions import Changes, enact_version
from motcua.core.actions import ActionError, User, invalid, now, require_text
from motcua.core.inputs import FIRST_DAY, LAST_DAY
from motcua.core.text import normalize
from motcua.reform.access import ReviewAccess
from motcua.reform.actions.reviews import WORKFLOW
from motcua.reform.models import ChangeKind, Proposal, ProposalChange

DECISION_LENGTH = 100


@transaction.atomic
def enact_proposal(
    *, proposal: Proposal, decision_number: str, effective_from: dt.date, user: User
) -> Proposal:
    """Record the People's Committee's decision that enacts an approved proposal. What the
    proposal changes in the catalogue (the time, the documents, the fees, the online mode,
    an abolition) becomes a new version of the procedure from ``effective_from``
    (``catalog.versions``); dossiers received before keep the rules they were received
    under. A proposal that keeps the procedure as it is has nothing to enact."""
    proposal = WORKFLOW.lock(proposal)
    ReviewAccess.of(user).require_office()
    target = WORKFLOW.ensure(proposal, "enact")
    decision_number = require_text(
        normalize(decision_number), "decision_number", _("Nhập số quyết định thông qua.")
    )
    if len(decision_number) > DECISION_LENGTH:
        raise invalid(
            "decision_number", _("Số quyết định tối đa 100 ký tự."), field="decision_number"
        )
    changes = list(proposal.changes.select_related("document", "fee"))
    if not changes:
        raise ActionError(
            "nothing_to_enact",
            _("Phương án %(code)s giữ nguyên thủ tục, không có nội dung để ban hành.")
            % {"code": proposal.code},
        )
    catalogue = catalogue_changes(changes)
    version = None
    if catalogue != Changes():
        version = enact_version(
            procedure=proposal.procedure,
            changes=catalogue,
            decision_number=decision_number,
            effective_from=effective_from,
            actor=user,
            source=_("Phương án đơn giản hóa %(code)s") % {"code": proposal.code},
        )
    elif not FIRST_DAY <= effective_from <= LAST_DAY:
        raise invalid(
            "bad_effective_date", _("Ngày có hiệu lực phải trong khoảng năm 2000 đến 2099.")
        )
    proposal.decision_number = decision_number
    proposal.effective_from = effective_from
    proposal.version = version
    at = now()
    before = proposal.status
    proposal.status = target or proposal.status
    proposal.save(
        update_fields=["decision_number", "effective_from", "version", "status", "updated_at"]
    )
    WORKFLOW.append_event(
        proposal,
        kind="enact",
        actor=user,
        at=at,
        from_status=before,
        to_status=proposal.status,
        decision_number=decision_number,
        effective_from=effective_from.isoformat(),
        version=version.number if version is not None else None,
    )
    return proposal


def catalogue_changes(changes: Sequence[ProposalChange]) -> Changes:
    """What of ``changes`` reaches the catalogue. A step cut, a merger or another change is
    the agency's to carry out (or another decision's) and stays in the proposal only. A
    document or fee the catalogue no longer has (a re-import) refuses: the agency picks it
    again."""
    time_value = None
    documents: list[int] = []
    fees: list[tuple[int, int]] = []
    online_mode = None
    abolished = False
    for change in changes:
        kind = change.kind
        if kind == ChangeKind.SHORTEN_TIME:
            time_value = change.new_time_value
        elif kind == ChangeKind.CUT_DOCUMENT:
            if change.document_id is None:
                raise _lost(change)
            documents.append(change.document_id)
        elif kind == ChangeKind.LOWER_FEE:
            if change.fee_id is None or change.new_fee_vnd is None:
                raise _lost(change)
            fees.append((change.fee_id, change.new_fee_vnd))
        elif kind == ChangeKind.ONLINE_FULL:
            online_mode = OnlineMode.FULL
        elif kind == ChangeKind.ONLINE_PARTIAL and online_mode is None:
            online_mode = OnlineMode.PARTIAL
        elif kind == ChangeKind.ABOLISH:
            abolished = True
    return Changes(
        time_value=time_value,
        removed_documents=tuple(documents),
        fees=tuple(fees),
        online_mode=online_mode,
        abolished=abolished,
    )


def _lost(change: ProposalChange) -> ActionError:
    return invalid(
        "catalogue_changed",
        _(
            "Danh mục thủ tục đã được cập nhật sau khi lập phương án: nội dung “%(kind)s” không"
            " còn trỏ tới giấy tờ hoặc khoản phí nào. Trả phương án để cơ quan chọn lại."
        )
        % {"kind": change.get_kind_display()},
    )
