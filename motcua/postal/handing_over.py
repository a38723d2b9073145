"""The hand-over of checked pickup parcels to the agency's desk, and the desk's receipt
(Decision 45/2016/QĐ-TTg, Articles 9–10; docs/postal.md "The hand-over", "The receipt and
the clock"; docs/architecture.md rules 1–2).

``create_handover``: a postal officer puts the parcels checked complete for one desk into a
hand-over record (biên bản bàn giao), with each dossier's documents and the fees the post
collected on the agency's behalf.

``receive_handover``: a receptionist of that desk (or of its agency) confirms receipt, of
all parcels or of all but those found missing. The receipt is the dossier's reception: a
dossier that was an online submission awaiting reception (status ``submitted``) is received
through ``accept_submission`` at the receipt's moment, so its statutory time runs from the
agency's receipt of the papers (Decision 45/2016, Article 10: the time limit counts from the
day the agency receives the dossier from the post). A dossier already received whose papers
came for a supplement (``supplement_requested``) records the papers' arrival and keeps its
clock: the supplement is completed (``complete_supplement``) by the agency once it has checked
them. The orders become ``handed_over``; the fees collected on the received parcels are
recorded as remitted to the agency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, User, invalid, person
from motcua.dossiers.actions.reception import accept_submission, reception_moment
from motcua.dossiers.actions.transitions import append_event, lock
from motcua.dossiers.permissions import forbidden
from motcua.dossiers.status import DossierStatus
from motcua.org.models import DeskKind
from motcua.postal.access import may_receive_handover, post_offices_of
from motcua.postal.checking import in_handover, latest_check, may_check
from motcua.postal.counters import count, set_status
from motcua.postal.handover import NOTES_MAX
from motcua.postal.models import (
    Handover,
    HandoverItem,
    HandoverOutcome,
    OrderStatus,
    PostalOrder,
    PostalService,
)

MAX_PARCELS = 200
# A pickup's papers are awaited while the dossier waits for reception or for a supplement.
PAPERS_AWAITED = frozenset({DossierStatus.SUBMITTED, DossierStatus.SUPPLEMENT_REQUESTED})


def _refuse(order: PostalOrder, message: str) -> ActionError:
    return ActionError(
        "not_ready_for_handover",
        message % {"code": order.dossier.code},
        details={"order": order.pk},
    )


@transaction.atomic
def create_handover(*, officer: User, orders: Sequence[PostalOrder]) -> Handover:
    """Group pickup parcels checked complete, for one desk, into a hand-over record
    (Decision 45/2016/QĐ-TTg, Article 9): number, date, each dossier's documents as the
    check found them, the fees collected on the agency's behalf (``cod_vnd``) and their total.
    Each dossier's history gets ``postal_handover_created``."""
    if not orders:
        raise invalid("no_orders", _("Chọn ít nhất một hồ sơ để bàn giao."))
    if len(orders) > MAX_PARCELS:
        raise invalid("too_many", _("Mỗi biên bản tối đa %(max)s hồ sơ.") % {"max": MAX_PARCELS})
    offices = post_offices_of(officer)
    if not offices:
        raise ActionError(
            "forbidden", _("Chỉ nhân viên bưu điện lập biên bản bàn giao."), status=403
        )
    # Dossiers locked in one order (by id) so two hand-overs never wait on each other.
    ordered = sorted({o.pk: o for o in orders}.values(), key=lambda o: o.dossier_id)
    dossiers = [lock(o.dossier) for o in ordered]
    # Only the orders' rows: a desk's row is the desk queue's lock (appointments).
    locked = PostalOrder.objects.select_for_update(of=("self",)).filter(
        pk__in=[o.pk for o in ordered]
    )
    by_pk = {o.pk: o for o in locked.select_related("dossier__desk")}
    desks = {by_pk[o.pk].dossier.desk_id for o in ordered}
    if len(desks) != 1:
        raise invalid("several_desks", _("Mỗi biên bản chỉ bàn giao hồ sơ cho một nơi tiếp nhận."))
    desk = by_pk[ordered[0].pk].dossier.desk
    if desk.kind == DeskKind.POST_OFFICE:
        raise invalid(
            "post_office_desk",
            _("Hồ sơ nộp tại điểm bưu điện được tiếp nhận tại đó, không bàn giao."),
        )
    checks = []
    for source in ordered:
        order = by_pk[source.pk]
        if not may_check(order, officer):
            raise forbidden(order.dossier.code)
        check = latest_check(order)
        if (
            order.service != PostalService.PICKUP
            or order.status != OrderStatus.COLLECTED
            or check is None
            or not check.complete
        ):
            raise _refuse(order, _("Hồ sơ %(code)s chưa được kiểm tra đủ, chưa bàn giao được."))
        if in_handover(order):
            raise _refuse(order, _("Hồ sơ %(code)s đã nằm trong một biên bản bàn giao khác."))
        if order.dossier.status not in PAPERS_AWAITED:
            raise _refuse(
                order,
                _("Hồ sơ %(code)s không còn chờ giấy tờ (đã rút, bị từ chối hoặc đã tiếp nhận)."),
            )
        checks.append(check)
    at = timezone.now()
    handover = Handover.objects.create(
        number=f"tmp-{at.timestamp()}-{officer.pk}",
        post_office=offices[0],
        desk=desk,
        agency=desk.agency,
        created_by=person(officer),
        created_at=at,
        cod_total_vnd=sum(by_pk[o.pk].cod_vnd for o in ordered),
    )
    handover.number = f"BG-{timezone.localtime(at).year}-{handover.pk:06d}"
    handover.save(update_fields=["number"])
    try:
        with transaction.atomic():
            HandoverItem.objects.bulk_create(
                HandoverItem(
                    handover=handover,
                    position=position,
                    order=by_pk[source.pk],
                    dossier_id=source.dossier_id,
                    check_record=check,
                    documents=check.documents,
                    cod_vnd=by_pk[source.pk].cod_vnd,
                )
                for position, (source, check) in enumerate(zip(ordered, checks, strict=True), 1)
            )
    except IntegrityError:
        raise ActionError(
            "already_in_handover", _("Có hồ sơ đã nằm trong một biên bản bàn giao khác.")
        ) from None
    for dossier, source in zip(dossiers, ordered, strict=True):
        append_event(
            dossier,
            kind="postal_handover_created",
            actor=officer,
            at=at,
            order=source.pk,
            handover=handover.pk,
            number=handover.number,
        )
    return handover


