"""Every state change of an appointment or a desk number appends exactly its event, in the
action's transaction (docs/architecture.md rule 2, docs/appointments.md "History"), with no
personal data in ``data``; the events are append-only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from motcua.appointments import queue
from motcua.appointments.actions import book_appointment, cancel_appointment
from motcua.appointments.events import AppointmentEvent, append
from motcua.appointments.models import Appointment, Slot, SlotKind, TicketState
from motcua.appointments.tests.conftest import HOA
from motcua.appointments.tests.queue_fixtures import HOA_ID, HOA_PHONE, TUESDAY_0800, windows
from motcua.appointments.visits import record_visit_outcome, reschedule_appointment
from motcua.core.chain import AppendOnlyError
from motcua.dossiers.tests.fixtures import at, clock

pytestmark = pytest.mark.django_db

# What must never appear in an event: the contact's name, phone (any form), ID number,
# address, e-mail, and the tokens.
SECRETS = ["Nguyễn Thị Hoa", "0912345678", "912345678", HOA_ID, "Nguyễn Huệ", "hoa@"]


def kinds(appointment: Any) -> list[str]:
    return list(
        AppointmentEvent.objects.filter(appointment_id=appointment.pk)
        .order_by("id")
        .values_list("kind", flat=True)
    )


def assert_no_personal_data(*tokens: str) -> None:
    for event in AppointmentEvent.objects.all():
        text = json.dumps(event.data, ensure_ascii=False)
        for secret in [*SECRETS, *tokens]:
            assert secret not in text, (event.kind, secret)


def test_a_home_visits_life_is_its_events(now, home_slot, procedure, home_address, clerk_binh):
    booking = book_appointment(
        slot=home_slot,
        procedure=procedure,
        purpose="submit",
        contact=HOA,
        address=home_address,
        channel="api",
    )
    appointment = booking.appointment
    assert kinds(appointment) == ["book"]
    event = AppointmentEvent.objects.get()
    assert (event.actor, event.at) == (None, now)
    assert event.data == {
        "slot": home_slot.pk,
        "channel": "api",
        "purpose": "submit",
        "dossier": None,
    }
    later = Slot.objects.create(
        kind=SlotKind.HOME, start=at(2026, 12, 3, 14), end=at(2026, 12, 3, 15), officer=clerk_binh
    )
    later.units.add(home_address.unit)
    moved = reschedule_appointment(appointment=appointment, slot=later, token=booking.cancel_token)
    assert kinds(appointment) == ["book", "reschedule"]
    assert AppointmentEvent.objects.last().data == {"from_slot": home_slot.pk, "slot": later.pk}
    cancel_appointment(appointment=appointment, token=moved.cancel_token)
    cancel_appointment(appointment=appointment, token=moved.cancel_token)  # changes nothing
    assert kinds(appointment) == ["book", "reschedule", "cancel"]
    assert_no_personal_data(booking.cancel_token, moved.cancel_token)


def test_the_visits_outcome_is_an_event_of_the_officer(
    now, home_slot, procedure, home_address, clerk_binh
):
    appointment = book_appointment(
        slot=home_slot,
        procedure=procedure,
        purpose="submit",
        contact=HOA,
        address=home_address,
        channel="portal",
    ).appointment
    with clock(at(2026, 12, 2, 8, 30)):
        record_visit_outcome(appointment=appointment, outcome="no_show", actor=clerk_binh)
    event = AppointmentEvent.objects.last()
    assert (event.kind, event.actor, event.data) == (
        "record_visit_outcome",
        clerk_binh,
        {"outcome": "no_show", "dossier": None},
    )
    assert kinds(appointment) == ["book", "record_visit_outcome"]


def test_a_refused_action_writes_no_event(now, home_slot, procedure, home_address):
    Slot.objects.filter(pk=home_slot.pk).update(booked=2)
    with pytest.raises(Exception):  # noqa: B017 (slot_full, an ActionError)
        book_appointment(
            slot=home_slot,
            procedure=procedure,
            purpose="submit",
            contact=HOA,
            address=home_address,
            channel="api",
        )
    assert not AppointmentEvent.objects.exists()


def test_each_desk_queue_action_writes_its_event(centre, clerk_binh, hoa):
    with clock(TUESDAY_0800):
        slot = windows(centre, TUESDAY_0800.date())[0]
        online = queue.take_number(
            desk=centre,
            slot=slot,
            sector=None,
            name="Nguyễn Thị Hoa",
            phone=HOA_PHONE,
            id_number=HOA_ID,
            actor=hoa,
        )
        walk_in = queue.issue_walk_in(
            desk=centre, sector=None, phone="0901234567", actor=clerk_binh
        )
        gone = queue.issue_walk_in(desk=centre, sector=None, phone="0901234568", actor=clerk_binh)
        queue.cancel_number(ticket=gone, actor=clerk_binh)
        called = queue.call_next_number(desk=centre, counter="3", actor=clerk_binh)
        assert called is not None and called.pk == online.pk
        queue.recall_number(ticket=called, actor=clerk_binh)
        queue.start_serving(ticket=called, actor=clerk_binh)
        queue.finish_number(ticket=called, actor=clerk_binh)
        second = queue.call_next_number(desk=centre, counter="3", actor=clerk_binh)
        assert second is not None and second.pk == walk_in.pk
    with clock(at(2026, 12, 1, 8, 10)):
        queue.record_no_show(ticket=second, actor=clerk_binh)
    assert kinds(online.appointment) == [
        "take_number",
        "call_next_number",
        "recall_number",
        "start_serving",
        "finish_number",
    ]
    assert kinds(walk_in.appointment) == ["issue_walk_in", "call_next_number", "record_no_show"]
    assert kinds(gone.appointment) == ["issue_walk_in", "cancel_number"]
    events = AppointmentEvent.objects.filter(appointment=online.appointment).order_by("id")
    assert events[0].actor == hoa and events[1].actor == clerk_binh
    assert events[0].data == {"desk": centre.pk, "slot": slot.pk, "number": online.number}
    assert events[1].data == {"number": online.number, "counter": "3"}
    assert_no_personal_data("0901234567", "0901234568")


def test_the_no_show_sweep_writes_a_system_event(centre, clerk_binh):
    with clock(TUESDAY_0800):
        queue.issue_walk_in(desk=centre, sector=None, phone="0901234567", actor=clerk_binh)
        called = queue.call_next_number(desk=centre, counter="1", actor=clerk_binh)
    assert called is not None
    with clock(at(2026, 12, 1, 8, 6)):
        assert queue.expire_called_numbers() == 1
        assert queue.expire_called_numbers() == 0  # twice: no second event
    called.refresh_from_db()
    assert called.state == TicketState.NO_SHOW
    assert kinds(called.appointment) == ["issue_walk_in", "call_next_number", "no_show_sweep"]
    assert AppointmentEvent.objects.last().actor is None


def test_events_are_append_only_and_hold_no_personal_keys(now, home_slot, procedure, home_address):
    appointment = book_appointment(
        slot=home_slot,
        procedure=procedure,
        purpose="submit",
        contact=HOA,
        address=home_address,
        channel="api",
    ).appointment
    event = AppointmentEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    for key in ("phone", "contact_phone", "name", "address", "id_number", "token", "email"):
        with pytest.raises(ValueError):
            append(appointment, "book", at=now, **{key: "x"})
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AppointmentEvent.objects.filter(pk=event.pk).update(kind="forged")
    assert Appointment.objects.count() == 1


def test_the_visits_page_shows_its_history(now, home_slot, procedure, home_address, clerk_binh):
    from django.test import Client

    appointment = book_appointment(
        slot=home_slot,
        procedure=procedure,
        purpose="submit",
        contact=HOA,
        address=home_address,
        channel="api",
    ).appointment
    client = Client()
    client.force_login(clerk_binh)
    body = client.get(f"/lich-hen/{appointment.pk}/").content.decode()
    assert "Nhật ký lịch hẹn" in body and "01/12/2026 08:00 · Đặt hẹn" in body
