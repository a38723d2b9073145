"""One rate limiter for every place that counts attempts: fixed windows in the shared cache.

The cache is Redis in production, so every web process counts together. Windows are aligned
to the clock (``time // seconds``), so all processes agree where a window ends and a refusal
can say how long to wait. What is counted (a client address, a phone number, a dossier code)
enters the key only as a keyed hash (HMAC with a key derived from ``SECRET_KEY``): the cache
holds no personal data, and a phone number's small range cannot be reversed from the key
without the secret. See docs/security.md.

    LOOKUP = Limit("lookup", per=lambda: settings.LOOKUP_RATE_PER_MINUTE, seconds=60)
    if not LOOKUP.hit(client_bucket(request)):
        ...  # refuse with 429 and LOOKUP.retry_after()
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

_SALT = "motcua.core.ratelimit"


def _now() -> float:
    return timezone.now().timestamp()


@dataclass(frozen=True)
class Limit:
    """At most ``per`` hits per ``seconds``-long window for each value counted."""

    scope: str
    per: Callable[[], int]  # read from settings at each call, so tests may change it
    seconds: int

    def _window(self) -> int:
        return int(_now() // self.seconds)

    def key(self, value: str) -> str:
        digest = salted_hmac(_SALT, f"{self.scope}\x1f{value}", algorithm="sha256").hexdigest()
        return f"rl:{self.scope}:{self._window()}:{digest[:40]}"

    def count(self, value: str) -> int:
        """Hits counted for ``value`` in the current window (this request not included)."""
        return int(cache.get(self.key(value)) or 0)

    def used_up(self, value: str) -> bool:
        """True once ``value`` has used its window, without counting this request."""
        return self.count(value) >= self.per()

    def hit(self, value: str) -> bool:
        """Count one hit; False when it goes over the limit and must be refused."""
        key = self.key(value)
        if cache.add(key, 1, timeout=self.seconds):
            used = 1
        else:
            try:
                used = int(cache.incr(key))
            except ValueError:  # the key expired between add and incr
                cache.add(key, 1, timeout=self.seconds)
                used = 1
        return used <= self.per()

    def reset(self, value: str) -> None:
        """Forget ``value``'s hits in the current window (a success clears failures)."""
        cache.delete(self.key(value))

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        return max(1, math.ceil((self._window() + 1) * self.seconds - _now()))

    def minutes_left(self) -> int:
        return max(1, math.ceil(self.retry_after() / 60))
