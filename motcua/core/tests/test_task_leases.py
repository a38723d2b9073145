"""Task rows of killed workers (core/task_leases.py): a RUNNING row past its lease goes back to
READY and runs again; one that keeps dying is failed; two reclaimers change a row once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus as Status
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from motcua.core import task_leases
from motcua.core.task_leases import MAX_RUNS, reclaim_running_tasks
from motcua.notifications.tasks import drain_outbox

pytestmark = pytest.mark.django_db
DATABASE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = DATABASE
    settings.TASKS_RUNNING_LEASE_SECONDS = 900


def started(minutes_ago: int, *, runs: int = 1) -> DBTaskResult:
    """A drain_outbox task a worker took ``minutes_ago`` and never finished."""
    row = DBTaskResult.objects.get(id=drain_outbox.enqueue().id)
    for n in range(runs):
        row.claim(f"worker-{n}")
    DBTaskResult.objects.filter(id=row.id).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    row.refresh_from_db()
    return row


def test_a_task_past_its_lease_runs_again(database_tasks):
    dead, alive = started(20), started(5)
    assert reclaim_running_tasks().requeued == [str(dead.id)]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, alive.status) == (Status.READY, Status.RUNNING)

    # The next worker picks it up like any queued task (db_worker's own steps: its loop
    # closes the connection, which a test's transaction cannot survive); the drain is
    # idempotent.
    picked = DBTaskResult.objects.ready().get_locked()
    assert picked is not None and picked.id == dead.id
    picked.claim("worker-next")
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-next",
        excluded_queue_names=[],
    ).run_task(picked)
    dead.refresh_from_db()
    assert dead.status == Status.SUCCESSFUL and len(dead.worker_ids) == 2
    assert dead.return_value == {
        "sent": 0,
        "retrying": 0,
        "failed": 0,
        "skipped": 0,
        "abandoned": 0,
    }


def test_a_task_that_keeps_killing_its_worker_is_failed(database_tasks):
    poison = started(20, runs=MAX_RUNS)
    result = reclaim_running_tasks()
    assert (result.requeued, result.failed) == ([], [str(poison.id)])
    poison.refresh_from_db()
    assert poison.status == Status.FAILED
    assert poison.exception_class_path == "motcua.core.task_leases.WorkerLostError"


def test_two_reclaimers_at_once_change_each_row_once(database_tasks, monkeypatch):
    dead = started(20)
    real_filter, inner = DBTaskResult.objects.filter, []

    def filter_while_another_reclaims(*args: Any, **kwargs: Any) -> Any:
        # The first reclaimer has listed the row; the second runs to its end meanwhile.
        if "id" in kwargs and not inner:
            inner.append(None)
            inner[0] = reclaim_running_tasks()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(DBTaskResult.objects, "filter", filter_while_another_reclaims)
    outer = reclaim_running_tasks()
    [other] = inner
    assert (other.requeued, outer.requeued) == ([str(dead.id)], [])


def test_a_row_started_again_since_it_was_listed_is_left_alone(database_tasks, monkeypatch):
    dead = started(20)
    real_filter = DBTaskResult.objects.filter

    def restarted_meanwhile(*args: Any, **kwargs: Any) -> Any:
        if "id" in kwargs:  # a worker took the row again after the reclaimer listed it
            real_filter(id=dead.id).update(started_at=timezone.now())
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(DBTaskResult.objects, "filter", restarted_meanwhile)
    assert reclaim_running_tasks().requeued == []
    dead.refresh_from_db()
    assert dead.status == Status.RUNNING


def test_the_command_uses_the_setting_or_its_option(database_tasks, settings):
    dead = started(20)
    settings.TASKS_RUNNING_LEASE_SECONDS = 3600
    out = StringIO()
    call_command("reclaim_tasks", stdout=out)
    assert out.getvalue().strip() == "requeued=0 failed=0"
    call_command("reclaim_tasks", "--lease", "600", stdout=out)
    assert out.getvalue().strip().endswith("requeued=1 failed=0")
    dead.refresh_from_db()
    assert dead.status == Status.READY
    assert task_leases.lease() == dt.timedelta(hours=1)
