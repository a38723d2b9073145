"""The periodic jobs run on their intervals in one loop (``manage.py run_periodic``).

A job is a management command run by name with no arguments; each runs at start and then
every ``interval`` seconds after it last started. A job that fails is logged and tried again
at its next turn; the loop goes on. The jobs and their intervals are ``PERIODIC_JOBS``
(``config/settings/tasks.py``); cron or systemd timers running the same commands do the same work
(docs/deployment.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(
        self,
        jobs: Mapping[str, float],
        run: Callable[[str], object],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        bad = {name: seconds for name, seconds in jobs.items() if seconds <= 0}
        if bad:
            raise ValueError(f"intervals must be positive: {bad}")
        self.jobs = dict(jobs)
        self.run = run
        self.clock = clock
        start = clock()
        self.next_at = dict.fromkeys(self.jobs, start)

    def run_due(self) -> list[str]:
        """Run every job whose time has come; the names run, in order."""
        ran = []
        for name, interval in self.jobs.items():
            started = self.clock()
            if started < self.next_at[name]:
                continue
            try:
                self.run(name)
            except Exception:
                log.exception("periodic job %s failed", name)
            self.next_at[name] = started + interval
            ran.append(name)
        return ran

    def seconds_to_next(self) -> float:
        if not self.next_at:
            return float("inf")
        return max(0.0, min(self.next_at.values()) - self.clock())

    def loop(self, *, sleep: Callable[[float], object] = time.sleep) -> None:
        if not self.jobs:
            raise ValueError("no periodic jobs")
        while True:
            self.run_due()
            sleep(self.seconds_to_next())
