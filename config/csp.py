"""The Content-Security-Policy's form targets that depend on the deployment.

A form of ours may answer with a redirect to another site: the payment page to the payment
gateway, the "sign in with VNeID" button to the identity provider. Browsers hold such a
redirect to the ``form-action`` directive of the page that held the form, so those origins
are added to every response's policy, read from the settings at the time (the rest of the
policy is ``CONTENT_SECURITY_POLICY`` in config/settings/csp.py; docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def form_targets() -> list[str]:
    """The other sites our forms redirect to, as the settings configure them. An identity
    provider whose authorization endpoint is discovered on another origin than its issuer
    needs OIDC_AUTHORIZATION_URL set."""
    urls = []
    if settings.PAYMENTS_ENABLED:
        urls.append(settings.VNPAY_PAYMENT_URL)
    if settings.OIDC_ENABLED:
        urls += [settings.OIDC_AUTHORIZATION_URL, settings.OIDC_ISSUER]
    return list(dict.fromkeys(o for o in map(origin, urls) if o))


class FormTargetsMiddleware:
    """Adds ``form_targets()`` to the response's ``form-action`` (before django-csp writes the
    header: list it after ``csp.middleware.CSPMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        targets = form_targets()
        if targets:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *targets]
            response._csp_update = update  # type: ignore[attr-defined]
        return response
