"""Sign-in and sign-up limits for citizens, counted by the one rate limiter
(``motcua.core.ratelimit``: the shared cache, keyed hashes, clock-aligned windows).

Sign-in counts failures, per identifier (``ACCOUNTS_SIGNIN_FAILURES_PER_IDENTIFIER``) and per
client address (``ACCOUNTS_SIGNIN_FAILURES_PER_IP``), in windows of
``ACCOUNTS_SIGNIN_WINDOW_MINUTES``; once a count reaches its limit, sign-in with that
identifier or from that address is refused, right password or not, until the window ends. A
success clears the identifier's count. Sign-up counts every attempt that would send a code
(``ACCOUNTS_SIGNUPS_PER_IP_PER_HOUR``, hourly windows). Staff sign-in is guarded by
django-axes instead (docs/security.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from motcua.core.clients import client_bucket
from motcua.core.ratelimit import Limit


def _window() -> int:
    return int(settings.ACCOUNTS_SIGNIN_WINDOW_MINUTES) * 60


def _per_identifier() -> Limit:
    return Limit(
        "signin-id",
        per=lambda: settings.ACCOUNTS_SIGNIN_FAILURES_PER_IDENTIFIER,
        seconds=_window(),
    )


def _per_address() -> Limit:
    return Limit(
        "signin-ip", per=lambda: settings.ACCOUNTS_SIGNIN_FAILURES_PER_IP, seconds=_window()
    )


SIGNUPS = Limit("signup-ip", per=lambda: settings.ACCOUNTS_SIGNUPS_PER_IP_PER_HOUR, seconds=3600)


def signin_locked_minutes(request: HttpRequest, identifier: str) -> int:
    """0 if sign-in may be tried; else the minutes until the window ends."""
    by_identifier, by_address = _per_identifier(), _per_address()
    if by_identifier.used_up(identifier) or by_address.used_up(client_bucket(request)):
        return by_identifier.minutes_left()
    return 0


def signin_failed(request: HttpRequest, identifier: str) -> None:
    _per_identifier().hit(identifier)
    _per_address().hit(client_bucket(request))


def signin_succeeded(identifier: str) -> None:
    _per_identifier().reset(identifier)


def signup_over_limit(request: HttpRequest) -> bool:
    """Count this sign-up attempt; True once the address has used up its hour."""
    return not SIGNUPS.hit(client_bucket(request))
