"""Citizen personas, the outbox's codes, and the local OpenID Connect provider.

``citizen_an`` signed up by phone and verified it; ``citizen_binh`` by email. Codes are read
from the outbox row the sign-up wrote, rendered as it would be sent (SMS is switched on, its
sends queued, not made).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from motcua.accounts.actions import register_citizen
from motcua.accounts.identifiers import parse_identifier
from motcua.accounts.models import CitizenProfile
from motcua.integrations.identity.tests.conftest import approve, provider
from motcua.notifications.delivery import body_to_send
from motcua.notifications.models import Notification

__all__ = ["provider"]  # the local OpenID Connect provider, for the OIDC tests here

PASSWORD = "Lua-nep-2026!"


@pytest.fixture(autouse=True)
def accounts_site(settings: Any) -> Iterator[None]:
    """SMS on (sends only queued), rate-limit counters from zero."""
    settings.SMS_ENABLED = True
    settings.NOTIFY_EMAIL_ENABLED = True
    cache.clear()
    yield
    cache.clear()


def last_code(recipient: str) -> str:
    """The code in the newest verification message to ``recipient`` (an email, or a phone as
    "84…"), as the message would carry it when sent (the stored body has a placeholder)."""
    row = Notification.objects.filter(kind="verification_code", recipient=recipient).first()
    assert row is not None, f"no verification code sent to {recipient}"
    match = re.search(r"\b(\d{6})\b", body_to_send(row))
    assert match
    return match.group(1)


def make_citizen(identifier: str, name: str, *, verified: bool = True) -> Any:
    parsed = parse_identifier(identifier)
    user = register_citizen(full_name=name, identifier=parsed, password=PASSWORD)
    if verified:
        CitizenProfile.objects.filter(user=user).update(**{f"verified_{parsed.channel}": True})
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def citizen_an(db: Any) -> Any:
    return make_citizen("0912345678", "Nguyễn Văn An")


@pytest.fixture
def citizen_binh(db: Any) -> Any:
    return make_citizen("binh@example.vn", "Trần Thị Bình")


@pytest.fixture
def signed_in_an(citizen_an: Any) -> Client:
    client = Client()
    client.force_login(citizen_an)
    return client


def through_provider(client: Client, **start: str) -> tuple[str, dict[str, str]]:
    """Press the provider's button (POST ``start``), let the provider approve: the callback
    path and its query, as the browser would bring them back."""
    response = client.post(reverse("accounts:oidc-start"), start)
    assert response.status_code == 302, response.content
    back = urlsplit(approve(response["Location"]))
    return back.path, dict(parse_qsl(back.query))
