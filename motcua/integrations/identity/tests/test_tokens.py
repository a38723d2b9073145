"""verify_id_token: only an RS256 token signed by the provider's published key, for us, from
the issuer, in date, with this flow's nonce."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.devtools.fakes.oidc import new_key
from motcua.integrations.identity import config
from motcua.integrations.identity.tokens import InvalidIdTokenError, verify_id_token

pytestmark = pytest.mark.django_db
NONCE = "n-0S6_WzA2Mj"


def claims(provider, **changes):
    now = int(time.time())
    base = {
        "iss": provider.issuer,
        "sub": "vneid-0001",
        "aud": provider.client_id,
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
    }
    return {**base, **changes}


def sign(payload, key, alg="RS256", kid="fake-1"):
    return jwt.encode({"alg": alg, "kid": kid}, payload, key, algorithms=[alg])


def verify(provider, token, nonce=NONCE):
    return verify_id_token(token, provider=config.provider(), nonce=nonce)


def test_a_good_token_gives_its_claims(provider):
    assert verify(provider, sign(claims(provider), provider.key))["sub"] == "vneid-0001"


@pytest.mark.parametrize(
    "change",
    [
        {"aud": "another-client"},
        {"iss": "https://evil.example"},
        {"exp": int(time.time()) - 3600},
        {"iat": int(time.time()) + 3600},
        {"nonce": "another-nonce"},
    ],
    ids=["audience", "issuer", "expired", "issued-in-the-future", "nonce"],
)
def test_a_claim_that_does_not_hold_is_refused(provider, change):
    with pytest.raises(InvalidIdTokenError):
        verify(provider, sign(claims(provider, **change), provider.key))


def test_a_token_without_a_nonce_is_refused(provider):
    token = sign({k: v for k, v in claims(provider).items() if k != "nonce"}, provider.key)
    with pytest.raises(InvalidIdTokenError):
        verify(provider, token)


def test_a_token_signed_with_another_key_is_refused(provider):
    with pytest.raises(InvalidIdTokenError, match="BadSignatureError"):
        verify(provider, sign(claims(provider), new_key()))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header, payload):
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"


def test_alg_none_is_refused(provider):
    token = unsigned({"alg": "none", "kid": "fake-1"}, claims(provider)) + "."
    with pytest.raises(InvalidIdTokenError):
        verify(provider, token)


def test_the_public_key_used_as_an_hmac_secret_is_refused(provider):
    signing_input = unsigned({"alg": "HS256", "kid": "fake-1"}, claims(provider))
    secret = provider.key.as_pem(private=False)
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(InvalidIdTokenError):
        verify(provider, f"{signing_input}.{b64(mac)}")


def test_a_rotated_key_is_fetched_again(provider):
    verify(provider, sign(claims(provider), provider.key))  # the JWKS is now cached
    provider.key = RSAKey.generate_key(2048, parameters={"kid": "fake-2", "alg": "RS256"})
    token = sign(claims(provider), provider.key, kid="fake-2")
    assert verify(provider, token)["sub"] == "vneid-0001"


def test_garbage_is_refused(provider):
    with pytest.raises(InvalidIdTokenError):
        verify(provider, "not.a.jwt")
