"""Background tasks (Django's Tasks API), thin: load by id, call the module that does it."""

from __future__ import annotations

import dataclasses

from django_tasks import task

from motcua.core.outbox.engine import retry_later
from motcua.hotline import deadlines, replies


@task()
def deliver_reply(message_id: int) -> str:
    """Deliver one reply on its channel; queued on commit by ``answer_ticket``."""
    outcome = replies.deliver(message_id)
    retry_later(deliver_reply, message_id, outcome)
    return outcome.status


@task()
def drain_replies() -> dict[str, int]:
    return replies.drain()


@task()
def flag_ticket_deadlines() -> dict[str, int]:
    return dataclasses.asdict(deadlines.flag_tickets())
