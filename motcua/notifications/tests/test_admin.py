"""The outbox in the admin: read-only; "Gửi lại" gives failed rows a fresh start only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.dossiers.notices import notify_applicant
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(received, sms_gateway):
    email, sms = notify_applicant(dossier=received(), kind="receipt")
    Notification.objects.filter(pk=email.pk).update(status="failed", attempts=10, last_error="x")
    Notification.objects.filter(pk=sms.pk).update(status="sent", attempts=1)
    return email, sms


def test_the_list_filters_and_searches_by_dossier_code(client, admin_anh, rows):
    client.force_login(admin_anh)
    url = reverse("admin:notifications_notification_changelist")
    page = client.get(url, {"q": rows[0].dossier.code, "status__exact": "failed"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [rows[0]]
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403


def test_resend_resets_failed_rows_only(
    client, admin_anh, rows, django_capture_on_commit_callbacks
):
    client.force_login(admin_anh)
    url = reverse("admin:notifications_notification_changelist")
    with django_capture_on_commit_callbacks() as queued:
        client.post(url, {"action": "resend", "_selected_action": [r.pk for r in rows]})

    email, sms = (Notification.objects.get(pk=r.pk) for r in rows)
    assert (email.status, email.attempts, email.last_error) == ("pending", 0, "x")
    assert (sms.status, sms.attempts) == ("sent", 1)
    assert len(queued) == 1
