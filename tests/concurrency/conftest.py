from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def demo_province(transactional_db: Any) -> None:
    """Django empties the database after each committing test; put the demo back if an
    earlier one took it away (seed_demo is idempotent)."""
    from motcua.demo.seed import seed_demo
    from motcua.org.models import Desk

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
