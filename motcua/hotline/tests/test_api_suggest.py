"""POST /api/v1/hotline/suggest (docs/rules/api.md "Endpoints")."""

from __future__ import annotations

import pytest

from motcua.dossiers.tokens import NotAnOfficerError
from motcua.dossiers.tokens import create_token as create_api_token
from motcua.hotline import routing

pytestmark = pytest.mark.django_db


def post(client, token, body):
    return client.post(
        "/api/v1/hotline/suggest",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_suggests_sectors_and_agencies_best_first(client, operator_ha):
    # Retrain on this test's database: earlier tests' tickets (rolled back) may still be in
    # the model, which learns from tickets at most every ten minutes.
    routing.invalidate()
    token = create_api_token(operator_ha)
    answer = post(client, token, {"text": "cho em hỏi làm lại giấy khai sinh bị mất"})
    assert answer.status_code == 200
    items = answer.json()["suggestions"]
    assert 1 <= len(items) <= 5
    assert items[0]["sector"] == "Hộ tịch"
    confidences = [item["confidence"] for item in items]
    assert confidences == sorted(confidences, reverse=True)


def test_empty_text_is_refused_in_the_error_envelope(client, operator_ha):
    answer = post(client, create_api_token(operator_ha), {"text": "  "})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "required"


def test_needs_a_token_of_hotline_or_agency_staff(client, police_officer, django_user_model):
    anonymous = client.post("/api/v1/hotline/suggest", {"text": "x"}, "application/json")
    assert anonymous.status_code == 401
    assert post(client, create_api_token(police_officer), {"text": "hỏi"}).status_code == 200
    outsider = django_user_model.objects.create_user(username="no_role")
    with pytest.raises(NotAnOfficerError):  # no role, no token: nothing to ask with
        create_api_token(outsider)
