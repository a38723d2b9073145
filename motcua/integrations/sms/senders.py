"""The SMS transport the settings choose: the brandname gateway, or the console in
development (``SMS_BACKEND``)."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings

from motcua.integrations.sms.console import ConsoleSms
from motcua.integrations.sms.transport import SmsGateway


class SmsSender(Protocol):
    def send(self, *, phone: str, message: str, client_id: str) -> str: ...


def configured() -> SmsSender:
    if settings.SMS_BACKEND == "console":
        return ConsoleSms()
    return SmsGateway.from_settings()
