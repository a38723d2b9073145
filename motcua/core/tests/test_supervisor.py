"""The supervisor runs its children together and stops them together."""

from __future__ import annotations

import io
import sys
import threading
import time

from motcua.core.supervisor import Child, Supervisor

SLEEPER = Child(
    "sleeper", [sys.executable, "-c", "import time; print('up', flush=True); time.sleep(60)"]
)


def _python(name: str, code: str) -> Child:
    return Child(name, [sys.executable, "-c", code])


def test_a_stop_request_stops_every_child():
    out = io.StringIO()
    children = [
        SLEEPER,
        _python("other", "import time; print('hello', flush=True); time.sleep(60)"),
    ]
    supervisor = Supervisor(children, out=out, grace=5)
    threading.Timer(1.0, supervisor.request_stop).start()

    started = time.monotonic()
    assert supervisor.run() == 0
    assert time.monotonic() - started < 10
    assert all(p.poll() is not None for p in supervisor.processes.values())
    assert "sleeper | up" in out.getvalue()
    assert "other   | hello" in out.getvalue()


def test_a_child_dying_stops_the_others_and_fails():
    out = io.StringIO()
    dying = _python("dying", "import sys; print('bye', flush=True); sys.exit(3)")
    supervisor = Supervisor([SLEEPER, dying], out=out, grace=5)

    started = time.monotonic()
    assert supervisor.run() == 3
    assert time.monotonic() - started < 10
    assert supervisor.processes["sleeper"].poll() is not None
    assert "dying   | bye" in out.getvalue()
    assert "exited with status 3" in out.getvalue()


def test_a_child_ending_cleanly_still_stops_the_platform_with_a_failure():
    supervisor = Supervisor([SLEEPER, _python("done", "pass")], out=io.StringIO(), grace=5)
    assert supervisor.run() == 1


def test_a_child_ignoring_sigterm_is_killed_after_the_grace_period():
    stubborn = _python(
        "stubborn",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        " print('ready', flush=True); time.sleep(60)",
    )
    out = io.StringIO()
    supervisor = Supervisor([stubborn], out=out, grace=0.5)
    threading.Timer(1.0, supervisor.request_stop).start()
    assert supervisor.run() == 0
    assert supervisor.processes["stubborn"].poll() is not None
    assert "killed" in out.getvalue()
