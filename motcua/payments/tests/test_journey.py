"""End to end over HTTP: the signed link, the site's page, the fake gateway's page, its IPN
to the live site (twice), the browser's return. The one committing test here: Django empties
the database after it, so it puts back the demo province it needs."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import re
import urllib.request
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from motcua.devtools.fakes.vnpay import FakeVnpayGateway
from motcua.dossiers.actions import forward_dossier, receive_dossier, request_payment
from motcua.dossiers.models import Dossier, Payment
from motcua.dossiers.tests.fixtures import application
from motcua.org.models import Desk, DeskKind
from motcua.payments.links import payment_link
from motcua.payments.models import PaymentTransaction
from motcua.payments.tests.conftest import HASH_SECRET, TMN_CODE


@pytest.fixture
def site(live_server, settings) -> Iterator[FakeVnpayGateway]:
    """The live site with the fake gateway on its own port, calling the site's IPN twice."""
    ipn_url = f"{live_server.url}{reverse('payments:ipn')}"
    with FakeVnpayGateway(
        tmn_code=TMN_CODE, hash_secret=HASH_SECRET, ipn_url=ipn_url, ipn_times=2
    ) as gateway:
        settings.MOTCUA_PUBLIC_URL = live_server.url
        settings.PAYMENTS_ENABLED = True
        settings.VNPAY_PAYMENT_URL = gateway.payment_url
        settings.VNPAY_TMN_CODE = TMN_CODE
        settings.VNPAY_HASH_SECRET = HASH_SECRET
        yield gateway


def awaiting_payment() -> Dossier:
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    people = get_user_model().objects
    clerk, specialist = people.get(username="tiepnhan"), people.get(username="chuyenvien")
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    dossier = receive_dossier(
        application=application("1.000688", centre), officer=clerk, received_at=timezone.now()
    )
    dossier = forward_dossier(dossier=dossier, officer=clerk)
    return request_payment(dossier=dossier, officer=specialist)


def form_value(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert found, f"no {name} in the page"
    return found[1]


@pytest.mark.django_db(transaction=True)
def test_a_citizen_pays_through_the_gateway_and_the_dossier_resumes(site):
    dossier = awaiting_payment()
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    link = payment_link(dossier)

    ours = browser.open(link, timeout=10).read().decode()
    assert dossier.code in ours
    form = {
        "csrfmiddlewaretoken": form_value(ours, "csrfmiddlewaretoken"),
        "t": form_value(ours, "t"),
    }
    at_gateway = browser.open(link, data=urlencode(form).encode(), timeout=10)
    assert at_gateway.url.startswith(site.payment_url)
    theirs = at_gateway.read().decode()
    assert "Thanh toán" in theirs and "Hủy" in theirs

    choice = urlencode({"order": form_value(theirs, "order"), "choice": "pay"}).encode()
    back = browser.open(f"{site.url}/paymentv2/pay", data=choice, timeout=10)

    assert urlsplit(back.url).path == reverse("payments:return")
    assert "Thanh toán thành công" in back.read().decode()
    assert site.ipn_answers == ["00", "02"]  # the second IPN is a replay
    txn = PaymentTransaction.objects.get(dossier=dossier)
    assert txn.status == "paid" and txn.ipn_seen_at and txn.return_seen_at
    assert dict(parse_qsl(urlsplit(back.url).query))["vnp_TxnRef"] == txn.txn_ref
    assert Payment.objects.filter(dossier=dossier).count() == 1
    dossier.refresh_from_db()
    assert dossier.national_status == 4
