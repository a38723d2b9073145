"""The admin lists profiles; the development provider command starts and prints its settings."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.integrations.identity import fake_provider

pytestmark = pytest.mark.django_db


def test_the_admin_finds_a_citizen_by_phone(client, admin_anh, citizen_an):
    client.force_login(admin_anh)
    response = client.get("/admin/accounts/citizenprofile/", {"q": "0912345678"})
    assert response.status_code == 200 and "Nguyễn Văn An" in response.content.decode()


def test_the_development_provider_prints_the_settings_to_use(monkeypatch):
    started = threading.Event()

    def serve_once(self):
        started.set()

    monkeypatch.setattr(fake_provider.FakeOidcProvider, "serve_forever", serve_once)
    out = StringIO()
    call_command("fake_oidc_provider", "--port", "0", stdout=out)
    assert started.is_set()
    assert "OIDC_ENABLED=1 OIDC_ISSUER=http://127.0.0.1:" in out.getvalue()
