"""The entry points: write messages into the notification outbox.

``notify_dossier`` (messages about a dossier, written by ``dossiers.notices``) and
``notify_person`` (someone with no dossier, e.g. a citizen's verification code) run inside the
caller's transaction (docs/architecture.md rules 2 and 7): the rows are committed with the
action or not at all, and the send is queued only once they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import QuerySet

from motcua.core.outbox.engine import send_on_commit
from motcua.core.phones import is_mobile, msisdn
from motcua.notifications.delivery import OUTBOX, channel_enabled
from motcua.notifications.messages import SECRET_KINDS, Message, render_person
from motcua.notifications.models import (
    DOSSIER_KINDS,
    PERSON_KINDS,
    Notification,
    NotificationChannel,
)
from motcua.notifications.sealed import seal
from motcua.notifications.tasks import send_notification


class Addressed(NamedTuple):
    channel: str  # a NotificationChannel
    recipient: str  # an email address, a phone number
    message: Message


def notify_dossier(
    *, dossier_id: int, event_seq: int, kind: str, messages: Iterable[Addressed]
) -> list[Notification]:
    """Write one row per message about a dossier, rendered by the caller, and send each after
    commit. The rows are keyed by ``(dossier, kind, channel, event_seq)``: calling again for
    the same event returns the same rows and sends nothing more. An SMS address is stored in
    the gateway's 84… form when it is a mobile number; anything else is stored as given and
    fails, on record, when it is sent.
    """
    if kind not in DOSSIER_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    messages = list(messages)
    if not messages:
        return []
    key = {"dossier_id": dossier_id, "kind": kind, "event_seq": event_seq}
    # The caller holds the dossier's row lock, so nobody else writes this event's rows
    # meanwhile: one read of what exists and one insert of the rest.
    existing = {row.channel: row for row in Notification.objects.filter(**key)}
    rows, new = [], []
    for channel, address, message in messages:
        if channel in existing:
            rows.append(existing[channel])
            continue
        if channel == NotificationChannel.SMS and is_mobile(address):
            address = msisdn(address)
        row = Notification(
            **key,
            channel=channel,
            recipient=address,
            subject=message.subject,
            body=message.body,
        )
        rows.append(row)
        new.append(row)
    if new:
        Notification.objects.bulk_create(new)
        for row in new:
            queue(row.pk)
    return rows


def notify_person(
    *,
    recipient_email: str | None = None,
    recipient_phone: str | None = None,
    kind: str,
    context: dict[str, Any],
    idempotency_key: str,
    secret: str = "",
) -> list[Notification]:
    """Send a ``kind`` message that concerns no dossier to a person: one row per address
    given (email; phone by SMS, a Vietnamese mobile number, else ValueError), each only while its
    channel's ``*_ENABLED`` setting is on, rendered now from ``context``, sent after commit.

    Call it inside the caller's transaction. ``idempotency_key`` names what caused the message
    (e.g. ``"verification-code:<id>"``): calling again with the same key returns the same rows
    and sends nothing more. ``kind`` is a person kind: verification_code, whose ``secret``
    (the code) is required and is stored only sealed, never in the body
    (docs/decisions/outbox.md "Secrets").
    """
    if kind not in PERSON_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not idempotency_key:
        raise ValueError("notify_person needs an idempotency_key")
    if kind in SECRET_KINDS and not secret:
        raise ValueError(f"a {kind!r} message needs its secret")
    if secret and kind not in SECRET_KINDS:
        raise ValueError(f"a {kind!r} message has no place for a secret")
    found = []
    if recipient_email and recipient_email.strip():
        found.append((NotificationChannel.EMAIL.value, recipient_email.strip()))
    if recipient_phone and recipient_phone.strip():
        if not is_mobile(recipient_phone):
            raise ValueError(f"not a Vietnamese mobile number: {recipient_phone!r}")
        found.append((NotificationChannel.SMS.value, msisdn(recipient_phone)))
    rows = []
    for channel, address in found:
        if not channel_enabled(channel):
            continue
        message = render_person(kind, channel=channel, context=context)
        row, created = Notification.objects.get_or_create(
            kind=kind,
            channel=channel,
            idempotency_key=idempotency_key,
            defaults={
                "dossier": None,
                "event_seq": 0,
                "recipient": address,
                "subject": message.subject,
                "body": message.body,
                "sealed_secret": seal(secret),
            },
        )
        if created:
            queue(row.pk)
        rows.append(row)
    return rows


def queue(notification_id: int) -> None:
    """Queue the send once the transaction commits; if queuing fails the row stays pending
    for ``drain_outbox``."""
    send_on_commit(send_notification, notification_id)


@transaction.atomic
def resend(rows: QuerySet[Notification]) -> int:
    """Give failed rows a fresh round of attempts ("Gửi lại" in the admin). Rows sent or
    still in flight are left alone, so a message is never sent twice by this either."""
    ids = OUTBOX.reset_failed(rows)
    for pk in ids:
        queue(pk)
    return len(ids)
