"""What the account pages keep in the browser's session, and signing a citizen in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# A citizen who proved their password (or just signed up) but still has to enter the code.
PENDING_USER = "accounts:pending_user"
PENDING_CHANNEL = "accounts:pending_channel"
NEXT = "accounts:next"
# Sessions hold the user id under Django's own backend: it loads any active user by id.
BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """``candidate`` if it is a path on this site, else the profile page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:profile")


def set_pending(request: HttpRequest, user: Any, channel: str, next_url: str) -> None:
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_CHANNEL] = channel
    request.session[NEXT] = next_url


def pending_user(request: HttpRequest) -> tuple[Any, str] | None:
    pk, channel = request.session.get(PENDING_USER), request.session.get(PENDING_CHANNEL)
    if pk is None or channel is None:
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    return (user, str(channel)) if user is not None else None


def sign_in(request: HttpRequest, user: Any, next_url: str | None = None) -> str:
    """Sign the citizen in (a new session key, against session fixation); return where to go:
    ``next_url``, else the page the pending sign-in asked for, else the profile."""
    if next_url is None:
        next_url = request.session.get(NEXT, "")
    login(request, user, backend=BACKEND)
    for key in (PENDING_USER, PENDING_CHANNEL, NEXT):
        request.session.pop(key, None)
    return safe_next(request, next_url)
