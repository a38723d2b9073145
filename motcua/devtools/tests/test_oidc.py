"""The fake provider checks what a real one checks at its token endpoint: the client secret,
the PKCE verifier, the redirect address, and that a code works once; and
``manage.py fake_platform oidc`` prints the settings to use."""

from __future__ import annotations

import threading
from io import StringIO
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.core.management import call_command

from motcua.devtools.fakes.oidc import FakeOidcProvider
from motcua.integrations.identity.tests.conftest import approve
from motcua.integrations.identity.transport import ProviderError, get_json, post_form

VERIFIER = "v" * 64
BACK = "http://127.0.0.1:8000/tai-khoan/oidc/callback/"


@pytest.fixture
def fake():
    with FakeOidcProvider(client_id="c", client_secret="s") as provider:
        yield provider


def code_from(fake):
    query = {
        "response_type": "code",
        "client_id": "c",
        "redirect_uri": BACK,
        "state": "st",
        "nonce": "no",
        "code_challenge": create_s256_code_challenge(VERIFIER),
        "code_challenge_method": "S256",
    }
    back = dict(parse_qsl(urlsplit(approve(f"{fake.issuer}/authorize?{urlencode(query)}")).query))
    assert back["state"] == "st"
    return back["code"]


def exchange(fake, code, *, verifier=VERIFIER, secret="s", redirect_uri=BACK):  # noqa: S107
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    return post_form(
        f"{fake.issuer}/token", form | {"code_verifier": verifier}, basic_auth=("c", secret)
    )


def test_a_good_exchange_gives_tokens_and_userinfo(fake):
    answer = exchange(fake, code_from(fake))
    assert answer["id_token"].count(".") == 2
    info = get_json(f"{fake.issuer}/userinfo", bearer=answer["access_token"])
    assert info["sub"] == "vneid-0001"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"verifier": "w" * 64}, "PKCE verifier does not match"),
        ({"secret": "wrong"}, "invalid client"),
        ({"redirect_uri": "http://evil.example/"}, "redirect_uri differs"),
    ],
)
def test_a_bad_exchange_is_refused(fake, change, why):
    with pytest.raises(ProviderError):
        exchange(fake, code_from(fake), **change)
    assert fake.refused == [why]


def test_a_code_works_once(fake):
    code = code_from(fake)
    exchange(fake, code)
    with pytest.raises(ProviderError, match="invalid_grant"):
        exchange(fake, code)


def test_it_listens_on_loopback_only():
    with pytest.raises(ValueError, match="loopback"):
        FakeOidcProvider(host="0.0.0.0")  # noqa: S104


def test_the_development_provider_prints_the_settings_to_use(monkeypatch):
    started = threading.Event()

    def serve_once(self):
        started.set()

    monkeypatch.setattr(FakeOidcProvider, "serve_forever", serve_once)
    out = StringIO()
    call_command("fake_platform", "oidc", "--port", "0", stdout=out)
    assert started.is_set()
    assert "OIDC_ENABLED=1 OIDC_ISSUER=http://127.0.0.1:" in out.getvalue()
