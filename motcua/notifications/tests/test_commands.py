"""manage.py drain_outbox sends what is due; manage.py fake_sms_gateway serves by hand."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from motcua.dossiers.notices import notify_applicant
from motcua.integrations.sms.transport import SmsGateway
from motcua.notifications.tests.conftest import free_port


@pytest.mark.django_db
def test_drain_outbox_sends_what_is_due(received, sms_only):
    notify_applicant(dossier=received(), kind="receipt")
    out = StringIO()
    call_command("drain_outbox", stdout=out)
    assert out.getvalue().startswith("sent=1 ")
    assert len(sms_only.messages) == 1


def test_the_fake_gateway_runs_by_hand_and_prints_each_sms():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "fake_sms_gateway", "--port", str(port)],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "SMS_API_KEY": "", "SMS_SECRET": ""},
    )
    try:
        assert f"http://127.0.0.1:{port}/v1/sms" in server.stdout.readline()
        gateway = SmsGateway(
            base_url=f"http://127.0.0.1:{port}",
            api_key="dev-key",
            secret="dev-secret",
            brandname="MOTCUA",
        )
        message_id = gateway.send(phone="0912345678", message="Xin chao", client_id="c-1")
        assert server.stdout.readline().strip() == (
            f"[{message_id}] MOTCUA → 84912345678: Xin chao"
        )
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
