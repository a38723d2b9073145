"""Background work on Redis: the deadline task queued through the Tasks API's RQ backend and
run by an RQ worker, as in production (TASKS_BACKEND=rq)."""

from __future__ import annotations

import django_rq
import pytest
from django.conf import settings
from django.test import override_settings
from django_tasks_rq import Job
from rq import SimpleWorker

from motcua.dossiers.deadlines import flag_deadlines_task
from motcua.dossiers.tests.fixtures import at, clock

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI sets it)"),
]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend"}})
def test_the_deadline_task_runs_on_an_rq_worker(received):
    dossier = received()  # due Monday 09/03/2026 08:00
    queue = django_rq.get_queue("default")
    queue.empty()
    with clock(at(2026, 3, 10, 8, 0)):
        result = flag_deadlines_task.enqueue()
        assert queue.count == 1
        # A worker in this process (no fork), so it shares the test's database transaction.
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    dossier.refresh_from_db()
    assert dossier.deadline_flag == "overdue"
    result.refresh()
    assert result.return_value == {"overdue": 1, "near_due": 0}
