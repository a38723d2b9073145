"""Counting attempts in the shared cache (Redis in production, so every web process counts
together), as the public lookup does (``motcua.dossiers.public.over_rate_limit``).

Sign-in counts failures, per identifier (``ACCOUNTS_SIGNIN_FAILURES_PER_IDENTIFIER``) and per
client address (``ACCOUNTS_SIGNIN_FAILURES_PER_IP``), in fixed windows of
``ACCOUNTS_SIGNIN_WINDOW_MINUTES`` (aligned to the clock, so every process agrees where a
window ends); once a count reaches its limit, sign-in with that identifier or from that
address is refused, right password or not, until the window ends. A success clears the
identifier's count. Sign-up counts every attempt that would send a code
(``ACCOUNTS_SIGNUPS_PER_IP_PER_HOUR``, hourly windows). Identifiers are hashed into the keys,
so the cache holds no phone numbers or emails.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from motcua.dossiers.public import client_address


def _window(seconds: int) -> tuple[int, float]:
    """The current window's number and the seconds left in it."""
    now = timezone.now().timestamp()
    index = int(now // seconds)
    return index, (index + 1) * seconds - now


def _key(scope: str, value: str, seconds: int) -> str:
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:40]
    return f"accounts:{scope}:{_window(seconds)[0]}:{digest}"


def _count(scope: str, value: str, seconds: int) -> int:
    return int(cache.get(_key(scope, value, seconds)) or 0)


def _hit(scope: str, value: str, seconds: int) -> int:
    key = _key(scope, value, seconds)
    if cache.add(key, 1, timeout=seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return 1


def signin_window_seconds() -> int:
    return int(settings.ACCOUNTS_SIGNIN_WINDOW_MINUTES) * 60


def signin_locked_minutes(request: HttpRequest, identifier: str) -> int:
    """0 if sign-in may be tried; else the minutes until the window ends."""
    seconds = signin_window_seconds()
    locked = (
        _count("signin-id", identifier, seconds) >= settings.ACCOUNTS_SIGNIN_FAILURES_PER_IDENTIFIER
        or _count("signin-ip", client_address(request), seconds)
        >= settings.ACCOUNTS_SIGNIN_FAILURES_PER_IP
    )
    return max(1, math.ceil(_window(seconds)[1] / 60)) if locked else 0


def signin_failed(request: HttpRequest, identifier: str) -> None:
    seconds = signin_window_seconds()
    _hit("signin-id", identifier, seconds)
    _hit("signin-ip", client_address(request), seconds)


def signin_succeeded(identifier: str) -> None:
    cache.delete(_key("signin-id", identifier, signin_window_seconds()))


def signup_over_limit(request: HttpRequest) -> bool:
    """Count this sign-up attempt; True once the address has used up its hour."""
    count = _hit("signup-ip", client_address(request), 3600)
    return count > settings.ACCOUNTS_SIGNUPS_PER_IP_PER_HOUR
