"""Endpoints come from discovery, or from the settings one by one."""

from __future__ import annotations

import pytest

from motcua.integrations.identity import config
from motcua.integrations.identity.transport import ProviderError


def test_discovery_finds_the_endpoints(provider):
    found = config.provider()
    assert (found.token_url, found.jwks_url) == (
        f"{provider.issuer}/token",
        f"{provider.issuer}/jwks",
    )


def test_a_discovery_document_for_another_issuer_is_refused(provider, settings):
    settings.OIDC_ISSUER = provider.issuer + "/"
    with pytest.raises(ProviderError, match="discovery names issuer"):
        config.provider()


def test_endpoints_given_in_the_settings_need_no_discovery(settings):
    settings.OIDC_ISSUER = "https://sso.dichvucong.example"
    settings.OIDC_AUTHORIZATION_URL = "https://sso.dichvucong.example/auth"
    settings.OIDC_TOKEN_URL = "https://sso.dichvucong.example/token"
    settings.OIDC_JWKS_URL = "https://sso.dichvucong.example/certs"
    assert config.provider().authorization_url == "https://sso.dichvucong.example/auth"
