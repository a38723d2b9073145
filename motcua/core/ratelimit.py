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

Counting costs one round trip to Redis, however many limits a request counts
(``hit_together``: one Lua script increments them all and sets the windows' expiry); on the
local-memory cache (the embedded default, tests) it costs none.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis import Redis
from redis.commands.core import Script

_SALT = "motcua.core.ratelimit"

# KEYS are the counters, ARGV[2i-1] and ARGV[2i] the limit and window length of KEYS[i]. Each
# counter is incremented, its expiry set when it starts; the first one gates the rest: when
# it goes over its limit, the others are not counted.
_COUNT = """
local used = {}
for i, key in ipairs(KEYS) do
  used[i] = redis.call('INCR', key)
  if used[i] == 1 then redis.call('EXPIRE', key, ARGV[2 * i]) end
  if i == 1 and used[i] > tonumber(ARGV[1]) then break end
end
return used
"""


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
        return hit_together((self, value))[0]

    def reset(self, value: str) -> None:
        """Forget ``value``'s hits in the current window (a success clears failures)."""
        cache.delete(self.key(value))

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        return max(1, math.ceil((self._window() + 1) * self.seconds - _now()))

    def minutes_left(self) -> int:
        return max(1, math.ceil(self.retry_after() / 60))


Counted = tuple[Limit, str]  # a limit and the value it counts
Bound = tuple[int, int]  # hits allowed, seconds in the window


def hit_together(first: Counted, *then: Counted) -> list[bool]:
    """Count one hit on ``first`` and, only when that one is within its limit, one on each of
    ``then``. Returns whether each counted hit is within its limit, in order (``first``'s
    alone when it was refused). One round trip on Redis, none on the local-memory cache."""
    counted = [first, *then]
    keys = [limit.key(value) for limit, value in counted]
    limits = [(limit.per(), limit.seconds) for limit, _ in counted]
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        used = _count_in_redis(backend, keys, limits)
    else:
        used = _count_one_by_one(keys, limits)
    return [n <= per for n, (per, _) in zip(used, limits, strict=False)]


def _count_in_redis(backend: RedisCache, keys: list[str], limits: list[Bound]) -> list[int]:
    names = [backend.make_and_validate_key(key) for key in keys]
    args = [number for limit in limits for number in limit]
    return [int(n) for n in _script(backend)(keys=names, args=args)]


_scripts: WeakKeyDictionary[Any, Script] = WeakKeyDictionary()


def _script(backend: RedisCache) -> Script:
    """The counting script on a client of the cache's own connection pool (Django keeps both
    private), made once per pool: a new client per call costs more than the round trip."""
    pool = backend._cache._get_connection_pool(write=True)  # type: ignore[attr-defined]
    script = _scripts.get(pool)
    if script is None:
        script = _scripts[pool] = Redis(connection_pool=pool).register_script(_COUNT)
    return script


def _count_one_by_one(keys: list[str], limits: list[Bound]) -> list[int]:
    """The same counting through the cache's own operations (local memory, tests)."""
    used = []
    for key, (per, seconds) in zip(keys, limits, strict=True):
        used.append(_increment(key, seconds))
        if len(used) == 1 and used[0] > per:
            break
    return used


def _increment(key: str, seconds: int) -> int:
    if cache.add(key, 1, timeout=seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return 1
