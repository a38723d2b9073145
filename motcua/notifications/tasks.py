"""Background tasks (Django's Tasks API): thin wrappers that load by id and call ``delivery``.

``send_notification`` is queued on commit by ``outbox.notify_dossier`` and
``outbox.notify_person``; ``drain_outbox`` is the periodic sweep (also ``manage.py
drain_outbox``) that sends whatever is due.
"""

from __future__ import annotations

from django_tasks import task

from motcua.core.outbox.engine import retry_later
from motcua.notifications import delivery


@task()
def send_notification(notification_id: int) -> str:
    """Send one outbox row if it is due and nobody else holds it; running it twice sends
    nothing twice. A retry is queued for its due time where the backend can defer tasks
    (the database backend, RQ); elsewhere ``drain_outbox`` picks it up."""
    outcome = delivery.deliver(notification_id)
    retry_later(send_notification, notification_id, outcome)
    return outcome.status


@task()
def drain_outbox() -> dict[str, int]:
    """Send every outbox row that is due (retries, lost tasks, rows of dead workers)."""
    return delivery.drain().as_dict()
