"""Orders go to the carrier through the carrier outbox (motcua/postal/carrier.py,
docs/postal.md "Carrier"): the fake carrier over HTTP, the real database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from motcua.core.actions import ActionError
from motcua.core.outbox.models import OutboxStatus
from motcua.devtools.loopback import json_reply
from motcua.dossiers.actions import return_result
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.tests.fixtures import clock, ready, receptionist
from motcua.org.models import Desk
from motcua.postal import carrier as postal_carrier
from motcua.postal.actions import cancel_postal_order, register_postal_service
from motcua.postal.models import (
    CarrierAction,
    OrderChannel,
    PostalCarrierCommand,
    PostalOrder,
)
from motcua.postal.tests.conftest import MONDAY, caller, home

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def desk_phones(db: Any) -> None:
    """The desks the post hands papers to and collects results from have a phone."""
    Desk.objects.update(phone="02773851234", address="Số 12 đường 30 tháng 4")


def order_for(dossier: Dossier, actor: Any, service: str, channel: str) -> PostalOrder:
    with clock(MONDAY + dt.timedelta(hours=2)):
        return register_postal_service(
            dossier=dossier,
            actor=actor,
            service=service,
            address=home(),
            contact=caller(),
            channel=channel,
        ).order


def commands(order: PostalOrder) -> list[tuple[str, str]]:
    return [(c.action, c.status) for c in PostalCarrierCommand.objects.filter(order=order)]


def make_due(order: PostalOrder) -> None:
    """The retry's backoff, over (no sleeping)."""
    PostalCarrierCommand.objects.filter(order=order).update(next_attempt_at=timezone.now())


def test_a_pickup_goes_to_the_carrier_at_once_and_keeps_its_tracking_number(
    carrier, submitted, an, django_capture_on_commit_callbacks
):
    Dossier.objects.filter(pk=submitted.pk).update(fee_total_vnd=50_000)
    with django_capture_on_commit_callbacks() as queued:
        order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    assert len(queued) == 1  # its send is queued on commit
    assert postal_carrier.drain()["sent"] == 1

    order.refresh_from_db()
    sent = carrier.orders[order.order_number]
    assert order.order_number == f"{submitted.code}-P-{order.pk}"
    assert order.tracking_number == sent.item_code
    assert sent.body["codAmount"] == 50_000
    assert sent.body["sender"]["name"] == "Nguyễn Văn An"  # the applicant sends the papers
    assert sent.body["sender"]["tel"] == "0912345678"
    assert sent.body["sender"]["province"] == "Tỉnh Đồng Tháp"
    assert "Sở Tư pháp" in sent.body["receiver"]["name"]  # to the competent agency's desk
    assert commands(order) == [(CarrierAction.CREATE, OutboxStatus.SENT)]
    assert postal_carrier.drain()["sent"] == 0  # sent once


def test_a_create_whose_answer_was_lost_is_retried_into_one_order(carrier, submitted, an):
    order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.drop_next(1, after_processing=True)  # the carrier keeps it, the answer is lost
    assert postal_carrier.drain()["retrying"] == 1
    make_due(order)
    assert postal_carrier.drain()["sent"] == 1
    assert list(carrier.orders) == [order.order_number]
    assert carrier.orders[order.order_number].creates == 2
    order.refresh_from_db()
    assert order.tracking_number == carrier.orders[order.order_number].item_code


def test_the_carrier_being_down_keeps_the_command_for_later(carrier, submitted, an):
    order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.drop_next(1)
    assert postal_carrier.drain()["retrying"] == 1
    command = PostalCarrierCommand.objects.get(order=order)
    assert command.status == OutboxStatus.PENDING and "Unavailable" in command.last_error
    assert carrier.orders == {}


def test_a_refused_order_fails_for_an_operator_with_the_carriers_message(carrier, submitted, an):
    Desk.objects.update(phone="")
    Dossier.objects.get(pk=submitted.pk).competent_agency.__class__.objects.update(phone="")
    order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    assert postal_carrier.drain()["failed"] == 1
    command = PostalCarrierCommand.objects.get(order=order)
    assert command.status == OutboxStatus.FAILED
    assert "receiver.tel" in command.last_error


def test_a_delivery_waits_for_the_result_then_goes_out(carrier, justice_dossier, clerk_binh):
    order = order_for(justice_dossier, clerk_binh, "delivery", OrderChannel.DESK)
    assert postal_carrier.drain()["sent"] == 0
    assert carrier.orders == {}
    assert commands(order) == [(CarrierAction.CREATE, OutboxStatus.PENDING)]
    # Nor does a task queued for it send it early.
    command = PostalCarrierCommand.objects.get(order=order)
    assert postal_carrier.deliver(command.pk).status == "skipped"

    ready(Dossier.objects.get(pk=justice_dossier.pk))
    assert postal_carrier.drain()["sent"] == 1  # the periodic drain, once the result is ready
    sent = carrier.orders[order.order_number]
    assert "Sở Tư pháp" in sent.body["sender"]["name"]  # the agency sends the result
    assert sent.body["receiver"]["name"] == "Nguyễn Văn An"
    assert sent.body["codAmount"] == 0
    assert order.order_number.endswith(f"-D-{order.pk}")


