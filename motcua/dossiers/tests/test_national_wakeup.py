"""On PostgreSQL the sync worker is woken by the action's commit (NOTIFY), not by its poll
(docs/national-portal.md "The sync worker")."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from motcua.dossiers.national.worker import SyncWorker
from motcua.dossiers.tests.national import expected

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_committed_action_wakes_the_worker_long_before_its_poll(portal, received):
    if connection.vendor != "postgresql":
        pytest.skip("NOTIFY is PostgreSQL's; elsewhere the worker polls")
    worker = SyncWorker(workers=1)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, kwargs={"every": 60, "stop": stop})
    thread.start()
    try:
        time.sleep(0.5)  # the worker's first round found nothing; it now waits up to 60 s
        dossier = received()
        started = time.monotonic()
        while portal.dossier(dossier.code) is None and time.monotonic() - started < 10:
            time.sleep(0.02)
        waited = time.monotonic() - started
    finally:
        stop.set()
        thread.join(timeout=70)
        worker.close()
    assert portal.dossier(dossier.code) == expected(dossier)[0]
    assert waited < 5, f"woken after {waited:.1f} s"
