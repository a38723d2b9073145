"""No double booking under concurrency (docs/appointments.md): fifty people book the last
place of a slot at the same moment, each on a connection of their own; exactly one gets it,
forty-nine are told the slot is full, and the slot's counter ends at its capacity. And one
person asking for ten desk numbers of one day at once gets two.
PostgreSQL only: SQLite serialises every writer on one file lock, so it proves nothing
about rows taken concurrently."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from motcua.appointments.actions import Contact, book_appointment
from motcua.appointments.models import Appointment, Slot, SlotKind
from motcua.catalog.models import Procedure
from motcua.core.actions import ActionError
from motcua.dossiers.tests.fixtures import at, clock
from motcua.org.models import Desk, DeskKind

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PEOPLE = 50


def test_fifty_bookings_of_the_last_place_one_succeeds():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    desk = Desk.objects.get(kind=DeskKind.CENTRE)
    procedure = Procedure.objects.get(code="1.000426")
    slot = Slot.objects.create(
        kind=SlotKind.DESK,
        start=at(2026, 12, 2, 8, 0),
        end=at(2026, 12, 2, 8, 30),
        capacity=3,
        desk=desk,
    )
    Slot.objects.filter(pk=slot.pk).update(booked=2)  # one place left
    start = threading.Barrier(PEOPLE)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def person(n: int) -> None:
        try:
            start.wait()
            try:
                book_appointment(
                    slot=slot,
                    procedure=procedure,
                    purpose="submit",
                    contact=Contact(f"Người thứ {n}", f"09{n:08d}"),
                    channel="portal",
                )
                result: Any = "booked"
            except ActionError as exc:
                result = (exc.code, exc.status)
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
    # The clock is the process's: every thread books on Tuesday morning.
    with clock(at(2026, 12, 1, 8, 0)):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(outcomes) == PEOPLE
    assert outcomes.count("booked") == 1
    assert outcomes.count(("slot_full", 409)) == PEOPLE - 1
    slot.refresh_from_db()
    assert slot.booked == 3
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_one_person_asking_ten_numbers_at_once_gets_two():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    desk = Desk.objects.get(kind=DeskKind.CENTRE)
    procedure = Procedure.objects.get(code="1.000426")
    slots = [
        Slot.objects.create(
            kind=SlotKind.DESK,
            start=at(2026, 12, 2, 8, 0) + dt.timedelta(minutes=30 * i),
            end=at(2026, 12, 2, 8, 30) + dt.timedelta(minutes=30 * i),
            capacity=5,
            desk=desk,
        )
        for i in range(10)
    ]
    start = threading.Barrier(len(slots))
    outcomes: list[Any] = []
    lock = threading.Lock()

    def ask(slot: Slot) -> None:
        try:
            start.wait()
            try:
                book_appointment(
                    slot=slot,
                    procedure=procedure,
                    purpose="counter",
                    contact=Contact("Nguyễn Thị Hoa", "0912345678"),
                    channel="portal",
                )
                result: Any = "booked"
            except ActionError as exc:
                result = (exc.code, exc.status)
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(slot,)) for slot in slots]
    with clock(at(2026, 12, 1, 8, 0)):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert outcomes.count("booked") == 2
    assert outcomes.count(("daily_limit", 409)) == len(slots) - 2
    assert Appointment.objects.filter(contact_phone="0912345678").count() == 2
