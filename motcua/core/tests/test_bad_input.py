"""Inputs the database cannot hold get a clear 400/422 and change nothing; none is a 500.

Each case is one an auditor found giving HTTP 500 (docs/security.md "Bad input")."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.dossiers.models import Dossier, Payment
from motcua.dossiers.tests.fixtures import at, clock, ready
from motcua.dossiers.tokens import create_token
from motcua.org.models import Desk, DeskKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    "path", ["/api/v1/lookup/%00", "/tra-cuu/%00/", "/thu-tuc/%00/", "/tra-cuu/?ma=ab%00c"]
)
def test_a_nul_in_an_address_is_a_400(path):
    response = Client().get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == "bad_request"
    else:
        assert "không hợp lệ" in response.content.decode()


def test_a_nul_in_a_staff_note_is_refused_and_changes_nothing(received, clerk_binh):
    dossier = received()
    client = Client()
    client.force_login(clerk_binh)
    with clock(at(2026, 3, 2, 9, 0)):
        response = client.post(
            f"/ho-so/{dossier.code}/thao-tac/forward/", {"forward-note": "chuyển\x00 tiếp"}
        )
    assert response.status_code == 400
    assert Dossier.objects.get(pk=dossier.pk).status == "received"


def api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user)}")


def create(client, **changes):
    body = {
        "procedure": "1.000426",
        "desk": Desk.objects.get(kind=DeskKind.CENTRE).pk,
        "channel": "direct",
        "applicant": {"kind": "citizen", "name": "Trần Thị Mai", "phone": "0901234567"},
        "result_delivery": "desk",
        **changes,
    }
    return client.post("/api/v1/dossiers", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "changes",
    [
        {"delivery_address": "x" * 501},
        {"summary": "x" * 1001},
        {"applicant": {"kind": "citizen", "name": "A\x00n"}},
        {"applicant": {"kind": "citizen", "name": "An \ud800"}},
        {"desk": 2**63},
        {"received_at": "9999-12-31T08:00:00+07:00"},
        {"received_at": "0001-01-01T08:00:00+07:00"},
        {"received_at": "1925-03-02T08:00:00+07:00"},  # its code would be a 2025 dossier's
    ],
)
def test_the_api_refuses_what_the_database_cannot_hold(clerk_binh, changes):
    before = Dossier.objects.count()
    response = create(api(clerk_binh), **changes)
    assert response.status_code in {400, 422}, response.content
    assert "error" in response.json()
    assert Dossier.objects.count() == before


def test_payment_amounts_and_references_past_their_columns(received, clerk_binh, justice):
    dossier = received(code="1.000688")
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = ready(dossier)
    client = api(clerk_binh)
    url = f"/api/v1/dossiers/{dossier.code}/actions/record_payment"
    for body in (
        {"amount_vnd": 2**63, "reference": "VNP-1"},
        {"amount_vnd": 10_000, "reference": "R" * 101},
        {"amount_vnd": -1, "reference": "VNP-2"},
    ):
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code in {400, 422}, (body, response.content)
    assert not Payment.objects.filter(dossier=dossier).exists()


def test_a_huge_offset_is_a_400():
    response = Client().get("/api/v1/procedures", {"offset": 10**30})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_pagination"


@pytest.mark.parametrize("moment", ["9999-12-31T08:00:00+07:00", "0001-01-01"])
def test_a_due_date_question_outside_the_calendar_is_a_400(moment):
    response = Client().get("/api/v1/procedures/1.000426", {"received_at": moment})
    assert response.status_code == 400


def test_a_webhook_text_with_nul_is_stored_without_it(db):
    from motcua.hotline.actions import receive_message
    from motcua.hotline.inbound import InboundMessage

    result = receive_message(
        message=InboundMessage(
            channel="zalo",
            external_id="zalo-msg-\x00-1",
            sender_id="zalo-user\x00",
            sender_name="An\x00",
            text="Xin hỏi\x00 thủ tục \ud800khai sinh",
        )
    )
    assert "\x00" not in result.ticket.body and "khai sinh" in result.ticket.body


def test_a_session_cookie_holding_a_nul_is_dropped_not_a_500():
    client = Client()
    client.cookies["sessionid"] = "abcdefghijkl\x00x"
    for path in ("/", "/tra-cuu/", "/ho-so-cua-toi/"):
        assert client.get(path).status_code in {200, 302}


def test_screens_refuse_what_the_calendar_and_the_columns_cannot_hold(
    received, clerk_binh, specialist_chi
):
    from motcua.dossiers.actions import forward_dossier

    dossier = received()
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    client = Client()
    client.force_login(specialist_chi)
    with clock(at(2026, 3, 10, 9, 0)):
        apology = client.post(
            f"/ho-so/{dossier.code}/thao-tac/apologise/",
            {"apologise-reason": "Chậm", "apologise-new_due_at": "31/12/9999 08:00"},
        )
        payment = client.post(
            f"/ho-so/{dossier.code}/thao-tac/request_payment/",
            {"request_payment-amount_vnd": "²"},
        )
        huge = client.post(
            f"/ho-so/{dossier.code}/thao-tac/request_payment/",
            {"request_payment-amount_vnd": "9" * 25},
        )
    assert (apology.status_code, payment.status_code, huge.status_code) == (422, 422, 422)
    assert Dossier.objects.get(pk=dossier.pk).apologised is False
    # The dossier page still opens (a year-9999 date once broke it for everyone).
    assert client.get(f"/ho-so/{dossier.code}/").status_code == 200


@pytest.mark.parametrize("path", ["/ho-so/so-theo-doi/?desk=²", "/bao-cao/tong-dai/?agency=²"])
def test_a_superscript_digit_is_not_an_id(path, admin_anh):
    client = Client()
    client.force_login(admin_anh)
    assert client.get(path).status_code == 400
