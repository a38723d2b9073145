"""Several processes run as one, in one terminal (``manage.py run_platform``).

Each child runs in its own session; its output (stdout and stderr) is printed line by line,
prefixed with its name. The children stop together: on SIGINT or SIGTERM to the supervisor
(each gets SIGTERM, then SIGKILL after a grace period), or as soon as one of them exits, in
which case the supervisor's exit status is non-zero. Production runs the same pieces under
its own service manager (docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import IO

POLL_SECONDS = 0.2
GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class Child:
    name: str
    argv: Sequence[str]


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        *,
        env: Mapping[str, str] | None = None,
        out: IO[str] | None = None,
        grace: float = GRACE_SECONDS,
    ) -> None:
        self.children = list(children)
        self.env = dict(os.environ if env is None else env)
        self.out = out or sys.stdout
        self.grace = grace
        self.stopping = threading.Event()
        self.processes: dict[str, subprocess.Popen[str]] = {}
        self._pumps: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._width = max((len(c.name) for c in self.children), default=0)

    def say(self, name: str, line: str) -> None:
        with self._lock:
            self.out.write(f"{name:<{self._width}} | {line.rstrip()}\n")
            self.out.flush()

    def start(self) -> None:
        for child in self.children:
            process = subprocess.Popen(  # noqa: S603 (argv built by the caller, no shell)
                list(child.argv),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
                start_new_session=True,
            )
            self.processes[child.name] = process
            pump = threading.Thread(
                target=self._pump, args=(child.name, process), name=f"output-{child.name}"
            )
            pump.daemon = True
            pump.start()
            self._pumps.append(pump)
            self.say(child.name, f"started (pid {process.pid}): {' '.join(child.argv)}")

    def _pump(self, name: str, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.say(name, line)

    def request_stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        self.stopping.set()

    def wait(self) -> int:
        """Block until a stop is requested (0) or a child exits (its status, at least 1)."""
        while not self.stopping.wait(POLL_SECONDS):
            for name, process in self.processes.items():
                code = process.poll()
                if code is not None:
                    self.say(name, f"exited with status {code}; stopping the others")
                    return code or 1
        self.say("", "stopping")
        return 0

    def stop(self) -> None:
        running = [p for p in self.processes.values() if p.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                process.wait(timeout=self.grace)
            except subprocess.TimeoutExpired:
                self.say(name, f"still running after {self.grace:g} s; killed")
                _signal_group(process, signal.SIGKILL)
                process.wait()
        for pump in self._pumps:
            pump.join(timeout=1.0)

    def run(self) -> int:
        """Start the children, wait, stop them all; the exit status for the caller."""
        handled = threading.current_thread() is threading.main_thread()
        previous = {}
        if handled:
            for signum in (signal.SIGINT, signal.SIGTERM):
                previous[signum] = signal.signal(signum, self.request_stop)
        try:
            self.start()
            return self.wait()
        finally:
            self.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def _signal_group(process: subprocess.Popen[str], signum: int) -> None:
    """The child and whatever it started (runserver's reloader runs the server as its own
    child)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
