"""What every fake has from the loopback server: loopback only, and misbehaving on demand."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from motcua.devtools.fakes.messenger import FakeMessengerApi
from motcua.devtools.fakes.national_portal import FakeNationalPortal
from motcua.devtools.fakes.national_qa import FakeNationalQa
from motcua.devtools.fakes.oidc import FakeOidcProvider
from motcua.devtools.fakes.sms import FakeSmsGateway
from motcua.devtools.fakes.vnpay import FakeVnpayGateway
from motcua.devtools.fakes.zalo import FakeZaloApi
from motcua.devtools.loopback import json_reply

FAKES = [
    FakeZaloApi,
    FakeMessengerApi,
    FakeNationalQa,
    FakeNationalPortal,
    FakeSmsGateway,
    FakeVnpayGateway,
    FakeOidcProvider,
]


def fetch(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (loopback)
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


@pytest.mark.parametrize("fake", FAKES)
def test_every_fake_listens_on_loopback_only(fake):
    with pytest.raises(ValueError, match="loopback"):
        fake(host="0.0.0.0")  # noqa: S104


def test_the_next_requests_fail_as_told_then_the_platform_answers_again():
    with FakeOidcProvider() as provider:
        provider.fail_next_with(2, json_reply(503, {"error": "maintenance"}))
        url = f"{provider.issuer}/jwks"
        assert fetch(url) == fetch(url) == (503, {"error": "maintenance"})
        status, answer = fetch(url)
        assert status == 200 and answer["keys"]
    assert provider.requests == 3


def test_the_next_requests_are_answered_late_as_told():
    with FakeOidcProvider() as provider:
        provider.delay_next(1, 0.3)
        url = f"{provider.issuer}/.well-known/openid-configuration"
        started = time.monotonic()
        assert fetch(url)[0] == 200
        assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        assert fetch(url)[0] == 200
        assert time.monotonic() - started < 0.3
