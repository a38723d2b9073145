"""notify_applicant: one row per channel the applicant has and the site has on, written in
the action's transaction, keyed by the event, sent only after commit."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.notices import notify_applicant
from motcua.notifications.models import Notification
from motcua.notifications.tasks import send_notification

pytestmark = pytest.mark.django_db


def test_one_row_per_channel_keyed_by_the_event(received, sms_gateway):
    dossier = received()
    rows = notify_applicant(dossier=dossier, kind="receipt")

    assert [(r.channel, r.recipient, r.status) for r in rows] == [
        ("email", "an@example.vn", "pending"),
        ("sms", "84912345678", "pending"),
    ]
    assert {r.event_seq for r in rows} == {dossier.event_seq} == {1}


def test_a_channel_that_is_switched_off_gets_no_row(received, settings):
    settings.SMS_ENABLED = False
    rows = notify_applicant(dossier=received(), kind="receipt")
    assert [r.channel for r in rows] == ["email"]

    settings.NOTIFY_EMAIL_ENABLED = False
    assert notify_applicant(dossier=received(), kind="receipt") == []


def test_an_applicant_without_email_gets_only_an_sms(received, sms_gateway):
    rows = notify_applicant(dossier=received(email=""), kind="receipt")
    assert [r.channel for r in rows] == ["sms"]


def test_nothing_is_written_or_queued_when_the_action_rolls_back(
    received, sms_gateway, django_capture_on_commit_callbacks
):
    dossier = received()
    with (
        django_capture_on_commit_callbacks() as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_applicant(dossier=dossier, kind="result_ready")
        raise RuntimeError("the action failed after notifying")
    assert queued == []
    assert not Notification.objects.filter(dossier=dossier, kind="result_ready").exists()


def test_an_unknown_kind_is_a_programming_error(received):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify_applicant(dossier=received(), kind="birthday")


def test_the_send_is_queued_on_commit_as_a_database_task(
    received, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received()
    [row] = Notification.objects.filter(dossier=dossier)

    queued = DBTaskResult.objects.filter(task_path=send_notification.module_path)
    assert [q.args_kwargs for q in queued] == [{"args": [row.pk], "kwargs": {}}]
    row.refresh_from_db()
    assert row.status == "pending"  # a db_worker (or drain_outbox) sends it