@transaction.atomic
def receive_handover(
    *,
    handover: Handover,
    officer: User,
    missing: Collection[int] = (),
    note: str = "",
    received_at: dt.datetime | None = None,
) -> Handover:
    """The desk confirms receipt of the parcels (all, or all but the orders in ``missing``),
    at ``received_at`` (now, or the moment the desk states; never in the future). Each
    received dossier awaiting reception is received then, through ``accept_submission``,
    so its due date runs from the agency's receipt (Decision 45/2016/QĐ-TTg, Article 10);
    a supplement's papers are recorded as arrived without touching the clock."""
    note = (note or "").strip()
    if len(note) > NOTES_MAX:
        raise invalid(
            "too_long", _("Nội dung dài tối đa %(max)s ký tự.") % {"max": NOTES_MAX}, field="note"
        )
    at = reception_moment(received_at)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if not may_receive_handover(officer, handover):
        raise ActionError(
            "forbidden",
            _("Bạn không nhận hồ sơ tại %(desk)s.") % {"desk": handover.desk.name},
            status=403,
        )
    if handover.received:
        raise ActionError("already_received", _("Biên bản này đã được xác nhận nhận."))
    if at < handover.created_at:
        raise invalid(
            "received_before_handover", _("Thời điểm nhận không được trước lúc lập biên bản.")
        )
    items = list(handover.items.select_related("order", "dossier").order_by("position"))
    unknown = set(missing) - {item.order_id for item in items}
    if unknown:
        raise invalid("unknown_parcel", _("Có hồ sơ đánh dấu thiếu không thuộc biên bản này."))
    remitted = 0
    for item in items:
        if item.order_id in missing:
            dossier = lock(item.dossier)  # the dossier first, as everywhere
            item.outcome = HandoverOutcome.MISSING
            item.save(update_fields=["outcome"])
            append_event(
                dossier,
                kind="postal_parcel_missing",
                actor=officer,
                at=at,
                order=item.order_id,
                handover=handover.pk,
                number=handover.number,
            )
            continue
        _receive_item(item, handover=handover, officer=officer, at=at)
        remitted += item.cod_vnd
    handover.received_at = at
    handover.received_by = person(officer)
    handover.remitted_vnd = remitted
    handover.receipt_note = note
    handover.save(update_fields=["received_at", "received_by", "remitted_vnd", "receipt_note"])
    return handover


def _receive_item(
    item: HandoverItem, *, handover: Handover, officer: User, at: dt.datetime
) -> None:
    dossier = lock(item.dossier)
    order = PostalOrder.objects.select_for_update().get(pk=item.order_id)
    # Withdrawn, refused or received otherwise since the record was drawn up, or returned to
    # the sender by the carrier: the desk is told which, nothing is received.
    if dossier.status not in PAPERS_AWAITED or order.status != OrderStatus.COLLECTED:
        raise ActionError(
            "parcel_not_receivable",
            _(
                "Hồ sơ %(code)s (trạng thái «%(status)s», bưu gửi «%(parcel)s») không còn chờ "
                "giấy tờ: đánh dấu bưu gửi này là thiếu rồi xác nhận lại, và báo bưu điện."
            )
            % {
                "code": dossier.code,
                "status": dossier.get_status_display(),
                "parcel": order.get_status_display(),
            },
            details={"order": order.pk, "dossier_status": dossier.status},
        )
    starts_clock = dossier.status == DossierStatus.SUBMITTED
    if starts_clock:
        # The real reception: the clock, Form 01, the counters and the notice.
        dossier = accept_submission(dossier=dossier, officer=officer, received_at=at)
    set_status(order, OrderStatus.HANDED_OVER)
    if item.cod_vnd:
        count(order, cod_remitted_vnd=item.cod_vnd)
    item.outcome = HandoverOutcome.RECEIVED
    item.save(update_fields=["outcome"])
    append_event(
        dossier,
        kind="postal_handover_received",
        actor=officer,
        at=at,
        order=order.pk,
        handover=handover.pk,
        number=handover.number,
        clock_started=starts_clock,
        supplement=dossier.status == DossierStatus.SUPPLEMENT_REQUESTED,
        cod_vnd=item.cod_vnd,
    )


__all__ = ["create_handover", "receive_handover"]
