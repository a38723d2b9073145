"""HTTP to the identity provider: JSON from GET, JSON from a form POST, with a timeout.

urllib, as the other integrations use: three calls per sign-in do not need a client library.
Every failure (network, HTTP status, non-JSON answer) is a ``ProviderError``.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 10.0
MAX_ANSWER_BYTES = 1_000_000


class ProviderError(Exception):
    """The provider could not be reached or answered something unusable (for the log)."""


def get_json(url: str, *, bearer: str | None = None) -> dict[str, Any]:
    headers = {"Accept": "application/json"}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    return _call(urllib.request.Request(_checked(url), headers=headers))  # noqa: S310


def post_form(
    url: str, data: dict[str, str], *, basic_auth: tuple[str, str] | None = None
) -> dict[str, Any]:
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    if basic_auth:
        # RFC 6749 §2.3.1: the id and secret are form-encoded before the Basic encoding.
        pair = ":".join(urllib.parse.quote(part, safe="") for part in basic_auth)
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(  # noqa: S310 (the URL is checked to be http(s))
        _checked(url), data=body, headers=headers, method="POST"
    )
    return _call(request)


def _checked(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise ProviderError(f"not an http(s) address: {url!r}")
    return url


def _call(request: urllib.request.Request) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            raw = response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace")
        raise ProviderError(f"{request.full_url}: HTTP {exc.code}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ProviderError(f"{request.full_url}: unreachable: {exc}") from exc
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise ProviderError(f"{request.full_url}: not JSON: {raw[:200]!r}") from exc
    if not isinstance(answer, dict):
        raise ProviderError(f"{request.full_url}: not a JSON object")
    return answer
