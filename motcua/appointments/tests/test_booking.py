"""Booking and cancelling through the actions (docs/appointments.md): a place is taken once,
refusals are clear and change nothing, a cancel frees the place once."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.appointments.actions import Address, Contact, book_appointment, cancel_appointment
from motcua.appointments.models import Appointment, AppointmentStatus, Slot
from motcua.appointments.tests.conftest import HOA
from motcua.core.actions import ActionError
from motcua.dossiers.tests.fixtures import at, clock
from motcua.org.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def book(slot: Slot, procedure: Any, contact: Contact = HOA, **kw: Any) -> Any:
    kw.setdefault("purpose", "submit")
    kw.setdefault("channel", "portal")
    return book_appointment(slot=slot, procedure=procedure, contact=contact, **kw)


def refusal(excinfo: pytest.ExceptionInfo[ActionError]) -> tuple[str, int]:
    return excinfo.value.code, excinfo.value.status


def test_a_home_visit_takes_a_place(now, home_slot, procedure, home_address):
    booking = book(home_slot, procedure, address=home_address)
    appointment = booking.appointment
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.contact_phone == "0912345678"
    assert appointment.address_unit == home_address.unit
    assert appointment.created_at == now
    assert len(booking.cancel_token) >= 40
    assert booking.cancel_token not in appointment.cancel_digest
    home_slot.refresh_from_db()
    assert home_slot.booked == 1


def test_a_full_slot_is_refused_with_409(now, home_slot, procedure, home_address):
    book(home_slot, procedure, address=home_address)
    book(home_slot, procedure, Contact("Trần Văn Nam", "0987654321"), address=home_address)
    with pytest.raises(ActionError) as excinfo:
        book(home_slot, procedure, Contact("Lê Thị Mai", "0901234567"), address=home_address)
    assert refusal(excinfo) == ("slot_full", 409)
    home_slot.refresh_from_db()
    assert home_slot.booked == 2
    assert Appointment.objects.filter(slot=home_slot).count() == 2


def test_a_slot_that_has_started_is_refused_with_422(home_slot, procedure, home_address):
    with clock(at(2026, 12, 2, 8, 0)), pytest.raises(ActionError) as excinfo:
        book(home_slot, procedure, address=home_address)
    assert refusal(excinfo) == ("slot_past", 422)
    home_slot.refresh_from_db()
    assert home_slot.booked == 0


def test_an_address_outside_the_area_is_refused(now, home_slot, procedure, centre):
    elsewhere = AdministrativeUnit.objects.exclude(appointment_slots=home_slot).first()
    assert elsewhere is not None
    with pytest.raises(ActionError) as excinfo:
        book(home_slot, procedure, address=Address("5 Lý Thường Kiệt", elsewhere))
    assert refusal(excinfo) == ("unit_not_served", 422)
    with pytest.raises(ActionError) as excinfo:
        book(home_slot, procedure)
    assert refusal(excinfo) == ("address_required", 422)
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize(
    ("contact", "code"),
    [
        (Contact("Nguyễn Thị Hoa", "1022"), "bad_phone"),
        (Contact("Nguyễn Thị Hoa", "0912"), "bad_phone"),
        (Contact("   ", "0912345678"), "required"),
        (Contact("x" * 201, "0912345678"), "name_too_long"),
    ],
)
def test_bad_contacts_are_refused(now, home_slot, procedure, home_address, contact, code):
    with pytest.raises(ActionError) as excinfo:
        book(home_slot, procedure, contact, address=home_address)
    assert refusal(excinfo) == (code, 422)
    home_slot.refresh_from_db()
    assert home_slot.booked == 0


def test_bad_purpose_and_channel_are_refused(now, home_slot, procedure, home_address):
    with pytest.raises(ActionError) as excinfo:
        book(home_slot, procedure, address=home_address, purpose="gossip")
    assert refusal(excinfo) == ("bad_purpose", 422)
    with pytest.raises(ActionError) as excinfo:
        book(home_slot, procedure, address=home_address, channel="fax")
    assert refusal(excinfo) == ("bad_channel", 422)


def test_two_desk_numbers_per_person_per_day(now, desk_slots, procedure):
    first, second, third = desk_slots
    book(first, procedure, purpose="counter", channel="desk")
    book(second, procedure)
    # The same phone written another way is the same person.
    with pytest.raises(ActionError) as excinfo:
        book(third, procedure, Contact("Nguyễn Thị Hoa", "+84912345678"))
    assert refusal(excinfo) == ("daily_limit", 409)
    third.refresh_from_db()
    assert third.booked == 0
    # Someone else still books.
    book(third, procedure, Contact("Trần Văn Nam", "0987654321"))
    third.refresh_from_db()
    assert third.booked == 1


def test_the_daily_limit_is_a_setting(now, desk_slots, procedure, settings):
    settings.APPOINTMENTS_DESK_PER_PERSON_PER_DAY = 1
    book(desk_slots[0], procedure)
    with pytest.raises(ActionError) as excinfo:
        book(desk_slots[1], procedure)
    assert refusal(excinfo) == ("daily_limit", 409)


def test_cancel_frees_the_place_once(now, home_slot, procedure, home_address):
    booking = book(home_slot, procedure, address=home_address)
    cancelled = cancel_appointment(appointment=booking.appointment, token=booking.cancel_token)
    assert cancelled.status == AppointmentStatus.CANCELLED
    assert cancelled.cancelled_at == now
    home_slot.refresh_from_db()
    assert home_slot.booked == 0
    again = cancel_appointment(appointment=booking.appointment, token=booking.cancel_token)
    assert again.status == AppointmentStatus.CANCELLED
    home_slot.refresh_from_db()
    assert home_slot.booked == 0


def test_a_cancelled_desk_number_counts_no_more(now, desk_slots, procedure):
    first = book(desk_slots[0], procedure)
    book(desk_slots[1], procedure)
    cancel_appointment(appointment=first.appointment, token=first.cancel_token)
    book(desk_slots[2], procedure)
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 2


def test_cancel_needs_the_token_or_the_booker(now, home_slot, procedure, home_address, clerk_binh):
    booking = book(home_slot, procedure, address=home_address)
    with pytest.raises(ActionError) as excinfo:
        cancel_appointment(appointment=booking.appointment, token="doan-bua")
    assert refusal(excinfo) == ("not_found", 404)
    home_slot.refresh_from_db()
    assert home_slot.booked == 1
    # The slot's officer may cancel without the token.
    cancelled = cancel_appointment(appointment=booking.appointment, actor=clerk_binh)
    assert cancelled.status == AppointmentStatus.CANCELLED


def test_a_visit_that_happened_cannot_be_cancelled(now, home_slot, procedure, home_address):
    booking = book(home_slot, procedure, address=home_address)
    Appointment.objects.filter(pk=booking.appointment.pk).update(status=AppointmentStatus.DONE)
    with pytest.raises(ActionError) as excinfo:
        cancel_appointment(appointment=booking.appointment, token=booking.cancel_token)
    assert refusal(excinfo) == ("not_cancellable", 409)
    home_slot.refresh_from_db()
    assert home_slot.booked == 1
