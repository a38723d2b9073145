"""The desk queue's pages (docs/appointments.md "Desk queue"): the citizen takes and gives
back a number on the portal, the clerk gives walk-in numbers and calls them, and the waiting
room's screen shows numbers and counters and nothing about anyone. Bad input is a clear
answer, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from motcua.appointments.models import QueueTicket, TicketState
from motcua.appointments.tests.queue_fixtures import HOA_ID, HOA_PHONE, windows
from motcua.dossiers.tests.fixtures import at, clock

pytestmark = pytest.mark.django_db

TUESDAY = at(2026, 12, 1, 8, 0)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def tuesday(db: Any) -> Any:
    with clock(TUESDAY):
        yield TUESDAY


def test_a_citizen_takes_a_number_sees_it_and_gives_it_back(centre, sector, hoa, tuesday):
    client = signed_in(hoa)
    page = client.get(f"/lay-so/?quay={centre.pk}&ngay=2026-12-02")
    assert page.status_code == 200
    content = page.content.decode()
    assert "08:00–09:00" in content and "15:00–16:00" in content
    nine = windows(centre, at(2026, 12, 2).date())[1]
    taken = client.post(
        "/lay-so/",
        {"quay": centre.pk, "ngay": "2026-12-02", "sector": sector.pk, "slot": nine.pk},
        follow=True,
    )
    assert taken.status_code == 200
    ticket = QueueTicket.objects.get()
    assert (ticket.number, ticket.appointment.booked_by) == (1, hoa)
    assert "Số thứ tự của bạn: 001, ngày 02/12/2026, dự kiến 09:00." in taken.content.decode()
    assert f"/lay-so/{ticket.pk}/huy/" in taken.content.decode()
    gone = client.post(f"/lay-so/{ticket.pk}/huy/", follow=True)
    assert gone.status_code == 200
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CANCELLED


def test_someone_elses_number_is_not_found(centre, sector, hoa, lan, tuesday):
    client = signed_in(hoa)
    nine = windows(centre, at(2026, 12, 2).date())[1]
    client.post(
        "/lay-so/", {"quay": centre.pk, "ngay": "2026-12-02", "sector": sector.pk, "slot": nine.pk}
    )
    ticket = QueueTicket.objects.get()
    assert signed_in(lan).post(f"/lay-so/{ticket.pk}/huy/").status_code == 404
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING


@pytest.mark.parametrize(
    "query",
    [
        "?quay=abc",
        "?quay=99999999999999999999999",
        "?quay=1&ngay=hôm-nay",
        "?quay=1&ngay=2026-02-30",
        "?ngay=2099-01-01",
    ],
)
def test_bad_addresses_are_pages_not_errors(hoa, tuesday, query):
    assert signed_in(hoa).get(f"/lay-so/{query}").status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"quay": "x", "slot": "1"},
        {"slot": "abc", "sector": "-1"},
        {"slot": "99999999999999999999", "sector": "1", "ngay": "2026-12-02"},
        {"ngay": "2026-12-12", "slot": "1", "sector": "1"},
    ],
)
def test_bad_input_is_refused_clearly(centre, hoa, tuesday, data):
    data = {"quay": centre.pk, **data} if "quay" not in data else data
    response = signed_in(hoa).post("/lay-so/", data)
    assert response.status_code == 422
    assert "Hãy chọn quầy, ngày, lĩnh vực và khung giờ còn số." in response.content.decode()
    assert not QueueTicket.objects.exists()


def test_a_third_number_of_the_day_is_refused_with_its_reason(centre, sector, hoa, tuesday):
    far = windows(centre, at(2026, 12, 2).date())[0]
    client = signed_in(hoa)
    client.post(
        "/lay-so/", {"quay": centre.pk, "ngay": "2026-12-02", "sector": sector.pk, "slot": far.pk}
    )
    again = client.post(
        "/lay-so/", {"quay": centre.pk, "ngay": "2026-12-02", "sector": sector.pk, "slot": far.pk}
    )
    third = client.post(
        "/lay-so/", {"quay": centre.pk, "ngay": "2026-12-02", "sector": sector.pk, "slot": far.pk}
    )
    assert again.status_code == 302
    assert third.status_code == 409
    assert "tối đa 2 số thứ tự một ngày" in third.content.decode()


def test_the_clerk_gives_walk_in_numbers_and_calls_them(centre, clerk_binh, tuesday):
    client = signed_in(clerk_binh)
    page = client.get(f"/hang-doi/{centre.pk}/")
    assert page.status_code == 200
    given = client.post(
        f"/hang-doi/{centre.pk}/boc-so/",
        {"phone": HOA_PHONE, "name": "Nguyễn Thị Hoa"},
        follow=True,
    )
    assert "Đã cấp số 001, dự kiến 08:00." in given.content.decode()
    client.post(f"/hang-doi/{centre.pk}/boc-so/", {"phone": HOA_PHONE, "id_number": HOA_ID})
    limited = client.post(f"/hang-doi/{centre.pk}/boc-so/", {"phone": HOA_PHONE})
    assert limited.status_code == 409
    bad = client.post(f"/hang-doi/{centre.pk}/boc-so/", {"phone": "12", "name": "x" * 300})
    assert bad.status_code == 422
    called = client.post(f"/hang-doi/{centre.pk}/goi/", {"counter": "3"}, follow=True)
    assert "Mời số 001 đến quầy 3." in called.content.decode()
    ticket = QueueTicket.objects.get(number=1)
    assert (
        client.post(f"/hang-doi/{centre.pk}/so/{ticket.pk}/", {"step": "bogus"}).status_code == 422
    )
    early = client.post(f"/hang-doi/{centre.pk}/so/{ticket.pk}/", {"step": "no_show"})
    assert early.status_code == 409
    assert (
        client.post(f"/hang-doi/{centre.pk}/so/{ticket.pk}/", {"step": "served"}).status_code == 302
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.DONE
    figures = client.get(f"/hang-doi/{centre.pk}/").content.decode()
    assert "Đã phục vụ" in figures
    assert client.post(f"/hang-doi/{centre.pk}/goi/", {"counter": ""}).status_code == 422
    assert client.post(f"/hang-doi/{centre.pk}/goi/", {"counter": "x" * 21}).status_code == 422


def test_the_screen_shows_numbers_and_counters_only(centre, clerk_binh, hoa, sector, tuesday):
    client = signed_in(clerk_binh)
    client.post(
        f"/hang-doi/{centre.pk}/boc-so/",
        {"phone": HOA_PHONE, "name": "Nguyễn Thị Hoa", "id_number": HOA_ID},
    )
    signed_in(hoa).post(
        "/lay-so/",
        {
            "quay": centre.pk,
            "ngay": "2026-12-01",
            "sector": sector.pk,
            "slot": windows(centre, TUESDAY.date())[0].pk,
        },
    )
    client.post(f"/hang-doi/{centre.pk}/goi/", {"counter": "2"})
    public = Client()
    data = public.get(f"/hang-doi/{centre.pk}/man-hinh.json")
    assert data.status_code == 200
    body = data.json()
    assert body == {
        "desk": centre.name,
        "serving": [{"number": "001", "counter": "2"}],
        "waiting": 1,
        "updated": "08:00",
    }
    screen = public.get(f"/hang-doi/{centre.pk}/man-hinh/")
    assert screen.status_code == 200
    everything = data.content.decode() + screen.content.decode()
    for personal in ("Hoa", HOA_PHONE, "912", HOA_ID, "0912 345 678"):
        assert personal not in everything and personal not in json.dumps(body)
    assert public.get("/hang-doi/999999/man-hinh.json").status_code == 404


def test_the_pages_state_the_configured_limit(centre, clerk_binh, hoa, settings, tuesday):
    settings.APPOINTMENTS_DESK_PER_PERSON_PER_DAY = 3
    assert "tối đa 3 số một ngày" in signed_in(hoa).get("/lay-so/").content.decode()
    page = signed_in(clerk_binh).get(f"/hang-doi/{centre.pk}/").content.decode()
    assert "giới hạn 3 số một ngày" in page
    for _n in range(3):
        signed_in(clerk_binh).post(f"/hang-doi/{centre.pk}/boc-so/", {"phone": HOA_PHONE})
    assert QueueTicket.objects.count() == 3
