"""SMS go through the gateway adapter, signed; the fake gateway refuses forgeries."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from motcua.core.outbox.errors import DeliveryError
from motcua.core.outbox.models import OutboxStatus as NotificationStatus
from motcua.dossiers.notices import notify_applicant
from motcua.integrations.sms.transport import SmsGateway, sign, to_msisdn
from motcua.notifications.delivery import deliver
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_sms_reaches_the_gateway_signed(
    received, sms_only, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received()
    [row] = Notification.objects.filter(dossier=dossier, channel="sms")

    [sms] = sms_only.messages
    assert (sms.phone, sms.brandname, sms.client_id) == (
        "84912345678",
        "DONGTHAP",
        f"motcua-{row.pk}",
    )
    assert sms.message.startswith(f"Ho so {dossier.code} (")
    assert "Hen tra ket qua: 09/03/2026 08:00" in sms.message
    row.refresh_from_db()
    assert (row.status, row.provider_message_id) == (NotificationStatus.SENT, sms.message_id)


def test_a_forged_signature_is_refused(sms_gateway):
    forger = SmsGateway(
        base_url=sms_gateway.url, api_key="test-key", secret="guessed", brandname="DONGTHAP"
    )
    with pytest.raises(DeliveryError) as refused:
        forger.send(phone="0912345678", message="Trung thuong!", client_id="x-1")
    assert "HTTP 401" in str(refused.value)
    assert not refused.value.retryable
    assert (sms_gateway.rejected, sms_gateway.messages) == (1, [])


def test_a_replayed_old_request_is_refused(sms_gateway):
    body = json.dumps({"brandname": "B", "phone": "84912345678", "message": "m", "client_id": "c"})
    stale = str(int(time.time()) - 3600)
    request = urllib.request.Request(  # noqa: S310 (the fake gateway on loopback)
        f"{sms_gateway.url}/v1/sms",
        data=body.encode(),
        method="POST",
        headers={
            "X-Api-Key": "test-key",
            "X-Timestamp": stale,
            "X-Signature": sign("test-secret", stale, body.encode()),
        },
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310
    assert refused.value.code == 401
    assert sms_gateway.messages == []


def test_an_invalid_phone_fails_at_once_without_calling_the_gateway(received, sms_only):
    [row] = notify_applicant(dossier=received(phone="024 3823 4567"), kind="receipt")

    assert deliver(row.pk).status == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert "không hợp lệ" in row.last_error
    assert sms_only.requests == 0


@pytest.mark.parametrize(
    ("given", "msisdn"),
    [
        ("0912345678", "84912345678"),
        ("+84 912 345 678", "84912345678"),
        ("84987.654.321", "84987654321"),
    ],
)
def test_phone_numbers_take_the_84_form(given, msisdn):
    assert to_msisdn(given) == msisdn
