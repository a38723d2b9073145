"""Actions can be taken at a stated moment (replaying history) instead of the wall clock's."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone

from motcua.core.actions import acting_at, now

MOMENT = dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC)


def test_now_is_the_wall_clock_outside_a_stated_moment() -> None:
    before = timezone.now()
    assert before <= now() <= timezone.now()


def test_actions_inside_the_block_happen_at_the_stated_moment() -> None:
    with acting_at(MOMENT):
        assert now() == MOMENT
        with acting_at(MOMENT + dt.timedelta(hours=1)):
            assert now() == MOMENT + dt.timedelta(hours=1)
        assert now() == MOMENT
    assert now() != MOMENT


def test_the_moment_is_back_after_an_error() -> None:
    with pytest.raises(RuntimeError), acting_at(MOMENT):
        raise RuntimeError
    assert now() != MOMENT


def test_the_moment_belongs_to_its_thread() -> None:
    seen: list[dt.datetime] = []
    with acting_at(MOMENT):
        worker = threading.Thread(target=lambda: seen.append(now()))
        worker.start()
        worker.join()
    assert seen and seen[0] != MOMENT


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"), acting_at(dt.datetime(2025, 3, 4)):
        pass
