"""The entry points: write messages into the outbox.

``notify_applicant`` (a dossier's applicant) and ``notify_person`` (someone with no dossier, e.g. a
citizen's verification code) run inside the caller's transaction (docs/architecture.md rules 2 and
7): the rows are committed with the action or not at all, and the send is queued only once they are.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.phones import is_mobile, msisdn
from motcua.dossiers.models import Dossier
from motcua.integrations.notifications.delivery import channel_enabled
from motcua.integrations.notifications.messages import SECRET_KINDS, render, render_person
from motcua.integrations.notifications.models import (
    DOSSIER_KINDS,
    PERSON_KINDS,
    Notification,
    NotificationChannel,
    NotificationStatus,
)
from motcua.integrations.notifications.sealed import seal
from motcua.integrations.notifications.tasks import send_notification


def recipients(dossier: Dossier) -> list[tuple[str, str]]:
    """(channel, address) for each channel the applicant gave and the deployment has on."""
    found = []
    if dossier.applicant_email.strip():
        found.append((NotificationChannel.EMAIL.value, dossier.applicant_email.strip()))
    phone = dossier.applicant_phone.strip()
    if phone:
        found.append((NotificationChannel.SMS.value, msisdn(phone) if is_mobile(phone) else phone))
    return [(channel, address) for channel, address in found if channel_enabled(channel)]


def notify_applicant(*, dossier: Dossier, kind: str) -> list[Notification]:
    """Tell the applicant about the action that just happened to ``dossier``: one row per
    channel (email if the applicant gave one, SMS if a phone, each only while its
    ``*_ENABLED`` setting is on), rendered now, sent after commit.

    Call it inside the action's transaction, after the action's event is appended: the rows
    are keyed by ``dossier.event_seq``, so calling it again for the same event returns the
    same rows and sends nothing more. ``kind`` is a ``NotificationKind``: receipt,
    supplement_request, result_ready or apology.
    """
    if kind not in DOSSIER_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    rows = []
    for channel, address in recipients(dossier):
        message = render(dossier, kind=kind, channel=channel)
        row, created = Notification.objects.get_or_create(
            dossier=dossier,
            kind=kind,
            channel=channel,
            event_seq=dossier.event_seq,
            defaults={"recipient": address, "subject": message.subject, "body": message.body},
        )
        if created:
            queue(row.pk)
        rows.append(row)
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
    """Queue the send once the transaction commits. If queuing fails (the broker is down)
    the error is logged and the row stays pending for ``drain_outbox``."""
    transaction.on_commit(partial(send_notification.enqueue, notification_id), robust=True)


@transaction.atomic
def resend(rows: QuerySet[Notification]) -> int:
    """Give failed rows a fresh round of attempts ("Gửi lại" in the admin). Rows sent or
    still in flight are left alone, so a message is never sent twice by this either."""
    ids = list(rows.filter(status=NotificationStatus.FAILED).values_list("pk", flat=True))
    reset = Notification.objects.filter(pk__in=ids, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for pk in ids:
        queue(pk)
    return reset
