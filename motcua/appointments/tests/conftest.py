"""Appointment fixtures: on Tuesday 01/12/2026 at 08:00, an officer's home visits on
Wednesday morning in the Cao Lãnh ward, and the provincial centre's desk numbers the same
day. ``hoa`` is the citizen who books."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from motcua.appointments.actions import Address, Contact
from motcua.appointments.models import Slot, SlotKind
from motcua.catalog.models import Procedure
from motcua.dossiers.tests.fixtures import at, clock
from motcua.org.models import AdministrativeUnit, Desk

NOW = at(2026, 12, 1, 8, 0)
HOA = Contact(name="Nguyễn Thị Hoa", phone="0912 345 678")


@pytest.fixture
def now(db: Any) -> Iterator[dt.datetime]:
    cache.clear()
    with clock(NOW):
        yield NOW


@pytest.fixture
def procedure(db: Any) -> Procedure:
    return Procedure.objects.get(code="1.000426")


@pytest.fixture
def ward(cao_lanh_desk: Desk) -> AdministrativeUnit:
    return cao_lanh_desk.unit


@pytest.fixture
def home_slot(ward: AdministrativeUnit, clerk_binh: Any) -> Slot:
    slot = Slot.objects.create(
        kind=SlotKind.HOME,
        start=at(2026, 12, 2, 8, 0),
        end=at(2026, 12, 2, 9, 0),
        capacity=2,
        officer=clerk_binh,
        travel_minutes=20,
    )
    slot.units.add(ward)
    return slot


@pytest.fixture
def desk_slots(centre: Desk) -> list[Slot]:
    """Three half-hour slots of five numbers each, Wednesday 08:00–09:30."""
    return [
        Slot.objects.create(
            kind=SlotKind.DESK,
            start=at(2026, 12, 2, 8, 0) + dt.timedelta(minutes=30 * i),
            end=at(2026, 12, 2, 8, 30) + dt.timedelta(minutes=30 * i),
            capacity=5,
            desk=centre,
        )
        for i in range(3)
    ]


@pytest.fixture
def home_address(ward: AdministrativeUnit) -> Address:
    return Address(line="12 Nguyễn Huệ", unit=ward)
