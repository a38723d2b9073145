"""``POST`` and ``GET /api/v1/dossiers/{code}/postal``: the shapes, the door, the
Idempotency-Key (docs/postal.md "API"; docs/rules/api.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.tokens import create_token
from motcua.postal.models import PostalOrder
from motcua.postal.tests.conftest import CAO_LANH

pytestmark = pytest.mark.django_db

BODY = {
    "service": "delivery",
    "address": {"line": "12 Lý Thường Kiệt, khóm 3", "unit_code": CAO_LANH},
    "contact": {"name": "Nguyễn Văn An", "phone": "0912 345 678"},
}


@pytest.fixture(autouse=True)
def _tuesday() -> Any:
    with time_machine.travel("2026-03-03T09:00:00+07:00", tick=False):
        yield


def session(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user)}")


def post(client: Client, code: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(
        f"/api/v1/dossiers/{code}/postal",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_the_citizen_orders_both_services_from_their_session(submitted, an):
    response = post(session(an), submitted.code, {**BODY, "service": "both"})
    assert response.status_code == 201
    items = response.json()["items"]
    assert [i["service"] for i in items] == ["pickup", "delivery"]
    assert {i["status"] for i in items} == {"registered"}
    assert {i["channel"] for i in items} == {"portal"}
    assert [i["fee_vnd"] for i in items] == [30_000, 30_000]
    assert items[0]["tracking_number"] is None

    listed = session(an).get(f"/api/v1/dossiers/{submitted.code}/postal")
    assert listed.status_code == 200
    orders = listed.json()["items"]
    assert [o["id"] for o in orders] == [i["id"] for i in items]
    assert orders[1]["address"] == {
        "line": "12 Lý Thường Kiệt, khóm 3",
        "unit_code": CAO_LANH,
        "unit_name": "Phường Cao Lãnh",
    }
    assert orders[1]["events"] == []
    assert "0912345678" not in listed.content.decode()


def test_one_service_answers_one_order(justice_dossier, operator_ha):
    response = post(bearer(operator_ha), justice_dossier.code, BODY)
    assert response.status_code == 201
    body = response.json()
    assert {"id", "service", "status", "fee_vnd", "tracking_number"} <= set(body)
    assert (body["service"], body["channel"]) == ("delivery", "hotline")
    again = post(bearer(operator_ha), justice_dossier.code, BODY)
    assert (again.status_code, again.json()["id"]) == (200, body["id"])


def test_a_commune_desk_registers_for_a_departments_dossier_through_the_api(
    justice_dossier, commune_clerk
):
    response = post(bearer(commune_clerk), justice_dossier.code, BODY)
    assert (response.status_code, response.json()["channel"]) == (201, "desk")
    # It finds the postal orders, not the dossier itself.
    assert bearer(commune_clerk).get(f"/api/v1/dossiers/{justice_dossier.code}").status_code == 404


def test_the_post_office_registers_with_its_channel(justice_dossier, postman_khoa):
    response = post(session(postman_khoa), justice_dossier.code, BODY)
    assert (response.status_code, response.json()["channel"]) == (201, "post_office")


def test_an_idempotency_key_replays_the_first_answer(justice_dossier, clerk_binh):
    client = bearer(clerk_binh)
    first = post(client, justice_dossier.code, BODY, HTTP_IDEMPOTENCY_KEY="k-1")
    replay = post(client, justice_dossier.code, BODY, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert PostalOrder.objects.filter(dossier=justice_dossier).count() == 1

    other = {**BODY, "note": "Giao giờ hành chính"}
    reused = post(client, justice_dossier.code, other, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (reused.status_code, reused.json()["error"]["code"]) == (409, "idempotency_key_reused")


def test_a_different_registration_of_an_ordered_service_is_409(justice_dossier, clerk_binh):
    client = bearer(clerk_binh)
    assert post(client, justice_dossier.code, BODY).status_code == 201
    other = {**BODY, "contact": {"name": "Trần Thị Bình", "phone": "0987654321"}}
    response = post(client, justice_dossier.code, other)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "already_ordered"
    assert error["message"].startswith("Hồ sơ")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({**BODY, "contact": {"name": "An", "phone": "12"}}, 422, "bad_phone"),
        (
            {**BODY, "address": {"line": "1 Tràng Tiền", "unit_code": "99999"}},
            422,
            "unit_not_found",
        ),
        ({**BODY, "service": "teleport"}, 422, "validation_error"),
        ({**BODY, "address": {"line": "x" * 300, "unit_code": CAO_LANH}}, 422, "validation_error"),
        ({"service": "delivery"}, 422, "validation_error"),
        ({**BODY, "service": "pickup"}, 409, "postal_not_allowed"),
    ],
)
def test_bad_input_answers_in_the_error_envelope(justice_dossier, clerk_binh, body, status, code):
    response = post(bearer(clerk_binh), justice_dossier.code, body)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert not PostalOrder.objects.exists()


def test_a_failed_second_service_leaves_no_first_one(justice_dossier, clerk_binh):
    response = post(bearer(clerk_binh), justice_dossier.code, {**BODY, "service": "both"})
    assert response.status_code == 409  # pickup after reception
    assert not PostalOrder.objects.exists()


def test_the_door_answers_404_for_missing_and_not_yours(justice_dossier, an, specialist_chi):
    assert post(session(an), justice_dossier.code, BODY).status_code == 404
    assert post(session(an), "KHONG-CO", BODY).status_code == 404
    assert Client().get(f"/api/v1/dossiers/{justice_dossier.code}/postal").status_code == 401
    assert post(bearer(specialist_chi), "KHONG-CO", BODY).status_code == 404


def test_the_routes_are_in_the_openapi_document(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    operations = paths["/api/v1/dossiers/{code}/postal"]
    assert set(operations) == {"get", "post"}
    assert "409" in operations["post"]["responses"]
