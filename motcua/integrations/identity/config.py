"""The identity provider this site uses, from the OIDC_* settings (config/settings/integrations.py).

Endpoints are given one by one (OIDC_AUTHORIZATION_URL, OIDC_TOKEN_URL, OIDC_JWKS_URL,
OIDC_USERINFO_URL) or, when OIDC_AUTHORIZATION_URL is empty, discovered from the issuer's
``/.well-known/openid-configuration`` (OpenID Connect Discovery 1.0). A discovered document
must name the configured issuer (Discovery §4.3) and is cached for an hour in the shared cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from motcua.integrations.identity.transport import ProviderError, get_json

DISCOVERY_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Provider:
    name: str  # shown on the button: "Đăng nhập bằng VNeID"
    issuer: str
    client_id: str
    client_secret: str
    authorization_url: str
    token_url: str
    jwks_url: str
    userinfo_url: str
    scopes: tuple[str, ...]
    id_number_claim: str
    token_auth_method: str  # client_secret_basic | client_secret_post


def enabled() -> bool:
    return bool(settings.OIDC_ENABLED)


def provider_name() -> str:
    return str(settings.OIDC_PROVIDER_NAME)


def provider() -> Provider:
    """The configured provider, its endpoints discovered if not set (``ProviderError`` when
    discovery fails)."""
    endpoints = {
        "authorization_endpoint": settings.OIDC_AUTHORIZATION_URL,
        "token_endpoint": settings.OIDC_TOKEN_URL,
        "jwks_uri": settings.OIDC_JWKS_URL,
        "userinfo_endpoint": settings.OIDC_USERINFO_URL,
    }
    if not endpoints["authorization_endpoint"]:
        endpoints = discover(settings.OIDC_ISSUER)
    return Provider(
        name=provider_name(),
        issuer=settings.OIDC_ISSUER,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        authorization_url=endpoints["authorization_endpoint"],
        token_url=endpoints["token_endpoint"],
        jwks_url=endpoints["jwks_uri"],
        userinfo_url=endpoints.get("userinfo_endpoint") or "",
        scopes=tuple(settings.OIDC_SCOPES),
        id_number_claim=settings.OIDC_ID_NUMBER_CLAIM,
        token_auth_method=settings.OIDC_TOKEN_AUTH_METHOD,
    )


def discover(issuer: str) -> dict[str, str]:
    key = f"oidc:discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        document = get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
        if document.get("issuer") != issuer:
            raise ProviderError(f"discovery names issuer {document.get('issuer')!r}")
        missing = [
            k
            for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")
            if not document.get(k)
        ]
        if missing:
            raise ProviderError(f"discovery document lacks {missing}")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return {k: str(v) for k, v in document.items() if isinstance(v, str)}
