"""The appointment endpoints (docs/appointments.md, docs/rules/api.md): shapes, the error
envelope, the rate limit of the public booking."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.appointments.models import Appointment, AppointmentStatus, Slot
from motcua.dossiers.tokens import create_token

pytestmark = pytest.mark.django_db

SLOTS = "/api/v1/appointments/slots"
BOOK = "/api/v1/appointments"


def body(on: Slot, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slot": on.pk,
        "procedure": "1.000426",
        "purpose": "submit",
        "contact": {"name": "Nguyễn Thị Hoa", "phone": "0912345678"},
    }
    data.update(over)
    return data


def post(client: Client, path: str, data: Any) -> Any:
    return client.post(path, data, content_type="application/json")


def test_slots_with_room_earliest_first(now, api, desk_slots, home_slot, centre, ward):
    Slot.objects.filter(pk=desk_slots[1].pk).update(booked=5)
    answer = api.get(SLOTS, {"kind": "desk", "desk": centre.pk, "date": "2026-12-02"})
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [i["id"] for i in items] == [desk_slots[0].pk, desk_slots[2].pk]
    assert items[0] == {
        "id": desk_slots[0].pk,
        "start": "2026-12-02T08:00:00+07:00",
        "end": "2026-12-02T08:30:00+07:00",
        "remaining": 5,
    }
    homes = api.get(SLOTS, {"kind": "home", "unit": ward.code}).json()["items"]
    assert [i["id"] for i in homes] == [home_slot.pk]
    assert api.get(SLOTS, {"kind": "home", "date": "2026-12-03"}).json() == {"items": []}


def test_slots_refuse_bad_filters_in_the_envelope(now, api):
    bad_date = api.get(SLOTS, {"date": "31/02/2026"})
    assert bad_date.status_code == 400
    assert bad_date.json()["error"]["code"] == "bad_request"
    assert api.get(SLOTS, {"kind": "boat"}).status_code == 400
    unknown = api.get(SLOTS, {"procedure": "9.999999"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "procedure_not_found"


def test_book_a_home_visit_and_cancel_it(now, api, home_slot, ward):
    answer = post(
        api, BOOK, body(home_slot, address={"line": "12 Nguyễn Huệ", "unit_code": ward.code})
    )
    assert answer.status_code == 201, answer.json()
    created = answer.json()
    assert created["status"] == "booked"
    assert created["start"] == "2026-12-02T08:00:00+07:00"
    assert created["cancel_url"].endswith(f"/api/v1/appointments/{created['id']}/cancel")
    assert "0912345678" not in created["cancel_url"]
    appointment = Appointment.objects.get(pk=created["id"])
    assert appointment.channel == "api" and appointment.booked_by is None
    cancel = created["cancel_url"].split("testserver")[-1].split("8000")[-1]
    wrong = post(api, cancel, {"token": "khong-dung"})
    assert wrong.status_code == 404
    assert wrong.json()["error"]["code"] == "not_found"
    for _ in range(2):
        done = post(api, cancel, {"token": created["cancel_token"]})
        assert done.status_code == 200
        assert done.json() == {"id": created["id"], "status": AppointmentStatus.CANCELLED}
    home_slot.refresh_from_db()
    assert home_slot.booked == 0


def test_a_full_slot_is_409(now, api, home_slot, ward):
    Slot.objects.filter(pk=home_slot.pk).update(booked=2)
    answer = post(
        api, BOOK, body(home_slot, address={"line": "12 Nguyễn Huệ", "unit_code": ward.code})
    )
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "slot_full"
    assert error["message"]


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"procedure": "9.999999"}, "procedure_not_found"),
        ({"contact": {"name": "Hoa", "phone": "12345"}}, "bad_phone"),
        ({"purpose": "gossip"}, "validation_error"),
        ({"slot": 0}, "validation_error"),
        ({"slot": 10**12}, "slot_not_found"),
        ({"contact": {"name": "Hoa"}}, "validation_error"),
        ({"address": {"line": "1", "unit_code": "00000"}}, "unit_not_found"),
        ({"dossier": "000.00.00.H00-261201-0001"}, "dossier_not_found"),
    ],
)
def test_bad_bookings_are_422(now, api, desk_slots, over, code):
    answer = post(api, BOOK, body(desk_slots[0], **over))
    assert answer.status_code == 422, answer.json()
    assert answer.json()["error"]["code"] == code
    assert Appointment.objects.count() == 0


def test_a_body_that_is_not_json_is_refused(now, api):
    answer = api.post(BOOK, "{", content_type="application/json")
    assert answer.status_code in (400, 422)
    assert "error" in answer.json()


def test_a_home_visit_outside_the_area_is_422(now, api, home_slot, centre):
    province = centre.unit  # the provincial centre's unit: not the ward the slot serves
    address = {"line": "1 Lê Lợi", "unit_code": province.code}
    answer = post(api, BOOK, body(home_slot, address=address))
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "unit_not_served"
    assert answer.json()["error"]["details"] == {"field": "address.unit_code"}


def test_public_bookings_are_rate_limited(now, api, desk_slots, settings):
    settings.APPOINTMENTS_BOOKINGS_PER_HOUR = 2
    phones = ["0912345678", "0987654321", "0901234567"]
    answers = [
        post(api, BOOK, body(desk_slots[0], contact={"name": "Khách", "phone": p})) for p in phones
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json()["error"]["code"] == "rate_limited"
    assert answers[2]["Retry-After"]


def test_a_signed_in_session_books_as_its_user_after_the_csrf_check(now, desk_slots, clerk_binh):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_binh)
    refused = post(client, BOOK, body(desk_slots[0]))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    client.get("/")
    token = client.cookies["csrftoken"].value
    answer = client.post(
        BOOK, body(desk_slots[0]), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert answer.status_code == 201, answer.json()
    appointment = Appointment.objects.get(pk=answer.json()["id"])
    assert appointment.booked_by == clerk_binh
    assert appointment.channel == "portal"


def test_staff_book_with_their_token(now, api, desk_slots, clerk_binh):
    token = create_token(clerk_binh)
    answer = api.post(
        BOOK,
        body(desk_slots[0]),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 201, answer.json()
    appointment = Appointment.objects.get(pk=answer.json()["id"])
    assert (appointment.booked_by, appointment.channel) == (clerk_binh, "api")


def test_a_wrong_bearer_token_is_401(now, api, desk_slots):
    answer = api.post(
        BOOK, body(desk_slots[0]), content_type="application/json", HTTP_AUTHORIZATION="Bearer nope"
    )
    assert answer.status_code == 401


def test_the_openapi_document_lists_the_endpoints(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/appointments/slots" in paths
    assert "409" in paths["/api/v1/appointments"]["post"]["responses"]
    assert "/api/v1/appointments/{appointment_id}/cancel" in paths
