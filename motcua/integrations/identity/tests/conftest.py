"""The local OpenID Connect provider, and a browser's trip through it."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from motcua.devtools.fakes.oidc import FakeOidcProvider


@pytest.fixture
def provider(settings: Any) -> Iterator[FakeOidcProvider]:
    """The local provider on a free loopback port, the site pointed at it by discovery."""
    cache.clear()  # discovery and keys of an earlier provider
    with FakeOidcProvider(client_id="motcua-test", client_secret="test-secret") as fake:
        for name, value in fake.settings().items():
            setattr(settings, name, value)
        yield fake
    cache.clear()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def approve(authorization_url: str) -> str:
    """What the provider's authorize page redirects the browser to (a callback with a code,
    or with an error)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(authorization_url, timeout=5)
    except urllib.error.HTTPError as exc:
        assert exc.code == 302, exc.read()
        return str(exc.headers["Location"])
    raise AssertionError("the provider did not redirect")
