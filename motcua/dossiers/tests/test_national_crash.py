"""The sync worker killed with SIGKILL at random moments, as a real process (``manage.py
sync_national --every``), while dossiers live and the portal misbehaves: nothing is lost and
nothing reaches the portal twice that it would count twice (docs/national-portal.md "When a
worker dies"). PostgreSQL only: the worker process must reach the test's database, which an
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

from motcua.dossiers.models import Dossier, NationalSyncChange
from motcua.dossiers.tests.national import as_sent, expected
from motcua.dossiers.tests.test_national_chaos import Life, interleaved, subsequence

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DOSSIERS = 60
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


def test_a_worker_killed_at_random_moments_loses_and_doubles_nothing(portal, centre, clerk_binh):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can reach: PostgreSQL")
    rng = random.Random(118)
    ticks = iter(range(10**6))

    def moment():
        import datetime as dt

        from motcua.dossiers.tests.conftest import at

        return at(2026, 3, 2, 7, 0) + dt.timedelta(minutes=10 * next(ticks))

    portal.fail_rate(0.2, seed=118, slow_seconds=1.5)
    env = worker_env(portal)
    process = start(env)
    kills = 0
    next_kill = time.monotonic() + rng.uniform(0.3, 1.5)
    lives = [Life(n, centre, clerk_binh, moment) for n in range(DOSSIERS)]
    states: dict[str, list[dict[str, Any]]] = {}
    try:
        for life in interleaved(lives, rng):
            record = expected(life.current)[0]
            history = states.setdefault(record["MaHoSo"], [])
            if not history or history[-1] != record:
                history.append(record)
            if time.monotonic() >= next_kill:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                process = start(env)
                next_kill = time.monotonic() + rng.uniform(0.3, 1.5)
        # Kill it a few more times while it catches up, then let it finish.
        for _ in range(3):
            time.sleep(rng.uniform(0.5, 1.5))
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
            process = start(env)
        portal.fail_rate(0)
        deadline = time.monotonic() + 120
        while NationalSyncChange.objects.filter(status__in=["pending", "sending"]).exists():
            assert time.monotonic() < deadline, "the worker did not catch up"
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

    assert kills >= 5
    assert not NationalSyncChange.objects.filter(status="failed").exists()
    assert portal.duplicate_steps() == []
    for dossier in Dossier.objects.all():
        record, steps = expected(dossier)
        assert portal.dossier(dossier.code) == record, dossier.code
        assert portal.progress(dossier.code) == steps, dossier.code
        arrivals = [as_sent(a.record) for a in portal.history(dossier.code)]
        assert subsequence(arrivals, states[dossier.code]), dossier.code
