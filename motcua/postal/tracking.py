"""The carrier's tracking events: what each of its codes means for an order, the action that
records one (from the webhook or the feed), and the poll of the feed (docs/postal.md
"Carrier").

An event is kept once (its carrier id is unique), whichever way it came and however often.
It moves the order forward only: a status is never moved back by an event that arrives late
(``RANK``); of two of the same rank (a failed attempt, then delivering again) the one that
happened later wins. Each new event is an event of the dossier (``postal_tracking``), with the
tracking number and the step, never an address or a phone. The carrier acts as the system
(``actor`` None, ``by: "carrier"`` in the event), as the payment gateway's IPN does: a
signed webhook or our own poll, not a person. A delivery order delivered completes the
dossier's ``return_result`` by post (``dossiers/actions/results.py``), with the same system
actor, which ``dossiers/permissions.py`` allows for the postal channel only. If the dossier
refuses the return, the carrier's event stands and the dossier gets a
``postal_return_pending`` event for the desk (``return_by_post``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, now
from motcua.core.inputs import parse_id
from motcua.dossiers.actions.results import return_result
from motcua.dossiers.actions.transitions import append_event, lock
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.status import DossierStatus
from motcua.integrations.carrier import CarrierClient, TrackingItem
from motcua.postal.counters import count, counted_event, set_status
from motcua.postal.models import (
    CarrierCursor,
    OrderStatus,
    PostalOrder,
    PostalService,
    PostalTrackingEvent,
)

logger = logging.getLogger(__name__)

S = OrderStatus
# The carrier's status codes → the order's status, for a pickup and for a delivery ("" for a
# code that is information only). Codes 1–4 are the carrier's pickup states (1 registered,
# 2 collecting, 3 delivered to the addressee, 4 cancelled); 5 and 6 its failed attempt and
# return to sender. Unconfirmed with the province's post office: this table is the one place.
STATUS_MAP: dict[str, tuple[str, str]] = {
    "1": ("", ""),  # registered at the carrier
    "2": (S.COLLECTING, S.DELIVERING),
    "3": (S.COLLECTED, S.DELIVERED),  # a pickup's papers reached the agency
    "4": ("", ""),  # cancelled at the carrier
    "5": (S.FAILED_ATTEMPT, S.FAILED_ATTEMPT),
    "6": (S.RETURNED, S.RETURNED),
}
# What the information-only codes say, for the dossier's event.
NOTICES = {"1": "accepted", "4": "carrier_cancelled"}
# How far along an order is; an event moves it only forward (or sideways, if later).
RANK: dict[str, int] = {
    S.REGISTERED: 0,
    S.COLLECTING: 1,
    S.DELIVERING: 1,
    S.FAILED_ATTEMPT: 1,
    S.COLLECTED: 2,
    S.HANDED_OVER: 3,
    S.DELIVERED: 3,
    S.RETURNED: 3,
}
FINAL = frozenset({S.HANDED_OVER, S.DELIVERED, S.RETURNED, S.CANCELLED})
FEED_PAGE = 100
FEED_PAGES = 50  # pages read at most per poll; the next poll goes on from the cursor


def status_for(order: PostalOrder, code: str) -> str:
    """The order status the carrier's ``code`` stands for ("" for none, or an unknown code)."""
    pickup, delivery = STATUS_MAP.get(code, ("", ""))
    return pickup if order.service == PostalService.PICKUP else delivery


def advances(order: PostalOrder, target: str, item: TrackingItem) -> bool:
    """Whether an event to ``target`` (``item``) moves the order: to a further status, or
    to another of the same rank if it happened after the event that set the current one
    (by its time, then by the carrier's ids, which increase)."""
    if not target or order.status in FINAL:
        return False
    if RANK[target] != RANK[order.status]:
        return RANK[target] > RANK[order.status]
    if target == order.status:
        return False
    last = (
        PostalTrackingEvent.objects.filter(order=order)
        .exclude(moved_to="")
        .order_by("-at", "-carrier_event_id")
        .first()
    )
    return last is None or (item.at, item.id) > (last.at, last.carrier_event_id)


