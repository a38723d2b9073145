"""The home visits' pages (docs/appointments.md): booking on the portal, by a 1022 operator
and at a desk; the signed link's page (cancel, reschedule, bad tokens); the officer's day
list, iCalendar feed, visit page; the publishing page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.appointments.actions import book_appointment
from motcua.appointments.models import Appointment, AppointmentStatus, Slot, SlotKind
from motcua.appointments.tests.conftest import HOA
from motcua.dossiers.actions.reception import receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import application, at, clock

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def citizen(db: Any) -> Any:
    return get_user_model().objects.create_user(
        username="hoa", first_name="Hoa", email="hoa@example.vn", password="x"
    )


def booking_data(slot: Slot, ward: Any, **kw: str) -> dict[str, Any]:
    data = {
        "unit": ward.pk,
        "slot": slot.pk,
        "procedure": "1.000426",
        "purpose": "submit",
        "contact_name": "Nguyễn Thị Hoa",
        "contact_phone": "0912 345 678",
        "contact_email": "hoa@example.vn",
        "address_line": "12 Nguyễn Huệ",
    }
    data.update(kw)
    return data


def test_the_citizen_books_on_the_portal(now, home_slot, ward, citizen):
    client = signed_in(citizen)
    page = client.get(f"/hen-tai-nha/?unit={ward.pk}&date=2026-12-02")
    assert page.status_code == 200
    assert f'value="{home_slot.pk}"' in page.content.decode()
    response = client.post(
        f"/hen-tai-nha/?unit={ward.pk}&date=2026-12-02", booking_data(home_slot, ward)
    )
    assert response.status_code == 201, response.content.decode()[:2000]
    appointment = Appointment.objects.get()
    assert (appointment.channel, appointment.booked_by) == ("portal", citizen)
    assert appointment.contact_email == "hoa@example.vn"
    assert "/lich-hen/doi-huy/" in response.content.decode()


def test_an_address_outside_the_slots_area_is_a_clear_error(now, home_slot, ward, citizen):
    other = type(ward).objects.exclude(pk=ward.pk).filter(level="commune").first()
    response = signed_in(citizen).post(
        f"/hen-tai-nha/?unit={ward.pk}&date=2026-12-02",
        booking_data(home_slot, ward, unit=str(other.pk)),
    )
    assert response.status_code == 422
    assert "không phục vụ địa bàn" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(("username", "channel"), [("tongdai", "hotline"), ("tiepnhan", "desk")])
def test_staff_book_for_a_caller_or_at_the_desk(now, home_slot, ward, username, channel):
    officer = get_user_model().objects.get(username=username)
    response = signed_in(officer).post(
        f"/lich-hen/dat-hen/?unit={ward.pk}&date=2026-12-02", booking_data(home_slot, ward)
    )
    assert response.status_code == 201, response.content.decode()[:2000]
    appointment = Appointment.objects.get()
    assert (appointment.channel, appointment.booked_by) == (channel, officer)


def test_a_specialist_does_not_book_for_others(now, home_slot, ward, specialist_chi):
    response = signed_in(specialist_chi).get("/lich-hen/dat-hen/")
    assert response.status_code == 403


# ---- the signed link ---------------------------------------------------------------------


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


def test_the_link_shows_the_appointment_masked_and_cancels(booking):
    client = Client()
    url = f"/lich-hen/doi-huy/{booking.cancel_token}/"
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Nguyễn Thị Hoa" not in body and "0912345678" not in body and "Nguyễn Huệ" not in body
    assert "08:00" in body and "02/12/2026" in body
    assert page["Referrer-Policy"] == "no-referrer"
    assert client.post(url, {"action": "cancel"}).status_code == 302
    booking.appointment.refresh_from_db()
    assert booking.appointment.status == AppointmentStatus.CANCELLED


@pytest.mark.parametrize("token", ["forged", "A" * 43, "x" * 150])
def test_a_bad_link_is_a_clear_404_and_changes_nothing(booking, token):
    response = Client().post(f"/lich-hen/doi-huy/{token}/", {"action": "cancel"})
    assert response.status_code == 404
    assert "không đúng hoặc đã hết hiệu lực" in response.content.decode()
    booking.appointment.refresh_from_db()
    assert booking.appointment.status == AppointmentStatus.BOOKED


def test_the_link_reschedules_to_a_free_slot(booking, ward, clerk_binh):
    later = Slot.objects.create(
        kind=SlotKind.HOME, start=at(2026, 12, 3, 14), end=at(2026, 12, 3, 15), officer=clerk_binh
    )
    later.units.add(ward)
    client = Client()
    url = f"/lich-hen/doi-huy/{booking.cancel_token}/"
    page = client.get(url + "?ngay=2026-12-03")
    assert f'value="{later.pk}"' in page.content.decode()
    response = client.post(url, {"action": "move", "slot": later.pk})
    assert response.status_code == 302
    assert booking.cancel_token not in response["Location"]
    appointment = Appointment.objects.get(pk=booking.appointment.pk)
    assert appointment.slot == later
    assert client.get(url).status_code == 404  # the old link is superseded
    assert client.get(response["Location"]).status_code == 200


# ---- the officer's day, feed and visit -------------------------------------------------------


def test_the_day_list_shows_full_addresses_to_the_officer(booking, clerk_binh):
    body = signed_in(clerk_binh).get("/lich-hen/trong-ngay/?ngay=2026-12-02").content.decode()
    assert "12 Nguyễn Huệ, Phường Cao Lãnh" in body
    assert "02/12/2026" in body and "08:00" in body


def test_the_ical_feed_is_secret_escaped_and_revocable(booking, clerk_binh):
    client = signed_in(clerk_binh)
    page = client.post("/lich-hen/lich-ical/", {"action": "create"}).content.decode()
    url = page.split('<code id="feed-url">')[1].split("</code>")[0]
    path = url.split("testserver")[-1] if "testserver" in url else "/" + url.split("/", 3)[3]
    feed = Client().get(path)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART:20261202T010000Z" in text  # 08:00 in Vietnam
    unfolded = text.replace("\r\n ", "")
    assert "LOCATION:12 Nguyễn Huệ\\, Phường Cao Lãnh" in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    client.post("/lich-hen/lich-ical/", {"action": "revoke"})
    assert Client().get(path).status_code == 404


def test_the_officer_receives_the_dossier_on_the_visit_page(booking, clerk_binh, specialist_chi):
    url = f"/lich-hen/{booking.appointment.pk}/"
    assert signed_in(specialist_chi).get(url).status_code == 404
    client = signed_in(clerk_binh)
    assert "12 Nguyễn Huệ" in client.get(url).content.decode()
    with clock(at(2026, 12, 2, 8, 10)):
        response = client.post(url + "tiep-nhan/", {"documents": "Tờ khai\nCCCD bản sao"})
    assert response.status_code == 302
    dossier = Dossier.objects.get(origin_appointment=booking.appointment.pk)
    assert list(dossier.documents.values_list("name", flat=True)) == ["Tờ khai", "CCCD bản sao"]


def test_the_publishing_page(now, clerk_binh, ward):
    client = signed_in(clerk_binh)
    assert client.get("/lich-hen/cong-bo/").status_code == 200
    agency = clerk_binh.memberships.get().agency
    data = {
        "agency": agency.pk,
        "who": "me",
        "first_day": "2026-12-02",
        "last_day": "2026-12-02",
        "weekdays": ["0", "1", "2", "3", "4"],
        "day_start": "08:00",
        "day_end": "10:00",
        "slot_minutes": "45",
        "travel_minutes": "15",
        "capacity": "1",
        "units": [str(ward.pk)],
    }
    assert client.post("/lich-hen/cong-bo/", data).status_code == 200
    assert Slot.objects.filter(officer=clerk_binh).count() == 2
    again = client.post("/lich-hen/cong-bo/", data)
    assert again.status_code == 422
    assert "trùng" in again.content.decode()
    assert Slot.objects.filter(officer=clerk_binh).count() == 2


def test_the_citizen_books_the_return_of_one_of_their_dossiers(now, home_slot, ward, citizen):
    clerk = get_user_model().objects.get(username="tiepnhan")
    desk = clerk.memberships.get().desk
    with clock(at(2026, 11, 30, 9, 0)):
        theirs = receive_dossier(application=application("1.000426", desk), officer=clerk)
        other = receive_dossier(application=application("1.000426", desk), officer=clerk)
    Dossier.objects.filter(pk=theirs.pk).update(applicant_account=citizen)
    client = signed_in(citizen)
    url = f"/hen-tai-nha/?unit={ward.pk}&date=2026-12-02"
    page = client.get(url).content.decode()
    assert theirs.code in page and other.code not in page  # only their own dossiers
    refused = client.post(
        url, booking_data(home_slot, ward, purpose="receive_result", dossier=other.code)
    )
    assert refused.status_code == 422
    response = client.post(
        url, booking_data(home_slot, ward, purpose="receive_result", dossier=theirs.code)
    )
    assert response.status_code == 201
    appointment = Appointment.objects.get()
    assert (appointment.purpose, appointment.dossier) == ("receive_result", theirs)


def test_a_cancelled_visit_stays_in_the_feed_as_cancelled(booking, clerk_binh):
    """Calendar apps remove an event the feed marks cancelled; one left out would stay."""
    from motcua.appointments import feeds
    from motcua.appointments.actions import cancel_appointment

    token = feeds.create_feed(officer=clerk_binh)
    path = f"/lich-hen/ical/{token}.ics"
    uid = f"UID:appointment-{booking.appointment.pk}@"
    before = Client().get(path).content.decode()
    assert uid in before and "STATUS:CONFIRMED" in before
    cancel_appointment(appointment=booking.appointment, token=booking.cancel_token)
    after = Client().get(path).content.decode()
    assert uid in after
    assert "STATUS:CANCELLED" in after and "SEQUENCE:1" in after
    assert "STATUS:CONFIRMED" not in after


def test_only_the_create_button_makes_a_feed(booking, clerk_binh):
    from motcua.appointments.models import CalendarFeed

    client = signed_in(clerk_binh)
    assert client.post("/lich-hen/lich-ical/", {}).status_code == 400
    assert client.post("/lich-hen/lich-ical/", {"action": "x"}).status_code == 400
    assert not CalendarFeed.objects.exists()
    assert client.post("/lich-hen/lich-ical/", {"action": "create"}).status_code == 200
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1
