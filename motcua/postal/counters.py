"""The postal report's counters (docs/architecture.md rule 9; docs/postal.md "Reports").

``PostalDayCounter`` is keyed by the day an order was registered, the dossier's competent
agency, the service and the channel. Its status columns hold how many of those orders are in
each status now: a registration adds one to ``registered``, and every later change of status
moves one from the old column to the new, on the same row (``move``). So "orders registered
in May by status" is a sum over May's rows, whatever happened since, at a cost that does not
grow with the orders. Money: ``fee_vnd`` and ``cod_vnd`` count live orders (a cancellation
takes them back out). Events: ``failed_attempts`` every failed delivery attempt the carrier
reports, ``delivered_on_time`` the deliveries made by the dossier's due moment,
``cod_remitted_vnd`` the fees collected that the desk received with a hand-over.

Every status change of an order goes through ``set_status``, in the action's transaction.
``comparisons`` recounts the table from the orders for ``manage.py recount_counters``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.core import counters
from motcua.core.counters import Comparison, local_day
from motcua.dossiers.models import Dossier
from motcua.postal.models import (
    HandoverItem,
    HandoverOutcome,
    OrderStatus,
    PostalDayCounter,
    PostalOrder,
    PostalService,
    PostalTrackingEvent,
)

STATUS_FIELDS = tuple(OrderStatus.values)
MONEY_FIELDS = ("fee_vnd", "cod_vnd")
EVENT_FIELDS = ("failed_attempts", "delivered_on_time", "cod_remitted_vnd")
FIELDS = (*STATUS_FIELDS, *MONEY_FIELDS, *EVENT_FIELDS)
FAILED_CODE = "5"  # the carrier's failed attempt (``tracking.STATUS_MAP``)


def _key(order: PostalOrder) -> tuple[Any, ...]:
    day = timezone.localtime(order.created_at).date()
    return (day, order.dossier.competent_agency_id, order.service, order.channel)


def count_registration(order: PostalOrder) -> None:
    counters.add(
        PostalDayCounter,
        {_key(order): {order.status: 1, "fee_vnd": order.fee_vnd, "cod_vnd": order.cod_vnd}},
    )


def move(order: PostalOrder, old: str, new: str) -> None:
    """One order left status ``old`` for ``new``; a cancelled order takes its money out, and
    brings it back if the cancellation is undone (the carrier had started)."""
    if old == new:
        return
    change: dict[str, int] = {old: -1, new: 1}
    if new == OrderStatus.CANCELLED:
        change.update(fee_vnd=-order.fee_vnd, cod_vnd=-order.cod_vnd)
    elif old == OrderStatus.CANCELLED:
        change.update(fee_vnd=order.fee_vnd, cod_vnd=order.cod_vnd)
    counters.add(PostalDayCounter, {_key(order): change})


def set_status(order: PostalOrder, status: str, **fields: Any) -> None:
    """Give the (locked) ``order`` its new ``status`` and any other ``fields``, and move it
    in the counters: the one way an order's status changes."""
    old = order.status
    order.status = status
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=["status", *fields])
    move(order, old, status)


def count(order: PostalOrder, **deltas: int) -> None:
    """Add to the order's row: ``failed_attempts``, ``delivered_on_time``,
    ``cod_remitted_vnd`` (the fees a hand-over's receipt shows the post handed over)."""
    counters.add(PostalDayCounter, {_key(order): deltas})


def counted_event(
    order: PostalOrder, dossier: Dossier, target: str, moved: str, at: dt.datetime
) -> dict[str, int]:
    """What a new carrier event adds besides the status: every failed delivery attempt the
    carrier reports (a repeated one too), and a delivery made by the dossier's due moment."""
    deltas = {}
    if target == OrderStatus.FAILED_ATTEMPT:
        deltas["failed_attempts"] = 1
    if (
        moved == OrderStatus.DELIVERED
        and order.service == PostalService.DELIVERY
        and dossier.due_at is not None
        and at <= dossier.due_at
    ):
        deltas["delivered_on_time"] = 1
    return deltas


def recount() -> QuerySet[Any]:
    live = ~Q(status=OrderStatus.CANCELLED)
    zero = Value(0)
    failed = (
        PostalTrackingEvent.objects.filter(order=OuterRef("pk"), status_code=FAILED_CODE)
        .order_by()
        .values("order")
        .annotate(n=Count("pk"))
        .values("n")
    )
    remitted = (
        HandoverItem.objects.filter(order=OuterRef("pk"), outcome=HandoverOutcome.RECEIVED)
        .order_by()
        .values("order")
        .annotate(n=Sum("cod_vnd"))
        .values("n")
    )
    return (
        PostalOrder.objects.order_by()
        .annotate(
            period=local_day("created_at"),
            failed=Coalesce(Subquery(failed), zero),
            remitted=Coalesce(Subquery(remitted), zero),
        )
        .values("period", "dossier__competent_agency_id", "service", "channel")
        .annotate(
            **{s: Count("pk", filter=Q(status=s)) for s in STATUS_FIELDS},
            fee_vnd=Coalesce(Sum("fee_vnd", filter=live), zero),
            cod_vnd=Coalesce(Sum("cod_vnd", filter=live), zero),
            failed_attempts=Coalesce(Sum("failed"), zero),
            cod_remitted_vnd=Coalesce(Sum("remitted"), zero),
            delivered_on_time=Count(
                "pk",
                filter=Q(
                    status=OrderStatus.DELIVERED,
                    service=PostalService.DELIVERY,
                    carrier_status_at__lte=F("dossier__due_at"),
                ),
            ),
        )
    )


def comparisons() -> list[Comparison]:
    key = ("period", "dossier__competent_agency_id", "service", "channel")
    return [Comparison("postal_day", PostalDayCounter, FIELDS, recount(), key)]


def differences() -> list[str]:
    return [line for c in comparisons() for line in counters.compare(c)]


def rebuild() -> dict[str, int]:
    return {c.name: counters.replace(c) for c in comparisons()}
