"""Tracking comes in from the carrier by polling and by its signed webhook, once per event,
never moving an order back; a delivered result is returned by post (motcua/postal/
tracking.py, webhook.py; docs/postal.md "Carrier"). The fake carrier over HTTP, its webhooks
through Django's test client."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent, ResultDelivery
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.tests.fixtures import clock, ready
from motcua.dossiers.views.timeline import describe
from motcua.org.models import Desk
from motcua.portal.timeline import citizen_timeline
from motcua.postal import carrier as postal_carrier
from motcua.postal import counters as postal_counters
from motcua.postal.actions import cancel_postal_order, register_postal_service
from motcua.postal.models import (
    CarrierCursor,
    OrderChannel,
    OrderStatus,
    PostalDayCounter,
    PostalOrder,
    PostalTrackingEvent,
)
from motcua.postal.tests.conftest import MONDAY, WEBHOOK, caller, home
from motcua.postal.tracking import poll

pytestmark = pytest.mark.django_db

MONTH = dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def desk_phones(db: Any) -> None:
    Desk.objects.update(phone="02773851234")


def sent(dossier: Dossier, actor: Any, service: str, channel: str) -> PostalOrder:
    """An order registered and sent to the carrier."""
    with clock(MONDAY + dt.timedelta(hours=2)):
        order = register_postal_service(
            dossier=dossier,
            actor=actor,
            service=service,
            address=home(),
            contact=caller(),
            channel=channel,
        ).order
    if service == "delivery":
        ready(Dossier.objects.get(pk=dossier.pk))
    assert postal_carrier.drain()["sent"] == 1
    order.refresh_from_db()
    return order


def status(order: PostalOrder) -> str:
    return PostalOrder.objects.get(pk=order.pk).status


def tracking(order: PostalOrder) -> list[tuple[str, str, str]]:
    return [
        (e.status_code, e.moved_to, e.source)
        for e in PostalTrackingEvent.objects.filter(order=order).order_by("carrier_event_id")
    ]


def chain(dossier: Dossier, kind: str = "postal_tracking") -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier=dossier, kind=kind).order_by("seq"))


def test_a_pickup_is_tracked_by_polling(carrier, submitted, an):
    carrier.webhook_url = ""  # the feed only
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.advance(order.order_number)
    report = poll(postal_carrier.client())
    assert (report.recorded, status(order)) == (2, OrderStatus.COLLECTING)
    carrier.advance(order.order_number)
    assert poll(postal_carrier.client()).recorded == 1
    assert status(order) == OrderStatus.COLLECTED  # the hand-over to the agency is not ours
    assert tracking(order) == [
        ("1", "", "poll"),
        ("2", "collecting", "poll"),
        ("3", "collected", "poll"),
    ]
    events = chain(submitted)
    assert [e.data["status"] for e in events] == ["accepted", "collecting", "collected"]
    assert events[0].actor is None and events[0].data["by"] == "carrier"
    assert "0912345678" not in json.dumps([e.data for e in events])  # no phone, no address
    assert "12 Lý Thường Kiệt" not in json.dumps([e.data for e in events])
    assert order.tracking_number in describe(events[2])
    assert "đã thu gom" in describe(events[2])


def test_the_same_events_polled_again_change_nothing(carrier, submitted, an):
    carrier.webhook_url = ""
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.advance(order.order_number)
    poll(postal_carrier.client())
    CarrierCursor.objects.update(last_id=0)  # a cursor lost: the feed read from the start
    again = poll(postal_carrier.client())
    assert (again.recorded, again.duplicates) == (0, 2)
    assert len(chain(submitted)) == 2


def test_webhooks_move_the_order_and_a_duplicate_is_kept_once(carrier, submitted, an):
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.webhook_faults("duplicate")
    carrier.advance(order.order_number)
    assert carrier.webhook_answers == [(2, 200), (2, 200)]
    assert status(order) == OrderStatus.COLLECTING
    assert tracking(order) == [("2", "collecting", "webhook")]
    report = poll(postal_carrier.client())  # the feed has the same event, and the first
    assert (report.recorded, report.duplicates) == (1, 1)
    assert len(chain(submitted)) == 2


def test_an_event_arriving_late_never_moves_the_order_back(carrier, submitted, an):
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.webhook_faults("hold")  # "collecting" is held back…
    carrier.advance(order.order_number)
    carrier.advance(order.order_number)  # …and posted after "collected"
    assert [i for i, _s in carrier.webhook_answers] == [3, 2]
    assert status(order) == OrderStatus.COLLECTED
    assert tracking(order) == [("2", "", "webhook"), ("3", "collected", "webhook")]


@pytest.mark.parametrize(
    ("fault", "answer"), [("bad_signature", 403), ("unsigned", 401), ("stale", 403)]
)
def test_a_forged_or_stale_webhook_is_refused_and_changes_nothing(
    carrier, submitted, an, fault, answer
):
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    before = DossierEvent.objects.filter(dossier=submitted).count()
    carrier.webhook_faults(fault)
    item = carrier.advance(order.order_number)
    assert item is not None
    assert carrier.webhook_answers == [(item["id"], answer)]
    assert status(order) == OrderStatus.REGISTERED
    assert not PostalTrackingEvent.objects.exists()
    assert DossierEvent.objects.filter(dossier=submitted).count() == before
    body, headers = carrier.signed(item)
    headers["X-Carrier-Signature"] = "0" * 64
    response = Client().post(
        WEBHOOK, data=body, content_type="application/json", headers=_extra(headers)
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "bad_signature"
    assert response.json()["error"]["message"] == "Chữ ký không hợp lệ."


def _extra(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() != "content-type"}


def test_tracking_for_a_cancelled_order_is_refused_and_changes_nothing(carrier, submitted, an):
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    cancel_postal_order(order=order, actor=an)  # the cancel is not at the carrier yet
    before = DossierEvent.objects.filter(dossier=submitted).count()
    item = carrier.advance(order.order_number)
    assert item is not None
    assert carrier.webhook_answers == [(item["id"], 409)]
    body, headers = carrier.signed(item)
    answer = Client().post(
        WEBHOOK, data=body, content_type="application/json", headers=_extra(headers)
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "postal_order_cancelled"
    assert "đã hủy" in answer.json()["error"]["message"]
    assert status(order) == OrderStatus.CANCELLED
    assert not PostalTrackingEvent.objects.exists()
    assert DossierEvent.objects.filter(dossier=submitted).count() == before
    report = poll(postal_carrier.client())  # the feed's copy is refused the same way
    assert report.refused == 2 and report.recorded == 0


def test_unknown_orders_and_malformed_events_are_refused(carrier):
    for item, expected in (
        (
            {
                "id": 9,
                "orderNumber": "X-P-999999",
                "statusCode": "2",
                "time": "2026-03-02T10:00:00+07:00",
            },
            404,
        ),
        ({"id": 9, "orderNumber": "X-P-1"}, 422),
    ):
        body, headers = carrier.signed(item)
        answer = Client().post(
            WEBHOOK, data=body, content_type="application/json", headers=_extra(headers)
        )
        assert answer.status_code == expected
        assert answer.json()["error"]["message"]
    assert not PostalTrackingEvent.objects.exists()


def test_the_webhook_is_missing_without_its_secret(carrier, settings):
    settings.CARRIER_WEBHOOK_SECRET = ""
    assert Client().post(WEBHOOK, data=b"{}", content_type="application/json").status_code == 404


def test_a_delivered_result_is_returned_by_post(carrier, justice_dossier, clerk_binh):
    order = sent(justice_dossier, clerk_binh, "delivery", OrderChannel.DESK)
    carrier.advance(order.order_number)
    assert status(order) == OrderStatus.DELIVERING
    assert Dossier.objects.get(pk=justice_dossier.pk).status == DossierStatus.RESULT_READY
    carrier.advance(order.order_number)
    assert status(order) == OrderStatus.DELIVERED
    dossier = Dossier.objects.get(pk=justice_dossier.pk)
    assert dossier.status == DossierStatus.RETURNED
    assert dossier.returned_via == ResultDelivery.POSTAL
    (returned,) = chain(dossier, "return_result")
    assert returned.actor is None  # the system, on the carrier's word
    assert returned.data["via"] == "postal"
    assert order.tracking_number in returned.data["note"]
    assert describe(returned).startswith("Trả kết quả cho chủ hồ sơ")


def test_a_failed_attempt_then_delivered_is_visible_on_the_dossier(
    carrier, justice_dossier, clerk_binh
):
    order = sent(justice_dossier, clerk_binh, "delivery", OrderChannel.DESK)
    # The fake carrier's events happen now: the result is due in a month.
    Dossier.objects.filter(pk=justice_dossier.pk).update(due_at=timezone.now() + MONTH)
    carrier.plan(order.order_number, "failed_attempt")
    carrier.advance(order.order_number)
    carrier.advance(order.order_number)
    assert status(order) == OrderStatus.FAILED_ATTEMPT
    carrier.advance(order.order_number)
    assert status(order) == OrderStatus.DELIVERING  # delivering again, later: moves sideways
    carrier.advance(order.order_number)
    assert status(order) == OrderStatus.DELIVERED
    texts = [describe(e) for e in chain(justice_dossier)]
    assert any("phát không thành công" in t for t in texts)
    assert Dossier.objects.get(pk=justice_dossier.pk).status == DossierStatus.RETURNED
    # The report's counters: one failed attempt, a delivery on time, and nothing the
    # recount from the orders would put otherwise.
    row = PostalDayCounter.objects.get()
    assert (row.failed_attempts, row.delivered, row.delivered_on_time) == (1, 1, 1)
    assert (row.registered, row.delivering, row.failed_attempt) == (0, 0, 0)
    assert postal_counters.differences() == []


def test_a_delivery_after_the_due_moment_is_not_on_time(carrier, justice_dossier, clerk_binh):
    order = sent(justice_dossier, clerk_binh, "delivery", OrderChannel.DESK)
    Dossier.objects.filter(pk=justice_dossier.pk).update(due_at=timezone.now() - MONTH)
    while carrier.advance(order.order_number):
        pass
    row = PostalDayCounter.objects.get()
    assert (row.delivered, row.delivered_on_time) == (1, 0)
    assert postal_counters.differences() == []


def test_a_result_returned_to_sender_stays_with_the_agency(carrier, justice_dossier, clerk_binh):
    order = sent(justice_dossier, clerk_binh, "delivery", OrderChannel.DESK)
    carrier.plan(order.order_number, "returned")
    while carrier.advance(order.order_number):
        pass
    assert status(order) == OrderStatus.RETURNED
    assert Dossier.objects.get(pk=justice_dossier.pk).status == DossierStatus.RESULT_READY
    texts = [describe(e) for e in chain(justice_dossier)]
    assert "chuyển hoàn" in texts[-1]
    assert any("phát không thành công" in t for t in texts)
    # The applicant's own history tells each step too.
    events = list(DossierEvent.objects.filter(dossier=justice_dossier).order_by("seq"))
    mine = [step.text for step in citizen_timeline(events)]
    assert any("phát không thành công" in t for t in mine)
    assert "chuyển hoàn" in mine[-1]


def test_the_periodic_commands_send_the_ready_delivery_and_read_the_feed(
    carrier, justice_dossier, clerk_binh
):
    carrier.webhook_url = ""
    with clock(MONDAY + dt.timedelta(hours=2)):
        order = register_postal_service(
            dossier=justice_dossier,
            actor=clerk_binh,
            service="delivery",
            address=home(),
            contact=caller(),
            channel=OrderChannel.DESK,
        ).order
    out = io.StringIO()
    call_command("drain_carrier", stdout=out)
    assert "sent=0" in out.getvalue() and carrier.orders == {}
    ready(Dossier.objects.get(pk=justice_dossier.pk))
    call_command("drain_carrier", stdout=out)  # the scheduler's next minute
    assert list(carrier.orders) == [order.order_number]
    carrier.advance(order.order_number)
    carrier.advance(order.order_number)
    call_command("poll_carrier", stdout=out)
    assert "recorded=3" in out.getvalue()
    assert Dossier.objects.get(pk=justice_dossier.pk).status == DossierStatus.RETURNED
    answer = Client().get(f"/api/v1/dossiers/{justice_dossier.code}/postal")
    assert answer.status_code in (401, 403)  # the order's tracking is for those who see it
    client = Client()
    client.force_login(clerk_binh)
    (listed,) = client.get(f"/api/v1/dossiers/{justice_dossier.code}/postal").json()["items"]
    assert [e["status"] for e in listed["events"]] == ["", "delivering", "delivered"]
    assert listed["status"] == "delivered"


@pytest.mark.parametrize(
    ("timestamp", "given", "answer"),
    [
        (None, "é" * 64, 403),  # a latin-1 decoded signature: refused, not a crash
        ("9" * 400, "0" * 64, 401),  # a timestamp no clock has: not Unix seconds
    ],
)
def test_a_webhook_with_garbled_signature_headers_is_refused(
    carrier, submitted, an, timestamp, given, answer
):
    order = sent(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.webhook_url = ""
    item = carrier.advance(order.order_number)
    assert item is not None
    body, headers = carrier.signed(item)
    headers["X-Carrier-Signature"] = given
    if timestamp is not None:
        headers["X-Carrier-Timestamp"] = timestamp
    response = Client().post(
        WEBHOOK, data=body, content_type="application/json", headers=_extra(headers)
    )
    assert response.status_code == answer
    assert response.json()["error"]["message"]
    assert not PostalTrackingEvent.objects.exists()