def test_cancelling_before_the_create_left_sends_nothing(carrier, submitted, an):
    order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    cancel_postal_order(order=order, actor=an, reason="Tự nộp")
    assert commands(order) == []
    assert postal_carrier.drain()["sent"] == 0
    assert carrier.orders == {}


def test_cancelling_after_the_create_left_cancels_at_the_carrier(carrier, submitted, an):
    order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    postal_carrier.drain()
    cancel_postal_order(order=order, actor=an)
    assert postal_carrier.drain()["sent"] == 1
    assert carrier.orders[order.order_number].status_code == "4"
    assert commands(order) == [
        (CarrierAction.CREATE, OutboxStatus.SENT),
        (CarrierAction.CANCEL, OutboxStatus.SENT),
    ]


def test_a_cancel_waits_while_its_create_may_be_on_its_way(carrier, submitted, an):
    order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.drop_next(1, after_processing=True)
    postal_carrier.drain()  # the create: kept by the carrier, the answer lost, to retry
    cancel_postal_order(order=order, actor=an)
    cancel = PostalCarrierCommand.objects.get(order=order, action=CarrierAction.CANCEL)
    assert postal_carrier.deliver(cancel.pk).status == "skipped"  # not before the create
    make_due(order)
    assert postal_carrier.drain()["sent"] == 1  # the create; the cancel was not due yet
    assert postal_carrier.drain()["sent"] == 1  # the cancel, at the next drain
    assert carrier.orders[order.order_number].status_code == "4"
    assert commands(order) == [
        (CarrierAction.CREATE, OutboxStatus.SENT),
        (CarrierAction.CANCEL, OutboxStatus.SENT),
    ]


def test_nothing_goes_out_while_the_carrier_is_switched_off(settings, submitted, an):
    settings.CARRIER_ENABLED = False
    order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    assert commands(order) == []


def test_an_expired_token_is_renewed_between_sends(carrier, submitted, an, justice_dossier):
    order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    postal_carrier.drain()
    carrier.expire_tokens()
    order_for(justice_dossier, receptionist(justice_dossier.desk), "delivery", OrderChannel.DESK)
    ready(Dossier.objects.get(pk=justice_dossier.pk))
    assert postal_carrier.drain()["sent"] == 1
    assert carrier.logins == 2 and len(carrier.orders) == 2


def test_the_carriers_refusal_is_stored_without_the_phone_or_address(carrier, submitted, an):
    order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    sender = postal_carrier.applicant_party(order)  # the party as the carrier got it
    quoted = f"Người gửi {sender.name} ({sender.tel}), {sender.address}: không phục vụ"
    carrier.fail_next_with(1, json_reply(400, {"code": "invalid", "message": quoted}))
    postal_carrier.client().token()  # the failure is for the order, not the log-in
    assert postal_carrier.drain()["failed"] == 1
    error = PostalCarrierCommand.objects.get(order=order).last_error
    assert "không phục vụ" in error
    for secret in (order.contact_phone, order.address_line, order.contact_name, order.unit.name):
        assert secret not in error
    assert error.endswith("Người gửi *** (***), ***: không phục vụ")


def test_the_system_returns_a_result_by_post_only(justice_dossier):
    dossier = ready(Dossier.objects.get(pk=justice_dossier.pk))
    for officer, channel in ((None, "desk"), (None, ""), (AnonymousUser(), "postal")):
        with pytest.raises(ActionError) as refused:
            return_result(dossier=dossier, officer=officer, channel=channel)
        assert refused.value.status == 403
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.RESULT_READY


def test_a_create_tried_before_the_cancellation_is_not_sent_after_it(carrier, submitted, an):
    order = order_for(submitted, an, "pickup", OrderChannel.PORTAL)
    carrier.drop_next(1)  # the first try never reached the carrier: to retry
    assert postal_carrier.drain()["retrying"] == 1
    cancel_postal_order(order=order, actor=an)
    make_due(order)
    assert postal_carrier.drain()["sent"] == 1  # the create: done, without a call
    assert carrier.calls["/orders"] == 1 and carrier.orders == {}
    create = PostalCarrierCommand.objects.get(order=order, action=CarrierAction.CREATE)
    assert create.provider_message_id == postal_carrier.SKIPPED_CANCELLED
    assert postal_carrier.drain()["sent"] == 1  # the cancel: the carrier never had it
    assert carrier.orders == {}
    assert commands(order) == [
        (CarrierAction.CREATE, OutboxStatus.SENT),
        (CarrierAction.CANCEL, OutboxStatus.SENT),
    ]
    order.refresh_from_db()
    assert order.tracking_number == ""
