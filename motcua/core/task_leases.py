"""Tasks whose worker died: back in the queue (the database task backend, django-tasks-db).

``db_worker`` marks a task row RUNNING when it starts it and SUCCESSFUL or FAILED when it
ends; a worker killed in between (OOM, SIGKILL, a machine lost) leaves the row RUNNING for
ever, and the task never runs. ``reclaim_running_tasks`` gives each task a lease of
``TASKS_RUNNING_LEASE_SECONDS`` from its start: a row still RUNNING after it is put back to
READY, exactly as it was enqueued (same task, arguments, priority, queue, ``run_after``), and
the next worker runs it again. A task that has already been started ``MAX_RUNS`` times
(``worker_ids`` keeps one id per start) is marked FAILED instead, so one that kills its
worker cannot take down every worker in turn.

Running a task again is safe because every task of this project is thin and idempotent
(docs/architecture.md "Conventions"): ``send_notification`` and ``deliver_reply`` claim their outbox
row with a conditional update and skip a row already sent or held; the drains, deadline flags and
audit seal are sweeps with conditional updates, safe to run twice at once. A worker that was only
slow (longer than the lease) may therefore run alongside the re-run; set the lease well above the
longest task (the outbox sends have 10–30 s timeouts).

Safe to run twice at once: each row is put back with a conditional UPDATE on its status and
its start time, so of two reclaimers one changes it and the other finds nothing. The RQ
backend keeps its own registry of abandoned jobs and needs none of this.
Scheduled like the other sweeps: ``manage.py reclaim_tasks`` (README "Commands",
docs/deployment.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Starts after which a task that keeps dying is failed rather than run again.
MAX_RUNS = 3


class WorkerLostError(Exception):
    """Recorded as the error of a task failed by ``reclaim_running_tasks``."""


@dataclass
class Reclaimed:
    requeued: list[str] = field(default_factory=list)  # task ids put back to READY
    failed: list[str] = field(default_factory=list)  # task ids failed after MAX_RUNS starts

    def line(self) -> str:
        return f"requeued={len(self.requeued)} failed={len(self.failed)}"


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TASKS_RUNNING_LEASE_SECONDS)


def reclaim_running_tasks(
    *, now: dt.datetime | None = None, lease_for: dt.timedelta | None = None
) -> Reclaimed:
    """Put back to READY every task RUNNING for longer than the lease (default
    ``TASKS_RUNNING_LEASE_SECONDS``), or fail it after ``MAX_RUNS`` starts; see above."""
    now = now or timezone.now()
    cutoff = now - (lease_for or lease())
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).values_list("id", "started_at", "worker_ids", "task_path")
    result = Reclaimed()
    for task_id, started_at, worker_ids, task_path in stale:
        # Only this run of the row: a worker that started it again since has a new start.
        same_run = DBTaskResult.objects.filter(
            id=task_id, status=TaskResultStatus.RUNNING, started_at=started_at
        )
        if len(worker_ids or []) >= MAX_RUNS:
            if same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}",
                traceback=(
                    f"{WorkerLostError.__qualname__}: the worker stopped during each of "
                    f"{len(worker_ids)} runs (last started {started_at}); "
                    "not run again"
                ),
            ):
                result.failed.append(str(task_id))
                logger.error(
                    "task %s (%s): failed after %s lost runs", task_id, task_path, MAX_RUNS
                )
            continue
        if same_run.update(status=TaskResultStatus.READY):
            result.requeued.append(str(task_id))
            logger.warning(
                "task %s (%s): running since %s with no worker; queued again",
                task_id,
                task_path,
                started_at,
            )
    return result
