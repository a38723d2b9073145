"""Desk queue fixtures: the provincial centre's queue on Tuesday 01/12/2026 (a working
day; the horizon runs to Monday 07/12), its clerk Bình (``tiepnhan``), and two citizens
signed in with VNeID: Hoa and Lan."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from motcua.accounts.models import CitizenProfile
from motcua.appointments.models import Slot
from motcua.appointments.queue_days import day_windows, ensure_windows
from motcua.catalog.models import Sector
from motcua.dossiers.tests.fixtures import at
from motcua.org.models import Desk

TUESDAY_0800 = at(2026, 12, 1, 8, 0)
HOA_PHONE = "0912345678"
HOA_ID = "087190123456"


def citizen(username: str, name: str, phone: str, id_number: str = "") -> Any:
    user = get_user_model().objects.create_user(username=username, first_name=name)
    CitizenProfile.objects.create(
        user=user,
        full_name=name,
        phone=phone,
        id_number=id_number,
        id_verified=bool(id_number),
        verified_phone=True,
    )
    return user


@pytest.fixture
def hoa(db: Any) -> Any:
    return citizen("hoa", "Nguyễn Thị Hoa", HOA_PHONE, HOA_ID)


@pytest.fixture
def lan(db: Any) -> Any:
    return citizen("lan", "Trần Thị Lan", "0987654321")


@pytest.fixture
def sector(centre: Desk) -> Sector:
    return Sector.objects.filter(procedures__desks=centre, procedures__active=True).first()


def windows(desk: Desk, day: Any) -> list[Slot]:
    ensure_windows(desk, day)
    return list(Slot.objects.filter(day_windows(desk, day)).order_by("start"))
