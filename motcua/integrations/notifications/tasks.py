"""Background tasks (Django's Tasks API): thin wrappers that load by id and call ``delivery``.

``send_notification`` is queued on commit by ``outbox.notify_applicant``; ``drain_outbox``
is the periodic sweep (also ``manage.py drain_outbox``) that sends whatever is due.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from motcua.integrations.notifications import delivery


@task()
def send_notification(notification_id: int) -> str:
    """Send one outbox row if it is due and nobody else holds it; running it twice sends
    nothing twice. A retry is queued for its due time where the backend can defer tasks
    (the database backend, RQ); elsewhere ``drain_outbox`` picks it up."""
    outcome = delivery.deliver(notification_id)
    if outcome.retry_at is not None:
        schedule_retry(notification_id, outcome.retry_at)
    return outcome.status


@task()
def drain_outbox() -> dict[str, int]:
    """Send every outbox row that is due (retries, lost tasks, rows of dead workers)."""
    return delivery.drain().as_dict()


def schedule_retry(notification_id: int, at: dt.datetime) -> None:
    if send_notification.get_backend().supports_defer:
        send_notification.using(run_after=at).enqueue(notification_id)
