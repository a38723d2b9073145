"""``manage.py fake_platform sms`` by hand prints each SMS the site sends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings

from motcua.devtools.tests.running import free_port
from motcua.integrations.sms.transport import SmsGateway


def test_the_fake_gateway_runs_by_hand_and_prints_each_sms():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "fake_platform", "sms", "--port", str(port)],
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
