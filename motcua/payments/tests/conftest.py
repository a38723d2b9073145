"""Fixtures for online payment: the gateway's settings, the fake gateway (as a library: the
tests call the site through Django's test client with the results it signs), and a dossier
of 1.000688 (which has fees) awaiting payment since Monday 02/03/2026 09:00."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from motcua.devtools.fakes.vnpay import FakeVnpayGateway
from motcua.dossiers.actions import forward_dossier, request_payment
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import at, clock
from motcua.integrations.payments.tests.conftest import HASH_SECRET, TMN_CODE
from motcua.payments.actions import start_payment
from motcua.payments.models import PaymentTransaction

GATEWAY_URL = "http://127.0.0.1:8030/paymentv2/vpcpay.html"
STARTED_AT = at(2026, 3, 2, 9, 30)
PAID_AT = at(2026, 3, 2, 9, 35)  # within the 15-minute window


@pytest.fixture
def gateway(settings: Any) -> FakeVnpayGateway:
    """Payments switched on, with the fake gateway's credentials."""
    settings.PAYMENTS_ENABLED = True
    settings.VNPAY_PAYMENT_URL = GATEWAY_URL
    settings.VNPAY_TMN_CODE = TMN_CODE
    settings.VNPAY_HASH_SECRET = HASH_SECRET
    settings.VNPAY_VERSION = "2.1.0"
    return FakeVnpayGateway(tmn_code=TMN_CODE, hash_secret=HASH_SECRET)


@pytest.fixture
def awaiting(received: Callable[..., Dossier], clerk_binh: Any, specialist_chi: Any) -> Dossier:
    """1.000688 received at the centre, forwarded to the Department of Justice, whose
    specialist asks for the fees."""
    dossier = received(code="1.000688")
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
        return request_payment(dossier=dossier, officer=specialist_chi)


@pytest.fixture
def started(awaiting: Dossier, gateway: FakeVnpayGateway) -> PaymentTransaction:
    with clock(STARTED_AT):
        txn, _url = start_payment(
            dossier=awaiting,
            client_ip="203.0.113.7",
            locale="vn",
            return_url="http://testserver/thanh-toan/vnpay/ket-qua/",
        )
    return txn


def result(gateway: FakeVnpayGateway, txn: PaymentTransaction, **kw: Any) -> dict[str, str]:
    """What the gateway signs when the citizen pays (or cancels) the transaction."""
    with clock(PAID_AT):
        return gateway.result_for(txn.redirect_url, **kw)


def ipn(client: Client, params: dict[str, str]) -> dict[str, str]:
    with clock(PAID_AT):
        answer = client.get(reverse("payments:ipn"), params)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    return dict(answer.json())


def back(client: Client, params: dict[str, str]) -> HttpResponse:
    """The browser coming back from the gateway."""
    with clock(PAID_AT):
        return client.get(reverse("payments:return"), params)  # type: ignore[return-value]
