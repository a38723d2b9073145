"""How many web-form submissions one client address may make: ``HOTLINE_WEB_FORM_PER_HOUR``
in the shared cache (Redis in production, so every web process counts together), in hourly
windows aligned to the clock as the sign-up limit does (``motcua.accounts.throttle``).

What counts is a submission the form would accept, including one the spam traps swallow, so
a robot is slowed down as much as a person; a form sent back with errors does not count. The
address is hashed into the key, so the cache holds no IP addresses.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from motcua.dossiers.public import client_address

WINDOW_SECONDS = 3600


def _key(request: HttpRequest) -> str:
    window = int(timezone.now().timestamp() // WINDOW_SECONDS)
    digest = hashlib.sha256(client_address(request).encode("utf-8")).hexdigest()[:40]
    return f"hotline:web-form:{window}:{digest}"


def limit() -> int:
    return int(settings.HOTLINE_WEB_FORM_PER_HOUR)


def used_up(request: HttpRequest) -> bool:
    """True once the address has used its hour (without counting this request)."""
    return int(cache.get(_key(request)) or 0) >= limit()


def count(request: HttpRequest) -> bool:
    """Count one submission; False when it is over the hour's limit and must be refused."""
    key = _key(request)
    used = 1
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            used = int(cache.incr(key))
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS)
    return used <= limit()


def minutes_left() -> int:
    """Minutes until the current window ends and the address may send again."""
    now = timezone.now().timestamp()
    return max(1, math.ceil((WINDOW_SECONDS - now % WINDOW_SECONDS) / 60))
