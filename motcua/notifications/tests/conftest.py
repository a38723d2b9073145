"""Fixtures for the outbox: a dossier at the provincial centre, a real SMTP server on
loopback (aiosmtpd), the fake SMS gateway, and the immediate task backend."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from motcua.devtools.fakes.sms import FakeSmsGateway
from motcua.dossiers.actions import receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import application, at, clock
from motcua.org.models import Desk, DeskKind

RECEIVED_AT = at(2026, 3, 2, 8, 0)  # Monday


@pytest.fixture
def received(db: Any, clerk_binh: Any) -> Callable[..., Dossier]:
    """1.000426 (Department of Justice, 5 working days) received at the provincial centre
    on Monday 02/03/2026 08:00 by clerk_binh; keyword arguments change the applicant."""
    centre = Desk.objects.get(kind=DeskKind.CENTRE)

    def make(**applicant: str) -> Dossier:
        with clock(RECEIVED_AT):
            return receive_dossier(
                application=application("1.000426", centre, **applicant),
                officer=clerk_binh,
                received_at=RECEIVED_AT,
            )

    return make


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Tasks queued on commit run at once, in the test's thread and transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class SmtpInbox:
    port: int
    envelopes: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default)  # type: ignore[misc]
            for e in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpInbox]:
    """A real SMTP server on a free loopback port; the site's mail goes to it over SMTP."""
    inbox = SmtpInbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Một cửa Đồng Tháp <motcua@dongthap.gov.vn>"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[FakeSmsGateway]:
    """The fake brandname gateway on a free loopback port, with SMS switched on."""
    with FakeSmsGateway(api_key="test-key", secret="test-secret") as gateway:
        settings.SMS_ENABLED = True
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_API_KEY = "test-key"
        settings.SMS_SECRET = "test-secret"
        settings.SMS_BRANDNAME = "DONGTHAP"
        yield gateway


@pytest.fixture
def sms_only(settings: Any, sms_gateway: FakeSmsGateway) -> FakeSmsGateway:
    settings.NOTIFY_EMAIL_ENABLED = False
    return sms_gateway
