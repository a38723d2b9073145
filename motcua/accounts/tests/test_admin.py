"""The admin finds citizen profiles."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_finds_a_citizen_by_phone(client, admin_anh, citizen_an):
    client.force_login(admin_anh)
    response = client.get("/admin/accounts/citizenprofile/", {"q": "0912345678"})
    assert response.status_code == 200 and "Nguyễn Văn An" in response.content.decode()
