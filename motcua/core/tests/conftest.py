"""Audit fixtures: a dossier with a short history, keys, and a seal folder."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.core.seals import new_key_pair
from motcua.dossiers.tests.fixtures import at, clock, ready

KEY_1 = "k1-" + "a" * 61
KEY_2 = "k2-" + "b" * 61


@pytest.fixture
def keys(settings: Any) -> Any:
    """A known HMAC key (the attacker in some tests holds it)."""
    settings.AUDIT_KEYS = [KEY_1]
    return settings


@pytest.fixture
def history(keys: Any, received: Any) -> Any:
    """A dossier received, walked through its workflow by the holder of each step, and ready:
    a few events (``event_seq`` of them)."""
    dossier = received()
    with clock(at(2026, 3, 3, 9, 0)):
        ready(dossier)
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def sealing(settings: Any, tmp_path: Any) -> Any:
    """Seals on: a folder and a signing key; returns the folder."""
    private, _public = new_key_pair()
    settings.AUDIT_SEAL_DIR = tmp_path / "seals"
    settings.AUDIT_SEAL_KEY = private.decode()
    settings.AUDIT_SEAL_PUBLIC_KEY = ""
    return settings.AUDIT_SEAL_DIR
