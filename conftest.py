"""Shared test set-up: the demo province is seeded once per test session.

Every test runs inside a transaction that is rolled back, so tests may change the demo freely.
Personas: ``clerk_binh`` receives at the provincial centre, ``specialist_chi`` works at the
Department of Justice, ``admin_anh`` administers the system.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytest_plugins = ["motcua.dossiers.tests.fixtures", "motcua.hotline.tests.fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from motcua.demo.seed import seed_demo

    with django_db_blocker.unblock():
        seed_demo(today=dt.date(2026, 11, 25))


@pytest.fixture
def clerk_binh(db: Any) -> Any:
    return get_user_model().objects.get(username="tiepnhan")


@pytest.fixture
def admin_anh(db: Any) -> Any:
    return get_user_model().objects.get(username="quantri")


@pytest.fixture
def api(db: Any) -> Client:
    return Client()


@pytest.fixture
def specialist_chi(db: Any) -> Any:
    return get_user_model().objects.get(username="chuyenvien")
