"""Verifying an ID token (OpenID Connect Core §3.1.3.7).

The token must be an RS256 JWS signed by a key of the provider's JWKS (``alg`` "none", HMAC
and other algorithms are refused, so a public key can never be used as an HMAC secret), and
its claims must hold: ``iss`` is the configured issuer, ``aud`` holds our client id (``azp``
too when there are several audiences), ``exp`` is in the future and ``iat`` not in the
future (both with ``LEEWAY_SECONDS`` for clock skew), ``nonce`` is the one this browser's
flow sent, ``at_hash`` (when present) matches the access token. Signature checks use joserfc
and the claim rules Authlib's ``CodeIDToken``. The JWKS is cached for an hour and fetched
again once when a token names a key id the cache does not have (the provider rotated keys).
"""

from __future__ import annotations

from typing import Any

from authlib.oidc.core import CodeIDToken
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from motcua.integrations.identity.config import Provider
from motcua.integrations.identity.transport import get_json

ALGORITHMS = ["RS256"]
LEEWAY_SECONDS = 60
JWKS_CACHE_SECONDS = 3600


class InvalidIdTokenError(Exception):
    """The ID token is not acceptable; the message says why (for the log)."""


def key_set(provider: Provider, *, refresh: bool = False) -> KeySet:
    key = f"oidc:jwks:{provider.jwks_url}"
    document = None if refresh else cache.get(key)
    if document is None:
        document = get_json(provider.jwks_url)
        cache.set(key, document, JWKS_CACHE_SECONDS)
    try:
        return KeySet.import_key_set(document)  # type: ignore[arg-type]
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise InvalidIdTokenError(f"unusable JWKS: {exc!r}") from exc


def verify_id_token(
    id_token: str, *, provider: Provider, nonce: str, access_token: str = ""
) -> dict[str, Any]:
    """The claims of ``id_token`` if it passes every check above; else ``InvalidIdTokenError``.
    ``ProviderError`` if the JWKS cannot be fetched."""
    if not nonce:
        raise InvalidIdTokenError("no nonce to compare with")
    try:
        try:
            token = jwt.decode(id_token, key_set(provider), algorithms=ALGORITHMS)
        except InvalidKeyIdError:
            token = jwt.decode(id_token, key_set(provider, refresh=True), algorithms=ALGORITHMS)
        claims = CodeIDToken(
            token.claims,
            token.header,
            {
                "iss": {"essential": True, "value": provider.issuer},
                "aud": {"essential": True, "value": provider.client_id},
            },
            {"nonce": nonce, "client_id": provider.client_id, "access_token": access_token},
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as exc:
        raise InvalidIdTokenError(f"{type(exc).__name__}: {exc}") from exc
    except (ValueError, TypeError) as exc:  # a malformed token that is not even a JWS
        raise InvalidIdTokenError(repr(exc)) from exc
    return dict(claims)
