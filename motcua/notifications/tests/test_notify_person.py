"""notify_person: messages with no dossier (a verification code), written in the caller's
transaction, keyed by the caller's idempotency key, sent only after commit, through the same
outbox and transports as the dossier messages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from motcua.dossiers.notices import notify_applicant
from motcua.notifications.delivery import body_to_send
from motcua.notifications.models import Notification
from motcua.notifications.outbox import notify_person
from motcua.notifications.sealed import PLACEHOLDER

pytestmark = pytest.mark.django_db
CODE = "482913"


def send_code(key="verification-code:1", **recipients):
    return notify_person(
        kind="verification_code",
        context={"minutes": 10},
        secret=CODE,
        idempotency_key=key,
        **recipients,
    )


def test_one_row_per_address_with_no_dossier(sms_gateway):
    rows = send_code(recipient_email="an@example.vn", recipient_phone="0912 345 678")
    assert [(r.channel, r.recipient, r.dossier, r.event_seq) for r in rows] == [
        ("email", "an@example.vn", None, 0),
        ("sms", "84912345678", None, 0),
    ]
    email, sms = rows
    # Stored with a placeholder; the code goes in only when the message is sent.
    assert CODE not in email.body and CODE not in email.sealed_secret
    assert f"là: {PLACEHOLDER}" in email.body and "10 phút" in email.body
    assert f"là: {CODE}" in body_to_send(email)
    assert sms.body.startswith(f"Ma xac minh tai khoan dich vu cong: {PLACEHOLDER}")
    assert body_to_send(sms).startswith(f"Ma xac minh tai khoan dich vu cong: {CODE}")


def test_the_same_key_twice_gives_the_same_rows_and_queues_once(
    sms_gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        first = send_code(recipient_phone="0912345678")
        second = send_code(recipient_phone="0912345678")
    assert [r.pk for r in first] == [r.pk for r in second] and len(queued) == 1


def test_it_is_sent_after_commit_through_the_transports(
    sms_gateway, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_code(recipient_email="an@example.vn", recipient_phone="0912345678")
    assert [(m.phone, CODE in m.message) for m in sms_gateway.messages] == [("84912345678", True)]
    assert [(m.to, CODE in m.body) for m in mail.outbox] == [(["an@example.vn"], True)]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    # Sent: the sealed copy is gone; the stored body never had the code.
    assert set(Notification.objects.values_list("sealed_secret", flat=True)) == {""}
    assert not Notification.objects.filter(body__contains=CODE).exists()


def test_nothing_is_written_when_the_caller_rolls_back(sms_gateway):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_code(recipient_phone="0912345678")
        raise RuntimeError("the sign-up failed")
    assert not Notification.objects.exists()


def test_a_switched_off_channel_gets_no_row(settings):
    settings.SMS_ENABLED = False
    assert send_code(recipient_phone="0912345678") == []


def test_programming_errors_are_loud():
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify_person(kind="receipt", context={}, idempotency_key="k", recipient_email="a@b.vn")
    with pytest.raises(ValueError, match="idempotency_key"):
        notify_person(kind="verification_code", context={}, secret=CODE, idempotency_key="")
    with pytest.raises(ValueError, match="needs its secret"):
        notify_person(kind="verification_code", context={"minutes": 10}, idempotency_key="k")
    with pytest.raises(ValueError, match="mobile"):
        send_code(recipient_phone="028 3829 1234")


def test_a_dossier_kind_still_needs_a_dossier(received):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify_applicant(dossier=received(), kind="verification_code")


def test_a_row_is_keyed_by_its_dossier_or_its_key():
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            kind="verification_code", channel="email", recipient="a@b.vn", body="x", event_seq=0
        )
