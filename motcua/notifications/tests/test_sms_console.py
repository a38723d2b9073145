"""With SMS_BACKEND=console (development) a verification code is printed by the process that
sends it, and the message is recorded as sent."""

from __future__ import annotations

import pytest

from motcua.notifications import delivery
from motcua.notifications.models import Notification
from motcua.notifications.outbox import notify_person

pytestmark = pytest.mark.django_db

CODE = "482915"


def test_the_code_is_printed_and_the_row_sent(settings, capsys):
    settings.SMS_ENABLED, settings.SMS_BACKEND = True, "console"
    settings.NOTIFY_EMAIL_ENABLED = False
    (row,) = notify_person(
        kind="verification_code",
        context={"minutes": 10},
        secret=CODE,
        idempotency_key="verification-code:console",
        recipient_phone="0912345678",
    )

    delivery.deliver(row.pk)

    printed = capsys.readouterr().out
    assert "SMS to 84912345678 [motcua-" in printed and CODE in printed
    row = Notification.objects.get(pk=row.pk)
    assert row.provider_message_id == f"console-motcua-{row.pk}"
    assert row.sealed_secret == ""
