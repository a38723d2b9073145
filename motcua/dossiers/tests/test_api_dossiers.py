"""The dossier API (docs/rules/api.md "Endpoints"): create with Idempotency-Key, read, act,
look up."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import at, clock, leader_of, make_user
from motcua.dossiers.tokens import create_token
from motcua.org.models import Agency, Desk, DeskKind, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_api(clerk_binh):
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(clerk_binh)}")


@pytest.fixture
def specialist_api(specialist_chi):
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(specialist_chi)}")


def body(**overrides):
    data = {
        "procedure": "1.000426",
        "desk": Desk.objects.get(kind=DeskKind.CENTRE).pk,
        "channel": "direct",
        "applicant": {"kind": "citizen", "name": "Trần Thị Mai", "phone": "0901234567"},
        "documents": [{"name": "Đơn đề nghị", "original": 1, "copies": 0}],
        "result_delivery": "desk",
    }
    data.update(overrides)
    return data


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def test_create_receives_the_dossier(clerk_api):
    with clock(at(2026, 3, 2, 8, 0)):
        response = post(clerk_api, "/api/v1/dossiers", body())
    assert response.status_code == 201
    created = response.json()
    assert created["national_status"] == 2
    # 5 working days from Monday 02/03/2026 08:00 → Monday 09/03 08:00.
    assert created["due_at"] == "2026-03-09T08:00:00+07:00"
    assert created["code"].startswith("000.00.02.H20-260302-")


def test_same_key_and_body_return_the_same_dossier(clerk_api):
    first = post(clerk_api, "/api/v1/dossiers", body(), HTTP_IDEMPOTENCY_KEY="k-1")
    count = Dossier.objects.count()
    again = post(clerk_api, "/api/v1/dossiers", body(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == count


def test_same_key_with_another_body_is_409(clerk_api):
    post(clerk_api, "/api/v1/dossiers", body(), HTTP_IDEMPOTENCY_KEY="k-2")
    other = body(applicant={"kind": "citizen", "name": "Người khác"})
    response = post(clerk_api, "/api/v1/dossiers", other, HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"


def test_without_a_token_is_401():
    response = post(Client(), "/api/v1/dossiers", body())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_revoked_or_made_up_token_is_401(clerk_binh):
    client = Client(HTTP_AUTHORIZATION="Bearer mc_not-a-real-token")
    assert client.get("/api/v1/dossiers/x").status_code == 401


def test_unknown_procedure_is_422_in_vietnamese(clerk_api):
    response = post(clerk_api, "/api/v1/dossiers", body(procedure="9.999999"))
    assert response.status_code == 422
    assert "Không tìm thấy thủ tục" in response.json()["error"]["message"]


def test_malformed_body_is_422_not_500(clerk_api):
    response = post(clerk_api, "/api/v1/dossiers", body(channel="pigeon"))
    assert response.status_code == 422
    response = clerk_api.post("/api/v1/dossiers", "{not json", content_type="application/json")
    assert response.status_code in {400, 422}


def test_a_desk_that_is_not_yours_is_refused(specialist_api):
    response = post(specialist_api, "/api/v1/dossiers", body())
    assert response.status_code == 403


def test_actions_move_the_dossier_and_wrong_ones_are_409(clerk_api, specialist_api, justice):
    code = post(clerk_api, "/api/v1/dossiers", body()).json()["code"]
    moved = post(clerk_api, f"/api/v1/dossiers/{code}/actions/forward", {"note": "Chuyển"})
    assert moved.status_code == 200
    assert moved.json()["national_status"] == 4
    assert moved.json()["current_agency"]["name"] == "Sở Tư pháp"

    # Allowed in this status, but the desk's to take: 403. Not allowed in it at all: 409.
    wrong = post(specialist_api, f"/api/v1/dossiers/{code}/actions/withdraw", {"reason": "Rút"})
    assert wrong.status_code == 403
    early_return = post(specialist_api, f"/api/v1/dossiers/{code}/actions/return_result", {})
    assert early_return.status_code == 409
    # The specialist appraises; approving is the leader's step, not hers.
    early = post(specialist_api, f"/api/v1/dossiers/{code}/actions/mark_result_ready", {})
    assert early.status_code in {403, 409}
    assert post(specialist_api, f"/api/v1/dossiers/{code}/actions/forward", {}).status_code == 200
    leader_api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(leader_of(justice))}")
    ready = post(leader_api, f"/api/v1/dossiers/{code}/actions/mark_result_ready", {})
    assert ready.status_code == 200
    again = post(leader_api, f"/api/v1/dossiers/{code}/actions/mark_result_ready", {})
    assert again.status_code in {403, 409}
    returned = post(clerk_api, f"/api/v1/dossiers/{code}/actions/return_result", {"x": 1})
    assert returned.json()["national_status"] == 10
    late = post(clerk_api, f"/api/v1/dossiers/{code}/actions/withdraw", {"reason": "Rút"})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "invalid_transition"


def test_unknown_action_is_404(clerk_api):
    code = post(clerk_api, "/api/v1/dossiers", body()).json()["code"]
    assert post(clerk_api, f"/api/v1/dossiers/{code}/actions/teleport", {}).status_code == 404


def test_supplement_without_items_is_422(clerk_api, specialist_api):
    code = post(clerk_api, "/api/v1/dossiers", body()).json()["code"]
    post(clerk_api, f"/api/v1/dossiers/{code}/actions/forward", {})
    response = post(
        specialist_api, f"/api/v1/dossiers/{code}/actions/request_supplement", {"reason": "Thiếu"}
    )
    assert response.status_code == 422


def test_read_carries_the_events(clerk_api):
    code = post(clerk_api, "/api/v1/dossiers", body()).json()["code"]
    detail = clerk_api.get(f"/api/v1/dossiers/{code}").json()
    assert [e["kind"] for e in detail["events"]] == ["receive"]


def test_another_agency_sees_404(clerk_api):
    code = post(clerk_api, "/api/v1/dossiers", body()).json()["code"]
    stranger = make_user("clerk_police", Agency.objects.get(code="000.00.33.H20"), Role.SPECIALIST)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(stranger)}")
    missing = client.get("/api/v1/dossiers/000.00.02.H20-000000-0000")
    forbidden = client.get(f"/api/v1/dossiers/{code}")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_public_lookup_masks_the_applicant(clerk_api):
    cache.clear()
    code = post(clerk_api, "/api/v1/dossiers", body()).json()["code"]
    found = Client().get(f"/api/v1/lookup/{code}", {"check": "4567"}).json()
    assert found["applicant"] == "Trần T. M."
    assert found["national_status"] == 2
    assert "phone" not in json.dumps(found)


def test_the_code_alone_shows_only_the_status_and_its_dates(clerk_api):
    cache.clear()
    code = post(clerk_api, "/api/v1/dossiers", body()).json()["code"]
    alone = Client().get(f"/api/v1/lookup/{code}").json()
    assert set(alone) == {
        "code",
        "status",
        "status_label",
        "national_status",
        "received_at",
        "due_at",
        "returned_at",
    }
    wrong = Client().get(f"/api/v1/lookup/{code}", {"check": "0000"}).json()
    assert wrong == alone  # a wrong check answers as if it were absent
    secret = Dossier.objects.get(code=code).lookup_secret
    with_qr = Client().get(f"/api/v1/lookup/{code}", {"check": secret}).json()
    assert with_qr["procedure_code"] == "1.000426" and with_qr["applicant"] == "Trần T. M."


@override_settings(LOOKUP_CHECKS_PER_CODE=5, LOOKUP_CHECKS_PER_CLIENT=100)
def test_guessing_the_four_digits_is_cut_off_per_code(clerk_api):
    cache.clear()
    code = post(clerk_api, "/api/v1/dossiers", body()).json()["code"]
    for guess in range(5):
        Client(REMOTE_ADDR=f"203.0.113.{guess}").get(
            f"/api/v1/lookup/{code}", {"check": f"{guess:04d}"}
        )
    # Even the right digits, from yet another address, no longer open it today.
    late = Client(REMOTE_ADDR="198.51.100.1").get(f"/api/v1/lookup/{code}", {"check": "4567"})
    assert "applicant" not in late.json()
    cache.clear()


@override_settings(LOOKUP_RATE_PER_MINUTE=3)
def test_public_lookup_is_rate_limited():
    cache.clear()
    client = Client(REMOTE_ADDR="203.0.113.9")
    codes = [client.get("/api/v1/lookup/nothing").status_code for _ in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_create_api_token_prints_a_working_token(clerk_binh):
    out = io.StringIO()
    call_command("create_api_token", "tiepnhan", stdout=out)
    token = out.getvalue().strip()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert post(client, "/api/v1/dossiers", body()).status_code == 201


def test_tokens_expire_are_revoked_and_end_with_the_role(clerk_binh):
    from motcua.dossiers.models import ApiToken
    from motcua.org.models import Membership

    token = create_token(clerk_binh, name="bưu điện")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/dossiers/KHONG-CO").status_code == 404  # signed in
    ApiToken.objects.filter(user=clerk_binh).update(revoked=True)
    assert client.get("/api/v1/dossiers/KHONG-CO").status_code == 401
    token = create_token(clerk_binh)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with clock(at(2027, 12, 31, 8, 0)):  # past API_TOKEN_DAYS
        assert client.get("/api/v1/dossiers/KHONG-CO").status_code == 401
    Membership.objects.filter(user=clerk_binh).update(active=False)
    assert client.get("/api/v1/dossiers/KHONG-CO").status_code == 401


def test_citizens_get_no_token(django_user_model):
    django_user_model.objects.create_user(username="cong_dan_an")
    with pytest.raises(CommandError):
        call_command("create_api_token", "cong_dan_an", stdout=io.StringIO())


def test_an_administrator_revokes_a_token_in_the_admin(clerk_binh, admin_anh):
    from motcua.dossiers.models import ApiToken

    token = create_token(clerk_binh, name="ứng dụng di động")
    row = ApiToken.objects.get(user=clerk_binh)
    admin = Client()
    admin.force_login(admin_anh)
    listing = admin.get("/admin/dossiers/apitoken/").content.decode()
    assert "ứng dụng di động" in listing and token not in listing
    admin.post("/admin/dossiers/apitoken/", {"action": "revoke", "_selected_action": [row.pk]})
    assert ApiToken.objects.get(pk=row.pk).revoked
