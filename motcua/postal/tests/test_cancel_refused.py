"""A cancellation the carrier refuses, having started on the order, is undone here: the
order goes on, its tracking is taken (motcua/postal/carrier.py, tracking.py; docs/postal.md
"Carrier")."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.core.outbox.models import OutboxStatus
from motcua.dossiers.models import Dossier, DossierEvent, ResultDelivery
from motcua.dossiers.views.timeline import describe
from motcua.org.models import Desk
from motcua.portal.timeline import citizen_timeline
from motcua.postal import carrier as postal_carrier
from motcua.postal import counters as postal_counters
from motcua.postal.actions import cancel_postal_order, register_postal_service
from motcua.postal.models import (
    CarrierAction,
    OrderChannel,
    OrderStatus,
    PostalCarrierCommand,
    PostalDayCounter,
)
from motcua.postal.tests.conftest import caller, home
from motcua.postal.tests.test_tracking import chain, sent, status, tracking
from motcua.postal.tracking import poll

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def desk_phones(db: Any) -> None:
    Desk.objects.update(phone="02773851234")


def test_a_cancel_refused_by_a_carrier_that_started_restores_the_pickup(carrier, submitted, an):
    carrier.webhook_url = ""  # the site has not heard yet that the post started
    Dossier.objects.filter(pk=submitted.pk).update(fee_total_vnd=50_000)
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.advance(order.order_number)  # collecting, at the carrier
    cancel_postal_order(order=order, actor=an, reason="Tự nộp")
    assert status(order) == OrderStatus.CANCELLED
    assert postal_carrier.drain()["sent"] == 1  # the cancel: answered 409
    assert carrier.orders[order.order_number].status_code == "2"  # it goes on there…
    order.refresh_from_db()
    assert (order.status, order.cancelled_at) == (OrderStatus.REGISTERED, None)  # …and here
    cancel = PostalCarrierCommand.objects.get(order=order, action=CarrierAction.CANCEL)
    assert (cancel.status, cancel.provider_message_id) == (
        OutboxStatus.SENT,
        postal_carrier.CANCEL_REFUSED,
    )
    row = PostalDayCounter.objects.get()
    assert (row.registered, row.cancelled) == (1, 0)
    assert (row.fee_vnd, row.cod_vnd) == (order.fee_vnd, 50_000)  # the money is back
    assert postal_counters.differences() == []
    (refused,) = chain(submitted, "postal_cancel_refused")
    assert refused.actor is None and refused.data["order"] == order.pk
    assert "không hủy được" in describe(refused) and "đã bắt đầu" in describe(refused)
    events = list(DossierEvent.objects.filter(dossier=submitted).order_by("seq"))
    assert "không hủy được" in citizen_timeline(events)[-1].text
    # The carrier's tracking is taken again, the events it sent meanwhile too.
    report = poll(postal_carrier.client())
    assert (report.recorded, report.refused) == (2, 0)
    assert status(order) == OrderStatus.COLLECTING
    assert postal_counters.differences() == []


def test_a_refused_cancel_never_makes_two_live_orders(carrier, submitted, an):
    """A new pickup registered between the cancel and the carrier's refusal holds the one
    live place: the old order stays cancelled here and the desk is told to settle the two."""
    carrier.webhook_url = ""
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.advance(order.order_number)
    cancel_postal_order(order=order, actor=an)
    again = register_postal_service(
        dossier=Dossier.objects.get(pk=submitted.pk),
        actor=an,
        service="pickup",
        address=home(),
        contact=caller(),
        channel=OrderChannel.PORTAL,
    ).order
    postal_carrier.drain()  # the cancel (refused: started) and the new order's create
    assert status(order) == OrderStatus.CANCELLED
    assert status(again) == OrderStatus.REGISTERED
    (refused,) = chain(submitted, "postal_cancel_refused")
    assert refused.data["replaced"] is True
    assert "một trong hai đơn" in describe(refused)
    assert postal_counters.differences() == []


def test_a_delivery_restored_is_the_dossiers_result_delivery_again(
    carrier, justice_dossier, clerk_binh
):
    order = sent(justice_dossier, clerk_binh, "delivery", OrderChannel.DESK)
    carrier.webhook_url = ""
    carrier.advance(order.order_number)  # delivering, at the carrier
    cancel_postal_order(order=order, actor=clerk_binh)
    dossier = Dossier.objects.get(pk=justice_dossier.pk)
    assert dossier.result_delivery != ResultDelivery.POSTAL
    postal_carrier.drain()
    assert status(order) == OrderStatus.REGISTERED
    dossier = Dossier.objects.get(pk=justice_dossier.pk)
    assert dossier.result_delivery == ResultDelivery.POSTAL
    carrier.advance(order.order_number)  # delivered
    poll(postal_carrier.client())
    assert status(order) == OrderStatus.DELIVERED
    assert tracking(order)[-1] == ("3", "delivered", "poll")
    assert postal_counters.differences() == []


def test_a_cancellation_the_carrier_accepted_still_refuses_tracking(carrier, submitted, an):
    carrier.webhook_url = ""
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    cancel_postal_order(order=order, actor=an)
    assert postal_carrier.drain()["sent"] == 1
    assert carrier.orders[order.order_number].status_code == "4"
    assert status(order) == OrderStatus.CANCELLED
    assert not chain(submitted, "postal_cancel_refused")
    report = poll(postal_carrier.client())  # "registered", then "cancelled": refused
    assert (report.recorded, report.refused) == (0, 2)
