"""The periodic jobs run at start and then on their intervals; a failing job does not stop
the others."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from motcua.core.env import ConfigurationError, env_seconds
from motcua.core.management.commands.run_periodic import jobs_with
from motcua.core.scheduler import Scheduler


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_job_runs_at_start_then_on_its_interval():
    clock, ran = Clock(), []
    scheduler = Scheduler({"fast": 60, "slow": 300}, ran.append, clock=clock)

    assert scheduler.run_due() == ["fast", "slow"]
    assert scheduler.seconds_to_next() == 60
    clock.now += 59
    assert scheduler.run_due() == []
    clock.now += 1
    assert scheduler.run_due() == ["fast"]
    clock.now += 240
    assert scheduler.run_due() == ["fast", "slow"]
    assert ran == ["fast", "slow", "fast", "fast", "slow"]


def test_a_failing_job_is_tried_again_at_its_next_turn():
    clock, ran = Clock(), []

    def run(name: str) -> None:
        ran.append(name)
        if name == "broken":
            raise RuntimeError("down")

    scheduler = Scheduler({"broken": 10, "fine": 10}, run, clock=clock)
    assert scheduler.run_due() == ["broken", "fine"]
    clock.now += 10
    assert scheduler.run_due() == ["broken", "fine"]


def test_the_loop_sleeps_until_the_next_job():
    clock, sleeps = Clock(), []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.now += seconds
        if len(sleeps) == 3:
            raise KeyboardInterrupt

    ran: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        Scheduler({"a": 30, "b": 45}, ran.append, clock=clock).loop(sleep=sleep)
    assert sleeps == [30, 15, 15]
    assert ran == ["a", "b", "a", "b"]  # at 0, 30 and 45 s; interrupted asleep at 60 s


def test_intervals_must_be_positive():
    with pytest.raises(ValueError):
        Scheduler({"a": 0}, print)


def test_periodic_jobs_are_changed_and_dropped_by_name(monkeypatch):
    monkeypatch.setenv("MOTCUA_JOBS", "a=5, b=0,c=7")
    assert env_seconds("MOTCUA_JOBS", {"a": 60, "b": 60}) == {"a": 5, "c": 7}
    monkeypatch.setenv("MOTCUA_JOBS", "a")
    with pytest.raises(ConfigurationError, match="MOTCUA_JOBS"):
        env_seconds("MOTCUA_JOBS", {})
    assert jobs_with({"a": 60}, ["a=1"]) == {"a": 1}
    with pytest.raises(CommandError):
        jobs_with({"a": 60}, ["a=-1"])


def test_the_default_jobs_are_commands(settings):
    from django.core.management import get_commands

    assert set(settings.PERIODIC_JOBS) <= set(get_commands())
