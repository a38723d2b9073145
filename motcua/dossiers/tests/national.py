"""What the national-sync tests share: the fake portal wired into the settings, a worker, and
waiting until everything queued has gone (docs/national-portal.md)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from motcua.devtools.fakes.national_portal import (
    DEV_DSTCODE,
    DEV_PASSWORD,
    DEV_UNIT_CODE,
    DEV_USERNAME,
    FakeNationalPortal,
)
from motcua.dossiers.models import Dossier, NationalSyncChange
from motcua.dossiers.models.national import UNSENT
from motcua.dossiers.national import payload
from motcua.dossiers.national.worker import SyncWorker


def portal_settings(fake: FakeNationalPortal) -> dict[str, Any]:
    """The settings that point the site at ``fake``, with short timeouts and retries so a
    test of many failures takes seconds."""
    return {
        "NATIONAL_PORTAL_ENABLED": True,
        "NATIONAL_PORTAL_AUTH_URL": fake.auth_url,
        "NATIONAL_PORTAL_SYNC_URL": fake.sync_url,
        "NATIONAL_PORTAL_SHARE_URL": fake.share_url,
        "NATIONAL_PORTAL_USERNAME": DEV_USERNAME,
        "NATIONAL_PORTAL_PASSWORD": DEV_PASSWORD,
        "NATIONAL_PORTAL_DSTCODE": DEV_DSTCODE,
        "NATIONAL_PORTAL_UNIT_CODE": DEV_UNIT_CODE,
        "NATIONAL_PORTAL_TIMEOUT_SECONDS": 0.5,
        "NATIONAL_PORTAL_RETRY_SECONDS": 0.1,
        "NATIONAL_PORTAL_RETRY_CAP_SECONDS": 1,
        "NATIONAL_PORTAL_LEASE_SECONDS": 4,
        "NATIONAL_PORTAL_BREAKER_FAILURES": 3,
        "NATIONAL_PORTAL_BREAKER_SECONDS": 0.5,
        "NATIONAL_PORTAL_PROGRESS_CHUNK": 2,
        "NATIONAL_PORTAL_MAX_ATTEMPTS": 500,
        "NATIONAL_PORTAL_WORKERS": 1,
    }


@pytest.fixture
def portal(settings: Any) -> Iterator[FakeNationalPortal]:
    with FakeNationalPortal() as fake:
        for name, value in portal_settings(fake).items():
            setattr(settings, name, value)
        yield fake


@pytest.fixture
def worker(portal: FakeNationalPortal) -> Iterator[SyncWorker]:
    sync = SyncWorker(workers=1)
    yield sync
    sync.close()


def unsent() -> int:
    return NationalSyncChange.objects.filter(status__in=UNSENT).count()


def settle(worker: SyncWorker, *, seconds: float = 60.0) -> None:
    """Drain until no change is waiting (retries included), or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while unsent():
        if not worker.drain().ids:
            time.sleep(0.05)
        assert time.monotonic() < deadline, f"{unsent()} changes still unsent"


def as_sent(value: Any) -> Any:
    """``value`` as it reads after a trip through JSON (what the fake holds)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def expected(dossier: Dossier) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The record and the steps the portal should hold for the dossier as it is now."""
    loaded = payload.load(dossier.pk)
    events = list(loaded.events.order_by("seq"))
    refused = next((e.at for e in events if e.kind == "refuse"), None)
    record = payload.dossier_record(loaded, refused_at=refused)
    steps = payload.progress_steps(loaded, events) if loaded.received_at else []
    return as_sent(record), as_sent([step.fields for step in steps])
