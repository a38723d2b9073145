"""Ids and days typed into the appointments' pages and API (docs/security.md "Bad input"):
a clear error, nothing changed, never a 500. Ids go through ``parse_id`` ("²" is a digit to
``str.isdigit`` but not to ``int``); days through ``parse_day``/``validate_day`` (2000–2099,
so the day before and after always exist)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.appointments.actions import book_appointment
from motcua.appointments.models import Appointment, AppointmentStatus, Slot
from motcua.appointments.tests.conftest import HOA
from motcua.core.inputs import parse_day

pytestmark = pytest.mark.django_db

EDGE_DAYS = ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"]


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def booking(now: Any, home_slot: Slot, procedure: Any, home_address: Any) -> Any:
    return book_appointment(
        slot=home_slot,
        procedure=procedure,
        purpose="submit",
        contact=HOA,
        address=home_address,
        channel="portal",
    )


def test_parse_day_reads_both_forms_within_the_years_it_can_count():
    assert parse_day("2026-12-02") == dt.date(2026, 12, 2)
    assert parse_day("02/12/2026") == dt.date(2026, 12, 2)
    assert parse_day("2000-01-01") == dt.date(2000, 1, 1)
    assert parse_day("2099-12-31") == dt.date(2099, 12, 31)
    for bad in [*EDGE_DAYS, "", "2026-02-30", "٢٠٢٦-١٢-٠٢", "x"]:
        assert parse_day(bad) is None, bad


@pytest.mark.parametrize("slot", ["²", "¹²", "9" * 30, "-1", "0", " ", "1e3"])
def test_a_bad_slot_on_the_link_page_is_a_clear_error(booking, slot):
    url = f"/lich-hen/doi-huy/{booking.cancel_token}/"
    response = Client().post(url, {"action": "move", "slot": slot})
    assert response.status_code == 422
    assert "Hãy chọn một khung giờ còn trống." in response.content.decode()
    booking.appointment.refresh_from_db()
    assert booking.appointment.status == AppointmentStatus.BOOKED
    assert booking.appointment.slot_id == booking.appointment.slot.pk


@pytest.mark.parametrize("day", EDGE_DAYS)
def test_an_impossible_day_on_the_link_page_is_a_clear_error(booking, day):
    response = Client().get(f"/lich-hen/doi-huy/{booking.cancel_token}/?ngay={day}")
    assert response.status_code == 422
    assert "2000 đến 2099" in response.content.decode()


@pytest.mark.parametrize("day", EDGE_DAYS)
def test_an_impossible_day_on_the_officers_day_list_is_a_clear_error(booking, clerk_binh, day):
    response = signed_in(clerk_binh).get(f"/lich-hen/trong-ngay/?ngay={day}")
    assert response.status_code == 400
    assert "2000 đến 2099" in response.content.decode()


@pytest.mark.parametrize("day", EDGE_DAYS)
def test_an_impossible_day_on_the_booking_forms_is_a_form_error(now, home_slot, ward, day):
    citizen = get_user_model().objects.create_user(username="hoa", password="x")
    operator = get_user_model().objects.get(username="tongdai")
    for client, path in ((signed_in(citizen), "/hen-tai-nha/"), (signed_in(operator), None)):
        path = path or "/lich-hen/dat-hen/"
        response = client.get(f"{path}?unit={ward.pk}&date={day}")
        assert response.status_code == 200
        assert "2000 đến 2099" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("day", EDGE_DAYS)
def test_an_impossible_day_in_the_slots_api_is_a_422(now, api, day):
    answer = api.get("/api/v1/appointments/slots", {"date": day})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "bad_date"
