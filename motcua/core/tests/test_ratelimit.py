"""The one rate limiter: several limits counted together, in one round trip to Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache

from motcua.core import ratelimit
from motcua.core.ratelimit import Limit, hit_together

MINUTE = Limit("test-minute", per=lambda: 2, seconds=60)
PER_CODE = Limit("test-code", per=lambda: 3, seconds=86400)
PER_CLIENT = Limit("test-client", per=lambda: 1, seconds=3600)


# Thirty seconds into a minute, half an hour into an hour, early in a day: a test's hits all
# fall in one window of each limit, however long the test takes to reach them.
MID_WINDOW = 86400 * 20_000 + 1_830.0


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(ratelimit, "_now", lambda: MID_WINDOW)
    cache.clear()
    yield
    cache.clear()


def test_each_limit_counts_its_own_value():
    first = hit_together((MINUTE, "a"), (PER_CODE, "X"), (PER_CLIENT, "a"))
    second = hit_together((MINUTE, "a"), (PER_CODE, "X"), (PER_CLIENT, "a"))
    assert first == [True, True, True]
    assert second == [True, True, False]
    assert (MINUTE.count("a"), PER_CODE.count("X"), PER_CLIENT.count("a")) == (2, 2, 2)
    assert MINUTE.count("b") == 0


def test_a_refused_first_limit_counts_nothing_else():
    for _ in range(2):
        hit_together((MINUTE, "a"))
    assert hit_together((MINUTE, "a"), (PER_CODE, "X"), (PER_CLIENT, "a")) == [False]
    assert PER_CODE.count("X") == 0 and PER_CLIENT.count("a") == 0
    assert MINUTE.count("a") == 3


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI sets it)")
def test_on_redis_all_the_counts_take_one_round_trip(monkeypatch):
    from redis.connection import Connection

    sent: list[tuple[object, ...]] = []
    send = Connection.send_command

    def recording(self: Connection, *args: object, **kwargs: object) -> None:
        sent.append(args)
        send(self, *args, **kwargs)

    hit_together((MINUTE, "warm"))  # loads the script once per server
    monkeypatch.setattr(Connection, "send_command", recording)
    assert hit_together((MINUTE, "a"), (PER_CODE, "X"), (PER_CLIENT, "a")) == [True] * 3
    assert [args[0] for args in sent] == ["EVALSHA"]


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI sets it)")
def test_on_redis_each_counter_ends_with_its_window():
    from django.core.cache import caches
    from redis import Redis

    hit_together((MINUTE, "a"), (PER_CODE, "X"))
    hit_together((MINUTE, "a"), (PER_CODE, "X"))  # counting again keeps the window's end
    backend = caches["default"]
    redis = Redis.from_url(settings.REDIS_URL)
    assert 0 < redis.ttl(backend.make_and_validate_key(MINUTE.key("a"))) <= 60
    assert 3600 < redis.ttl(backend.make_and_validate_key(PER_CODE.key("X"))) <= 86400
