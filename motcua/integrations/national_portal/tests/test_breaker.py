"""The circuit breaker on a clock the test moves: closed, open for the cool-down, one probe at a
time when half-open, closed by the probe's success or opened again by its failure."""

from __future__ import annotations

import threading

import pytest

from motcua.integrations.national_portal import CircuitBreaker


@pytest.fixture
def breaker(clock):
    return CircuitBreaker(threshold=3, cooldown=30, clock=clock)


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        assert breaker.allow()
        breaker.failure()


def test_it_opens_at_the_threshold_of_consecutive_failures(breaker):
    fail(breaker, 2)
    assert not breaker.is_open and breaker.allow()
    breaker.failure()
    assert breaker.is_open and not breaker.allow()
    assert breaker.seconds_left() == 30


def test_a_success_starts_the_count_again(breaker):
    fail(breaker, 2)
    breaker.success()
    fail(breaker, 2)
    assert not breaker.is_open


def test_after_the_cooldown_one_probe_goes_out_at_a_time(breaker, clock):
    fail(breaker, 3)
    clock.advance(29.9)
    assert not breaker.allow() and breaker.seconds_left() == pytest.approx(0.1)
    clock.advance(0.1)
    assert not breaker.is_open and breaker.seconds_left() == 0
    assert breaker.allow()
    assert not breaker.allow()  # the probe is still out


def test_the_probes_success_closes_it(breaker, clock):
    fail(breaker, 3)
    clock.advance(30)
    assert breaker.allow()
    breaker.success()
    assert breaker.allow() and breaker.allow()
    fail(breaker, 2)
    assert not breaker.is_open  # the count started again from nothing


def test_the_probes_failure_opens_it_for_another_cooldown(breaker, clock):
    fail(breaker, 3)
    clock.advance(45)
    assert breaker.allow()
    breaker.failure()
    assert breaker.is_open and breaker.seconds_left() == 30
    clock.advance(30)
    assert breaker.allow()


def test_a_probe_released_without_an_answer_lets_another_probe(breaker, clock):
    fail(breaker, 3)
    clock.advance(30)
    assert breaker.allow() and not breaker.allow()
    breaker.release()
    assert breaker.allow()


def test_threads_racing_a_half_open_breaker_send_one_probe(breaker, clock):
    fail(breaker, 3)
    clock.advance(30)
    allowed: list[bool] = []
    threads = [threading.Thread(target=lambda: allowed.append(breaker.allow())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert sorted(allowed) == [False] * 7 + [True]


@pytest.mark.parametrize(("threshold", "cooldown"), [(0, 30), (3, 0), (3, -1)])
def test_a_breaker_needs_a_threshold_and_a_cooldown(threshold, cooldown):
    with pytest.raises(ValueError, match="threshold"):
        CircuitBreaker(threshold=threshold, cooldown=cooldown)
