"""Background tasks, their worker's lease and the periodic sweeps."""

from motcua.core.env import (
    ConfigurationError,
    env_int,
    env_seconds,
    env_str,
)

from .base import REDIS_URL
from .carrier import CARRIER_ENABLED, CARRIER_POLL_SECONDS

# Django's Tasks API (the django-tasks backport). "database" needs nothing beyond the
# database (worker: manage.py db_worker); "rq" queues on Redis (REDIS_URL; worker:
# manage.py rqworker default); "immediate" runs tasks inline (tests, demos).
TASKS_BACKEND = env_str("TASKS_BACKEND") or "database"
_TASK_BACKENDS = {
    "database": "django_tasks_db.backend.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ConfigurationError(
        f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {sorted(_TASK_BACKENDS)}"
    )
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ConfigurationError("TASKS_BACKEND=rq needs REDIS_URL")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# A database-backend task still RUNNING this long after it started lost its worker:
# manage.py reclaim_tasks queues it again (motcua/core/task_leases.py). Well above the
# longest task (outbox sends time out after 10–30 s).
TASKS_RUNNING_LEASE_SECONDS = env_int("TASKS_RUNNING_LEASE_SECONDS", 900)
if TASKS_RUNNING_LEASE_SECONDS < 60:
    raise ConfigurationError("TASKS_RUNNING_LEASE_SECONDS must be at least 60")
# The periodic sweeps `manage.py run_periodic` runs (and `run_platform` with it): command
# name → seconds between runs. PERIODIC_JOBS=drain_outbox=30,flag_overdue=0 changes one
# interval and drops another (motcua/core/scheduler.py; docs/deployment.md).
PERIODIC_JOBS = env_seconds(
    "PERIODIC_JOBS",
    {
        "drain_outbox": 60,
        "hotline_drain_replies": 60,
        # Results awaiting their agency's signature: retries and lost tasks (docs/signatures.md).
        "drain_signatures": 60,
        "flag_overdue": 300,
        "hotline_flag_deadlines": 300,
        "send_appointment_reminders": 60,
        "open_desk_queue": 3600,
        # Procedure versions whose date has come (docs/decisions/catalogue.md); reception
        # applies its own procedure's on the day in any case.
        "bring_into_force": 3600,
        "expire_queue_calls": 60,
        # Last week's Decision 766 scores, kept once (docs/rules/indicators.md).
        "snapshot_indicators": 3600,
        # The carrier: commands due (and delivery orders whose result just became ready),
        # then the tracking feed (docs/postal.md "Carrier").
        **({"drain_carrier": 60, "poll_carrier": CARRIER_POLL_SECONDS} if CARRIER_ENABLED else {}),
        **({"reclaim_tasks": 300} if TASKS_BACKEND == "database" else {}),
        **({"seal_audit": 3600} if env_str("AUDIT_SEAL_DIR") else {}),
    },
)
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 300}}
