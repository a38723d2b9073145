"""Tracking the carrier's events when one of them is wrong, or when the site refuses what it
says: the feed goes on past it, the webhook answers 4xx (motcua/postal/tracking.py,
webhook.py; docs/postal.md "Carrier")."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from motcua.core.actions import ActionError
from motcua.devtools.fakes.carrier import CarrierOrder
from motcua.dossiers.actions import request_payment
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.tests.fixtures import holder
from motcua.dossiers.views.timeline import describe
from motcua.org.models import Desk
from motcua.portal.timeline import citizen_timeline
from motcua.postal import carrier as postal_carrier
from motcua.postal import tracking as postal_tracking
from motcua.postal.models import CarrierCursor, OrderChannel, OrderStatus, PostalTrackingEvent
from motcua.postal.tests.conftest import WEBHOOK
from motcua.postal.tests.test_tracking import _extra, chain, sent, status, tracking
from motcua.postal.tracking import poll

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one past the largest bigint


@pytest.fixture(autouse=True)
def desk_phones(db: Any) -> None:
    Desk.objects.update(phone="02773851234")


def item(order_number: str, event_id: int, code: str = "3") -> dict[str, Any]:
    return {
        "id": event_id,
        "orderNumber": order_number,
        "itemCode": "EB100000001VN",
        "statusCode": code,
        "statusMessage": "Đã phát",
        "time": "2026-03-02T10:00:00+07:00",
    }


def test_bad_items_in_the_feed_are_passed_and_the_cursor_moves(
    carrier, submitted, an, monkeypatch, caplog
):
    carrier.webhook_url = ""  # the feed only
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)  # event 1: registered
    # Event 2: an order number whose id is "²" (a digit to str.isdigit, not to int).
    carrier.book.event(CarrierOrder("G01.001-P-²", "EB1VN", {}), "2")
    # Event 3: one the site fails on, unexpectedly.
    real_counted = postal_tracking.counted_event

    def failing(order: Any, dossier: Any, target: str, *args: Any) -> Any:
        if target == OrderStatus.COLLECTING:
            raise RuntimeError(f"boom {order.contact_phone}")
        return real_counted(order, dossier, target, *args)

    monkeypatch.setattr(postal_tracking, "counted_event", failing)
    carrier.advance(order.order_number)
    # Then one whose id no bigint holds: its page's lastId is out of range too.
    carrier.book.feed.append(item(order.order_number, TOO_BIG))
    with caplog.at_level(logging.WARNING):
        report = poll(postal_carrier.client())
    assert (report.recorded, report.unknown, report.failed) == (1, 1, 1)
    assert report.last_id == 3 == CarrierCursor.objects.get().last_id
    assert status(order) == OrderStatus.REGISTERED  # the failed event changed nothing
    assert "RuntimeError" in caplog.text
    assert order.contact_phone not in caplog.text and "boom" not in caplog.text
    # The carrier goes on; so does the feed, from where it was.
    monkeypatch.setattr(postal_tracking, "counted_event", real_counted)
    carrier.advance(order.order_number)
    again = poll(postal_carrier.client())
    assert (again.recorded, again.failed, again.last_id) == (1, 0, 4)
    assert status(order) == OrderStatus.COLLECTED
    assert tracking(order) == [("1", "", "poll"), ("3", "collected", "poll")]


@pytest.mark.parametrize(
    ("number", "event_id", "answer"),
    [
        ("G01.001-P-²", 7, 404),
        ("G01.001-P-" + "9" * 30, 7, 404),
        (None, TOO_BIG, 422),
        (None, 0, 422),
        (None, True, 422),
    ],
)
def test_the_webhook_answers_4xx_for_an_item_it_cannot_take(
    carrier, submitted, an, number, event_id, answer
):
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    body, headers = carrier.signed(item(number or order.order_number, event_id))
    response = Client().post(
        WEBHOOK, data=body, content_type="application/json", headers=_extra(headers)
    )
    assert response.status_code == answer
    assert response.json()["error"]["message"]
    assert not PostalTrackingEvent.objects.exists()


@pytest.mark.parametrize("by_poll", [False, True])
def test_a_delivery_the_dossier_cannot_take_back_is_kept_for_the_desk(
    carrier, justice_dossier, clerk_binh, caplog, by_poll
):
    if by_poll:
        carrier.webhook_url = ""
    order = sent(justice_dossier, clerk_binh, "delivery", OrderChannel.DESK)
    carrier.advance(order.order_number)  # delivering
    # The agency asks for a payment after the result was ready: no return possible now.
    dossier = Dossier.objects.get(pk=justice_dossier.pk)
    request_payment(dossier=dossier, officer=holder(dossier), amount_vnd=20_000)
    carrier.advance(order.order_number)  # delivered
    with caplog.at_level(logging.WARNING):
        if by_poll:
            report = poll(postal_carrier.client())
            assert (report.recorded, report.refused, report.failed) == (3, 0, 0)
    if not by_poll:
        assert [answer for _id, answer in carrier.webhook_answers] == [200, 200]
    assert status(order) == OrderStatus.DELIVERED  # the carrier's word is kept
    source = "poll" if by_poll else "webhook"
    assert tracking(order)[-1] == ("3", "delivered", source)
    dossier = Dossier.objects.get(pk=justice_dossier.pk)
    assert dossier.status == DossierStatus.AWAITING_PAYMENT  # not returned
    assert not chain(dossier, "return_result")
    (pending,) = chain(dossier, "postal_return_pending")
    assert pending.actor is None
    assert pending.data["order"] == order.pk and pending.data["refusal"] == "invalid_transition"
    assert order.tracking_number in describe(pending)
    assert "ghi nhận trả kết quả" in describe(pending)
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert "Bưu điện đã phát kết quả" in citizen_timeline(events)[-1].text
    assert "invalid_transition" in caplog.text
    assert order.contact_phone not in caplog.text and order.address_line not in caplog.text


def test_a_refused_return_never_loses_the_carriers_delivery(
    carrier, justice_dossier, clerk_binh, monkeypatch
):
    """Whatever refuses the return (here a permission the system might lose one day), the
    delivery the carrier reported is kept, and the feed's cursor passes it recorded."""
    carrier.webhook_url = ""

    def refuse(**kwargs: Any) -> Any:
        raise ActionError("forbidden", "Không có quyền.")

    monkeypatch.setattr(postal_tracking, "return_result", refuse)
    order = sent(justice_dossier, clerk_binh, "delivery", OrderChannel.DESK)
    carrier.advance(order.order_number)
    carrier.advance(order.order_number)
    report = poll(postal_carrier.client())
    assert (report.recorded, report.refused) == (3, 0)
    assert status(order) == OrderStatus.DELIVERED
    assert Dossier.objects.get(pk=justice_dossier.pk).status == DossierStatus.RESULT_READY
    (pending,) = chain(justice_dossier, "postal_return_pending")
    assert pending.data["refusal"] == "forbidden"
