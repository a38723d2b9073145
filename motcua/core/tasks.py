"""Background tasks of the shared core (Django's Tasks API); thin, like every task."""

from __future__ import annotations

from django_tasks import task

from motcua.core.seals import seal


@task()
def seal_audit_task() -> dict[str, object]:
    """Write the next audit seal (also ``manage.py seal_audit``); schedule it hourly."""
    result = seal()
    if result is None:
        return {"sealed": False}
    return {"sealed": True, "number": result.number, "digest": result.digest}