def order_for(order_number: str) -> PostalOrder | None:
    """The order a carrier order number names (``PostalOrder.order_number``), or None."""
    _code, _sep, tail = order_number.rpartition("-")
    pk = parse_id(tail)  # "²" is a digit to isdigit(), 10^30 no id
    if pk is None:
        return None
    order = PostalOrder.objects.select_related("dossier").filter(pk=pk).first()
    return order if order is not None and order.order_number == order_number else None


@dataclass(frozen=True)
class Recorded:
    event: PostalTrackingEvent
    created: bool  # False: the carrier's event was kept already (a duplicate)


@transaction.atomic
def record_tracking_event(*, order: PostalOrder, item: TrackingItem, source: str) -> Recorded:
    """Keep one carrier event of ``order`` and move the order by it (the module's rules).
    A duplicate changes nothing; an event for a cancelled order is refused (409
    ``postal_order_cancelled``), nothing changed."""
    dossier = lock(order.dossier)
    order = PostalOrder.objects.select_for_update().select_related("dossier").get(pk=order.pk)
    kept = PostalTrackingEvent.objects.filter(carrier_event_id=item.id).first()
    if kept is not None:
        return Recorded(kept, created=False)
    if order.status == OrderStatus.CANCELLED:
        raise ActionError(
            "postal_order_cancelled",
            _("Đơn bưu chính của hồ sơ %(code)s đã hủy; không ghi nhận hành trình.")
            % {"code": dossier.code},
            details={"order": order.pk},
        )
    target = status_for(order, item.status_code)
    if item.status_code not in STATUS_MAP:
        logger.warning("carrier event %s: unknown status code %r", item.id, item.status_code)
    moved = target if advances(order, target, item) else ""
    try:
        with transaction.atomic():
            event = PostalTrackingEvent.objects.create(
                order=order,
                carrier_event_id=item.id,
                status_code=item.status_code,
                message=item.message,
                at=item.at,
                source=source,
                moved_to=moved,
            )
    except IntegrityError:  # the same event, kept by another worker meanwhile
        return Recorded(PostalTrackingEvent.objects.get(carrier_event_id=item.id), False)
    fields: dict[str, object] = {}
    if item.tracking_number and not order.tracking_number:
        fields["tracking_number"] = item.tracking_number
    if moved:
        set_status(order, moved, carrier_status_at=item.at, **fields)
    elif fields:
        PostalOrder.objects.filter(pk=order.pk).update(**fields)
        order.tracking_number = item.tracking_number
    counts = counted_event(order, dossier, target, moved, item.at)
    if counts:
        count(order, **counts)
    # No address, phone or free text of the carrier's in the chain: the step and the number.
    append_event(
        dossier,
        kind="postal_tracking",
        actor=None,
        at=now(),
        by="carrier",
        source=source,
        service=order.service,
        order=order.pk,
        tracking_number=order.tracking_number,
        carrier_event=item.id,
        status_code=item.status_code,
        status=target or NOTICES.get(item.status_code, ""),
        moved=bool(moved),
        event_at=item.at,
    )
    if (
        moved == OrderStatus.DELIVERED
        and order.service == PostalService.DELIVERY
        and dossier.status != DossierStatus.RETURNED  # handed back meanwhile: nothing to do
    ):
        return_by_post(dossier, order, source)
    return Recorded(event, created=True)


def return_by_post(dossier: Dossier, order: PostalOrder, source: str) -> None:
    """Complete the dossier's ``return_result`` by post, the carrier's delivery being kept
    whatever happens: the return runs in a savepoint, and if the dossier refuses it (its
    status moved on: a payment asked after the result was ready, a dossier stopped) the
    refusal is logged and the dossier gets a ``postal_return_pending`` event, for the desk
    to return the result by hand."""
    try:
        with transaction.atomic():
            return_result(
                dossier=dossier,
                officer=None,
                channel=ResultDelivery.POSTAL,
                note=_("Bưu điện đã phát kết quả (số hiệu %(number)s).")
                % {"number": order.tracking_number or order.order_number},
            )
    except ActionError as refusal:
        logger.warning(
            "postal order %s delivered; the dossier's return refused: %s", order.pk, refusal.code
        )
        append_event(
            lock(dossier),
            kind="postal_return_pending",
            actor=None,
            at=now(),
            by="carrier",
            source=source,
            service=order.service,
            order=order.pk,
            tracking_number=order.tracking_number,
            refusal=refusal.code,
        )


