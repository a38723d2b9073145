"""The fake gateway over HTTP: refuses unsigned requests, shows the buttons, calls the IPN
before or after redirecting, twice if told to, and signs what it sends; and by hand with
``manage.py fake_platform payment``."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings

from motcua.devtools.fakes.vnpay import DEV_HASH_SECRET, DEV_TMN_CODE, FakeVnpayGateway
from motcua.devtools.tests.running import free_port
from motcua.integrations.payments import vnpay
from motcua.integrations.payments.tests.conftest import HASH_SECRET, TMN_CODE


class StubShop(BaseHTTPRequestHandler):
    """An IPN endpoint that records what it gets and answers "00"."""

    calls: list[dict[str, str]]

    def do_GET(self) -> None:
        self.server.calls.append(dict(parse_qsl(urlsplit(self.path).query)))  # type: ignore[attr-defined]
        body = json.dumps({"RspCode": "00", "Message": "Confirm Success"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def shop() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubShop)
    server.calls = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake(shop) -> Iterator[FakeVnpayGateway]:
    ipn_url = f"http://127.0.0.1:{shop.server_port}/ipn"
    with FakeVnpayGateway(tmn_code=TMN_CODE, hash_secret=HASH_SECRET, ipn_url=ipn_url) as gw:
        yield gw


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


browser = urllib.request.build_opener(NoRedirect)


def request_url(fake: FakeVnpayGateway, secret: str = HASH_SECRET, **extra: str) -> str:
    params = {
        "vnp_Version": "2.1.0",
        "vnp_Command": "pay",
        "vnp_TmnCode": TMN_CODE,
        "vnp_Amount": "1500000",
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": "R1",
        "vnp_OrderInfo": "Nop phi ho so H01",
        "vnp_OrderType": "billpayment",
        "vnp_Locale": "vn",
        "vnp_ReturnUrl": "http://127.0.0.1:9/ket-qua/",
        "vnp_IpAddr": "127.0.0.1",
        "vnp_CreateDate": "20260302093000",
        **extra,
    }
    return f"{fake.payment_url}?{vnpay.signed_query(secret, params)}"


def pay(fake: FakeVnpayGateway, choice: str = "pay", **extra: str) -> dict[str, str]:
    """Open the page, press a button; the signed result the browser is sent back with."""
    page = browser.open(request_url(fake, **extra), timeout=5).read().decode()
    assert "Thanh toán" in page and "Hủy" in page
    order = re.search(r'name="order" value="([^"]+)"', page)[1]
    form = urlencode({"order": order, "choice": choice}).encode()
    with pytest.raises(urllib.error.HTTPError) as redirected:
        browser.open(f"{fake.url}/paymentv2/pay", data=form, timeout=5)
    assert redirected.value.code == 302
    location = redirected.value.headers["Location"]
    assert location.startswith("http://127.0.0.1:9/ket-qua/?")
    return dict(parse_qsl(urlsplit(location).query))


def test_an_unsigned_request_is_refused(fake):
    with pytest.raises(urllib.error.HTTPError) as refused:
        browser.open(request_url(fake, secret="guessed"), timeout=5)
    assert refused.value.code == 400
    assert "chữ ký" in refused.value.read().decode()
    assert fake.rejected == 1


def test_paying_calls_the_ipn_before_redirecting_with_the_same_signed_result(fake, shop):
    result = pay(fake)
    assert shop.calls == [result]
    assert vnpay.verify(HASH_SECRET, result)
    assert (result["vnp_ResponseCode"], result["vnp_TransactionStatus"]) == ("00", "00")
    assert (result["vnp_Amount"], result["vnp_TxnRef"]) == ("1500000", "R1")
    assert fake.ipn_answers == ["00"]


def test_it_can_call_the_ipn_twice_after_the_redirect(fake, shop):
    fake.ipn, fake.ipn_times, fake.ipn_delay = "after", 2, 0.05
    result = pay(fake)
    assert fake.wait_for_ipn(2) == ["00", "00"]
    assert shop.calls == [result, result]


def test_it_can_tamper_with_the_amount_and_still_sign(fake):
    fake.tamper_amount_vnd = -5000
    result = pay(fake)
    assert result["vnp_Amount"] == "1000000"
    assert vnpay.verify(HASH_SECRET, result)


def test_cancelling_sends_code_24(fake, shop):
    result = pay(fake, choice="cancel")
    assert (result["vnp_ResponseCode"], result["vnp_TransactionStatus"]) == ("24", "02")


def test_an_expired_request_fails_with_code_11(fake):
    result = pay(fake, vnp_ExpireDate="20200101000000")
    assert result["vnp_ResponseCode"] == "11"


def test_it_listens_on_loopback_only():
    with pytest.raises(ValueError, match="loopback"):
        FakeVnpayGateway(host="0.0.0.0")  # noqa: S104


def test_the_fake_gateway_runs_by_hand():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "fake_platform", "payment", "--port", str(port)],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "VNPAY_TMN_CODE": "", "VNPAY_HASH_SECRET": ""},
    )
    try:
        url = f"http://127.0.0.1:{port}/paymentv2/vpcpay.html"
        assert url in server.stdout.readline()
        params = {
            "vnp_Version": "2.1.0",
            "vnp_Command": "pay",
            "vnp_TmnCode": DEV_TMN_CODE,
            "vnp_Amount": "1500000",
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": "R1",
            "vnp_OrderInfo": "Nop phi",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": "http://127.0.0.1:8000/thanh-toan/vnpay/ket-qua/",
            "vnp_IpAddr": "127.0.0.1",
            "vnp_CreateDate": "20260302093000",
        }
        good = f"{url}?{vnpay.signed_query(DEV_HASH_SECRET, params)}"
        with urllib.request.urlopen(good, timeout=5) as page:  # noqa: S310 (loopback)
            assert "Thanh toán" in page.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{url}?{vnpay.signed_query('x', params)}", timeout=5)  # noqa: S310
        assert refused.value.code == 400
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
