"""Email goes out through a real SMTP conversation, in UTF-8 Vietnamese."""

from __future__ import annotations

import pytest

from motcua.core.outbox.models import OutboxStatus as NotificationStatus
from motcua.dossiers.notices import notify_applicant
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_receipt_email_arrives_through_smtp(
    received, smtp_server, immediate_tasks, django_capture_on_commit_callbacks
):
    # Receiving the dossier writes the receipt and sends it once the reception commits.
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received()
    [row] = Notification.objects.filter(dossier=dossier, channel="email")

    [envelope] = smtp_server.envelopes
    [message] = smtp_server.messages
    assert envelope.rcpt_tos == ["an@example.vn"]
    assert message["To"] == "an@example.vn"
    # Django folds a long encoded subject onto a continuation line; the fold is not text.
    assert message["Subject"].strip() == f"Đã tiếp nhận hồ sơ {dossier.code}"
    body = message.get_content()
    assert "Kính gửi Ông/Bà Nguyễn Văn An" in body
    assert f"Mã hồ sơ: {dossier.code}" in body
    assert "Thời gian hẹn trả kết quả: 09/03/2026 08:00" in body
    assert f"/tra-cuu/{dossier.code}/" in body
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert row.attempts == 1
    assert message["Message-ID"] == row.provider_message_id
    assert row.provider_message_id.endswith("@dongthap.gov.vn>")


def test_no_email_when_the_applicant_gave_none(received, smtp_server, immediate_tasks):
    dossier = received(email="")
    assert notify_applicant(dossier=dossier, kind="receipt") == []
    assert smtp_server.envelopes == []


def test_a_refused_mailbox_fails_without_retrying(received, smtp_server, immediate_tasks):
    from motcua.notifications.delivery import deliver

    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox"

    smtp_server.handle_RCPT = refuse
    [row] = notify_applicant(dossier=received(), kind="receipt")

    assert deliver(row.pk).status == "failed"
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert "550" in row.last_error
    assert smtp_server.envelopes == []