@transaction.atomic
def restore_postal_order(*, order: PostalOrder, code: str = "") -> PostalOrder:
    """Undo a cancellation the carrier refused because it had started on the order (its
    ``code``): the order goes back to ``registered`` (the only status a cancellation leaves;
    the counters and its money come back), a delivery makes the dossier's result delivery
    postal again, and the dossier gets a ``postal_cancel_refused`` event. Its tracking
    events are then taken again. The carrier acts (``actor`` None, ``by: "carrier"``), as in
    ``record_tracking_event``. An order not cancelled (restored already) is left as it is."""
    dossier = lock(order.dossier)
    order = PostalOrder.objects.select_for_update().select_related("dossier").get(pk=order.pk)
    if order.status != OrderStatus.CANCELLED:
        return order
    # A new order for the same service registered meanwhile holds the one live place: the
    # cancelled one stays cancelled here and the desk is told to settle the two.
    replaced = (
        PostalOrder.objects.filter(dossier=dossier, service=order.service)
        .exclude(status=OrderStatus.CANCELLED)
        .exclude(pk=order.pk)
        .exists()
    )
    if not replaced:
        set_status(order, OrderStatus.REGISTERED, cancelled_at=None)
        if (
            order.service == PostalService.DELIVERY
            and dossier.result_delivery != ResultDelivery.POSTAL
        ):
            dossier.result_delivery = ResultDelivery.POSTAL
            dossier.save(update_fields=["result_delivery"])
    logger.warning(
        "postal order %s: the carrier refused the cancel (%s); %s",
        order.pk,
        code,
        "a newer order holds its place" if replaced else "restored",
    )
    append_event(
        dossier,
        kind="postal_cancel_refused",
        actor=None,
        at=now(),
        by="carrier",
        service=order.service,
        order=order.pk,
        tracking_number=order.tracking_number,
        code=code[:40],
        replaced=replaced,
    )
    return order


@dataclass
class PollReport:
    recorded: int = 0
    duplicates: int = 0
    unknown: int = 0
    refused: int = 0
    failed: int = 0  # an unexpected error (logged): passed, so the feed goes on
    last_id: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "recorded": self.recorded,
            "duplicates": self.duplicates,
            "unknown": self.unknown,
            "refused": self.refused,
            "failed": self.failed,
            "last_id": self.last_id,
        }


def poll(client: CarrierClient, *, page_size: int = FEED_PAGE) -> PollReport:
    """Read the tracking feed from the cursor on and record each event; the cursor moves
    past a page once its events are recorded (an event for no order of ours, or for a
    cancelled one, is logged and passed). ``UnavailableError`` leaves the cursor where the
    last whole page left it."""
    cursor, _created = CarrierCursor.objects.get_or_create(name="tracking")
    report = PollReport(last_id=cursor.last_id)
    for _page in range(FEED_PAGES):
        page = client.tracking(last_id=report.last_id, limit=page_size)
        for item in page.items:
            ingest(item, source="poll", report=report)
        report.last_id = page.last_id
        CarrierCursor.objects.filter(pk=cursor.pk).update(
            last_id=page.last_id, polled_at=timezone.now()
        )
        if len(page.items) < page_size:
            break
    return report


def ingest(item: TrackingItem, *, source: str, report: PollReport) -> None:
    """Record one event of the feed. Whatever goes wrong with it is logged and counted, and
    the poll goes on: one event the site cannot take must not hold the cursor back for good
    (the carrier's event stays in its feed, for an operator to look at)."""
    order = order_for(item.order_number)
    if order is None:
        report.unknown += 1
        logger.warning("carrier event %s: no order %s here", item.id, item.order_number)
        return
    try:
        recorded = record_tracking_event(order=order, item=item, source=source)
    except ActionError as refusal:
        report.refused += 1
        logger.warning("carrier event %s refused: %s", item.id, refusal.code)
        return
    except Exception as exc:  # a bug or a value the database refused: log, go on
        report.failed += 1
        report.errors.append(f"{item.id}: {type(exc).__name__}")
        # The type only: the exception's text may quote the event or the order.
        logger.error(
            "carrier event %s (order %s) failed: %s", item.id, order.pk, type(exc).__name__
        )
        return
    if recorded.created:
        report.recorded += 1
    else:
        report.duplicates += 1
