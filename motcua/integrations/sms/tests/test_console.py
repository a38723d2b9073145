"""With SMS_BACKEND=console a message is printed, not sent; production refuses it."""

from __future__ import annotations

import io

from motcua.core.tests.test_env import _start
from motcua.integrations.sms import senders
from motcua.integrations.sms.console import ConsoleSms
from motcua.integrations.sms.transport import SmsGateway


def test_the_console_prints_the_message():
    out = io.StringIO()
    message_id = ConsoleSms(out).send(
        phone="0912345678", message="Ma xac minh: 123456", client_id="motcua-7"
    )
    assert out.getvalue() == "SMS to 84912345678 [motcua-7]: Ma xac minh: 123456\n"
    assert message_id == "console-motcua-7"


def test_the_setting_chooses_the_transport(settings):
    settings.SMS_BACKEND = "console"
    assert isinstance(senders.configured(), ConsoleSms)
    settings.SMS_BACKEND = "gateway"
    assert isinstance(senders.configured(), SmsGateway)


def test_production_refuses_the_console():
    result = _start(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        AUDIT_KEY="k" * 64,
        ALLOWED_HOSTS="motcua.dongthap.gov.vn",
        SMS_BACKEND="console",
    )
    assert result.returncode != 0
    assert "SMS_BACKEND=console" in result.stderr


def test_the_console_needs_no_gateway():
    result = _start(SMS_ENABLED="1", SMS_BACKEND="console")
    assert result.returncode == 0, result.stderr
