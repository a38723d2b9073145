"""A circuit breaker for a remote system that goes down: after ``threshold`` consecutive
failures it opens, and for ``cooldown`` seconds every call is refused at once instead of
waiting out a timeout; then one call is let through (half-open), and its success closes the
breaker while its failure opens it for another cool-down. Thread-safe: one breaker is shared
by the sync worker's threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CircuitBreaker:
    def __init__(
        self,
        *,
        threshold: int = 5,
        cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if threshold < 1 or cooldown <= 0:
            raise ValueError("threshold must be at least 1 and cooldown positive")
        self.threshold, self.cooldown, self.clock = threshold, cooldown, clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened_at is not None and not self._cooled()

    def seconds_left(self) -> float:
        """How long calls are still refused (0 when closed or ready to probe)."""
        with self._lock:
            if self._opened_at is None:
                return 0.0
            return max(0.0, self._opened_at + self.cooldown - self.clock())

    def allow(self) -> bool:
        """Whether a call may go out now. While half-open, only one call at a time does."""
        with self._lock:
            if self._opened_at is None:
                return True
            if not self._cooled() or self._probing:
                return False
            self._probing = True
            return True

    def success(self) -> None:
        with self._lock:
            self._failures, self._opened_at, self._probing = 0, None, False

    def release(self) -> None:
        """The call let through ended without telling whether the system is up (it failed
        before anything was sent): the next call may probe instead."""
        with self._lock:
            self._probing = False

    def failure(self) -> None:
        with self._lock:
            self._failures += 1
            self._probing = False
            if self._opened_at is not None or self._failures >= self.threshold:
                self._opened_at = self.clock()

    def _cooled(self) -> bool:
        """Called under the lock: whether the cool-down of an open breaker is over."""
        return self._opened_at is not None and self.clock() >= self._opened_at + self.cooldown
