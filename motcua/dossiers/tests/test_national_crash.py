"""The run of ``test_national_chaos`` (two hundred lives, a third of the calls failing, the
sessions expired twice, the portal down for a minute) with the sync worker a real process
(``manage.py sync_national --every``) killed with SIGKILL at random moments: nothing is lost
and nothing reaches the portal twice that it would count twice (docs/national-portal.md "When
a worker dies"). PostgreSQL only: the worker process must reach the test's database, which an
in-memory SQLite database is not."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from motcua.dossiers.models import NationalSyncChange
from motcua.dossiers.tests.test_national_chaos import (
    DOSSIERS,
    assert_the_portal_holds_every_final_state,
    lives_at,
    storm,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def worker_env(portal: Any) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,
        "MOTCUA_PUBLIC_URL": settings.MOTCUA_PUBLIC_URL,
        "NATIONAL_PORTAL_ENABLED": "1",
        "NATIONAL_PORTAL_AUTH_URL": portal.auth_url,
        "NATIONAL_PORTAL_SYNC_URL": portal.sync_url,
        "NATIONAL_PORTAL_SHARE_URL": portal.share_url,
        "NATIONAL_PORTAL_USERNAME": settings.NATIONAL_PORTAL_USERNAME,
        "NATIONAL_PORTAL_PASSWORD": settings.NATIONAL_PORTAL_PASSWORD,
        "NATIONAL_PORTAL_DSTCODE": settings.NATIONAL_PORTAL_DSTCODE,
        "NATIONAL_PORTAL_UNIT_CODE": settings.NATIONAL_PORTAL_UNIT_CODE,
        "NATIONAL_PORTAL_TIMEOUT_SECONDS": "1",
        "NATIONAL_PORTAL_RETRY_SECONDS": "1",
        "NATIONAL_PORTAL_RETRY_CAP_SECONDS": "2",
        "NATIONAL_PORTAL_LEASE_SECONDS": "3",
        "NATIONAL_PORTAL_BREAKER_SECONDS": "1",
        "NATIONAL_PORTAL_PROGRESS_CHUNK": "2",
        "NATIONAL_PORTAL_WORKERS": "3",
    }


def start(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, str(MANAGE), "sync_national", "--every", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class Killer:
    """Runs the worker process, and kills it (SIGKILL) at random moments: after each action
    when its time has come, and starts another, as a supervisor would. A process takes a
    second or two to start, so it lives 2–5 s: long enough to claim and send, short enough
    to die mid-send dozens of times in a run."""

    def __init__(self, env: dict[str, str], rng: random.Random) -> None:
        self.env, self.rng = env, rng
        self.kills = 0
        self.process = start(env)
        self.next_kill = time.monotonic() + rng.uniform(2.0, 5.0)

    def maybe(self) -> None:
        if time.monotonic() >= self.next_kill:
            self.kill()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1
        self.process = start(self.env)
        self.next_kill = time.monotonic() + self.rng.uniform(2.0, 5.0)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def test_a_worker_killed_at_random_moments_loses_and_doubles_nothing(portal, centre, clerk_binh):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can reach: PostgreSQL")
    rng = random.Random(118)
    lives = lives_at(centre, clerk_binh, DOSSIERS)
    killer = Killer(worker_env(portal), rng)
    try:
        # The run of test_national_chaos, the worker a process killed every 2–5 s.
        states = storm(portal, lives, rng, after_action=killer.maybe, slow_seconds=1.5)
        # Killed again while it waits out the outage and catches up, until all is sent.
        deadline = time.monotonic() + 300
        while NationalSyncChange.objects.filter(status__in=["pending", "sending"]).exists():
            assert time.monotonic() < deadline, "the worker did not catch up"
            time.sleep(0.2)
            if killer.kills < 60:
                killer.maybe()
    finally:
        killer.stop()
    assert killer.kills >= 10
    assert_the_portal_holds_every_final_state(portal, lives, states)
