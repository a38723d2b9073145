"""PAYMENTS_ENABLED refuses to start half-configured; the fake gateway runs by hand."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from motcua.integrations.payments import vnpay
from motcua.integrations.payments.fake_gateway import DEV_HASH_SECRET, DEV_TMN_CODE
from motcua.integrations.payments.tests.conftest import free_port

VNPAY_ENV = ("PAYMENTS_ENABLED", "VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "VNPAY_HASH_SECRET_FILE")


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in VNPAY_ENV}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.VNPAY_TMN_CODE, s.VNPAY_HASH_SECRET)",
        ],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_enabled_without_code_or_secret_does_not_start():
    result = _start(PAYMENTS_ENABLED="1", VNPAY_TMN_CODE="TMN1")
    assert result.returncode != 0
    assert "PAYMENTS_ENABLED=1 needs" in result.stderr


def test_the_secret_may_come_from_a_file(tmp_path):
    secret = tmp_path / "vnpay"
    secret.write_text("from-file\n")
    result = _start(PAYMENTS_ENABLED="1", VNPAY_TMN_CODE="TMN1", VNPAY_HASH_SECRET_FILE=str(secret))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "TMN1 from-file"


def test_the_fake_gateway_runs_by_hand():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "fake_payment_gateway", "--port", str(port)],
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
