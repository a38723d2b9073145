"""Never twice: the same event, the same task, two drains at once, a crash after the gateway
took the message: the gateway's counters prove one SMS (and the SMTP outbox one email)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from motcua.core.outbox.models import OutboxStatus as NotificationStatus
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.tests.conftest import at, clock
from motcua.notifications import delivery
from motcua.notifications.models import Notification
from motcua.notifications.tasks import send_notification

pytestmark = pytest.mark.django_db


def test_notifying_the_same_event_twice_queues_one_message_per_channel(
    received, sms_gateway, immediate_tasks, django_capture_on_commit_callbacks
):
    # The reception notifies once; notifying the same event again changes nothing.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        dossier = received()
        first = list(Notification.objects.filter(dossier=dossier).order_by("pk"))
        second = notify_applicant(dossier=dossier, kind="receipt")

    assert [r.pk for r in first] == [r.pk for r in second]
    assert len(queued) == 2  # email and SMS, once each
    assert Notification.objects.filter(dossier=dossier).count() == 2
    assert (sms_gateway.requests, len(mail.outbox)) == (1, 1)


def test_running_the_task_twice_sends_once(received, sms_only, immediate_tasks):
    [row] = notify_applicant(dossier=received(), kind="receipt")

    assert send_notification.call(row.pk) == "sent"
    assert send_notification.call(row.pk) == "skipped"
    send_notification.enqueue(row.pk)
    assert sms_only.requests == 1


def test_a_drain_skips_the_row_another_drain_is_sending(received, sms_gateway, monkeypatch):
    _email_row, sms_row = notify_applicant(dossier=received(), kind="receipt")
    real_send, inner = delivery.send, []

    def send_while_another_drain_runs(notification):
        if not inner:  # drain A holds the email row: drain B runs to its end meanwhile
            inner.append(None)
            inner[0] = delivery.drain()
        return real_send(notification)

    monkeypatch.setattr(delivery, "send", send_while_another_drain_runs)
    outer = delivery.drain()

    [b] = inner
    assert b.ids == [sms_row.pk]  # the email row is claimed: not due for B
    assert (outer.sent, outer.skipped, b.sent) == (1, 1, 1)
    assert (sms_gateway.requests, len(mail.outbox)) == (1, 1)
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_two_drains_listing_the_same_rows_send_each_once(received, sms_gateway, monkeypatch):
    rows = notify_applicant(dossier=received(), kind="receipt")
    real_deliver, inner = delivery.OUTBOX.deliver, []

    def deliver_after_another_drain(pk, send):
        if not inner:  # both drains have listed both rows; B claims and sends first
            inner.append(None)
            inner[0] = delivery.drain()
        return real_deliver(pk, send)

    monkeypatch.setattr(delivery.OUTBOX, "deliver", deliver_after_another_drain)
    outer = delivery.drain()

    [b] = inner
    assert outer.ids == b.ids == [r.pk for r in rows]
    assert (b.sent, outer.sent, outer.skipped) == (2, 0, 2)
    assert (sms_gateway.requests, len(mail.outbox)) == (1, 1)


def test_a_crash_after_the_gateway_took_the_sms_does_not_send_it_again(received, sms_only):
    t0 = at(2026, 3, 2, 8, 0)
    with clock(t0):
        [row] = notify_applicant(dossier=received(), kind="receipt")
        claimed = delivery.OUTBOX.claim(row.pk)
        first_id = delivery.send(claimed)  # the worker dies before recording "sent"
    with clock(t0 + dt.timedelta(minutes=6)):
        assert delivery.drain().sent == 1

    row.refresh_from_db()
    assert (row.status, row.provider_message_id) == (NotificationStatus.SENT, first_id)
    assert (sms_only.requests, len(sms_only.messages)) == (2, 1)  # the gateway de-duplicated
