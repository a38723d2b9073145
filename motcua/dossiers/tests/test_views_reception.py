"""The reception screen (/ho-so/tiep-nhan/) through HTTP, as the centre's receptionist uses it.

Procedure 1.000426 (Sở Tư pháp, 5 working days, no fee) received Monday 02/03/2026 08:00 at
the provincial centre is due Monday 09/03/2026 08:00.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import at, clock

pytestmark = pytest.mark.django_db

URL = "/ho-so/tiep-nhan/"


@pytest.fixture
def desk_client(clerk_binh: Any) -> Client:
    client = Client()
    client.force_login(clerk_binh)
    return client


def form_data(**changes: str) -> dict[str, str]:
    docs = {f"doc_{d.pk}": "on" for d in Procedure.objects.get(code="1.000426").documents.all()}
    counts = {
        f"doc_{d.pk}_{kind}": str(getattr(d, kind))
        for d in Procedure.objects.get(code="1.000426").documents.all()
        for kind in ("originals", "copies")
    }
    data = {
        "procedure": "1.000426",
        "action": "receive",
        "applicant_kind": "citizen",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "087090001234",
        "applicant_phone": "0912 345 678",
        "applicant_email": "an@example.vn",
        "applicant_address": "12 Lý Thường Kiệt, phường Cao Lãnh",
        "channel": "direct",
        "result_delivery": "desk",
        "sets": "1",
        **docs,
        **counts,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_search_as_you_type_lists_procedures_the_desk_accepts(desk_client):
    response = desk_client.get(f"{URL}thu-tuc/", {"q": "cap the tu van vien phap luat"})
    assert response.status_code == 200
    assert "1.000426" in response.text
    assert "?thu_tuc=1.000426" in response.text
    assert "<html" not in response.text  # a fragment for htmx


def test_enter_on_a_code_goes_straight_to_the_checklist(desk_client):
    response = desk_client.get(URL, {"q": "1.000426"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?thu_tuc=1.000426"


def test_checklist_comes_from_the_catalogue(desk_client):
    response = desk_client.get(URL, {"thu_tuc": "1.000426"})
    assert response.status_code == 200
    for doc in Procedure.objects.get(code="1.000426").documents.all():
        assert doc.name in response.text
    assert "5 ngày làm việc" in response.text
    assert 'name="applicant_id_number"' in response.text
    assert "autofocus" in response.text


def test_receive_creates_the_dossier_and_opens_its_page_with_form_01(desk_client):
    with clock(at(2026, 3, 2, 8, 0)):
        response = desk_client.post(URL, form_data())
    dossier = Dossier.objects.get(applicant_name="Nguyễn Văn An", procedure__code="1.000426")
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{dossier.code}/"
    assert dossier.due_at == at(2026, 3, 9, 8, 0)
    assert dossier.applicant_phone == "0912345678"
    assert dossier.documents.count() == 3
    page = desk_client.get(response["Location"])
    assert f"/ho-so/{dossier.code}/mau-01/" in page.text
    assert "Đã tiếp nhận hồ sơ" in page.text


def test_errors_are_shown_next_to_fields_and_nothing_is_created(desk_client):
    before = Dossier.objects.count()
    data = form_data(applicant_name="", applicant_phone="12345")
    data = {k: v for k, v in data.items() if not (k.startswith("doc_") and k.count("_") == 1)}
    response = desk_client.post(URL, data)
    assert response.status_code == 422
    assert Dossier.objects.count() == before
    assert 'role="alert"' in response.text
    assert "Cần nhập thông tin này." in response.text
    assert "Số điện thoại gồm 10 hoặc 11 chữ số" in response.text
    assert "Chưa đánh dấu giấy tờ nào đã nhận." in response.text
    assert 'aria-invalid="true"' in response.text


def test_postal_return_needs_an_address(desk_client):
    response = desk_client.post(URL, form_data(result_delivery="postal", applicant_address=""))
    assert response.status_code == 422
    assert "Nhận kết quả qua bưu chính cần địa chỉ." in response.text


def test_refusal_needs_a_reason_then_is_recorded(desk_client):
    response = desk_client.post(URL, form_data(action="refuse"))
    assert response.status_code == 422
    assert "Cần nêu lý do từ chối tiếp nhận." in response.text
    response = desk_client.post(URL, form_data(action="refuse", refuse_reason="Hồ sơ giả mạo"))
    dossier = Dossier.objects.get(applicant_name="Nguyễn Văn An", status="refused")
    assert response["Location"] == f"/ho-so/{dossier.code}/"
    assert "Hồ sơ giả mạo" in desk_client.get(response["Location"]).text


def test_known_id_number_recalls_the_applicant(desk_client, received):
    received(name="Trần Thị Bích", id_number="087090005555", phone="0987654321")
    response = desk_client.post(
        f"{URL}chu-ho-so/",
        {"applicant_id_number": "087090005555", "applicant_name": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'value="Trần Thị Bích"' in response.text
    assert 'value="0987654321"' in response.text


def test_staff_without_a_desk_cannot_receive(specialist_chi):
    client = Client()
    client.force_login(specialist_chi)
    response = client.get(URL)
    assert response.status_code == 403
    assert "không làm việc tại bộ phận một cửa" in response.text


def test_unknown_procedure_is_said_in_vietnamese(desk_client):
    response = desk_client.get(URL, {"thu_tuc": "9.999999"})
    assert response.status_code == 404
    assert "không có hoặc không được tiếp nhận" in response.text
