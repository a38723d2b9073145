"""The citizen does not write ("Công dân không viết"): the desk recalls the citizen by ID number
or phone, reuses documents digitised before, and prints the application for the citizen to sign."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client

from motcua.accounts.models import CitizenProfile
from motcua.dossiers.actions import ActionError, ReceivedDocument, receive_dossier
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.tests.fixtures import application, at, clock, make_user
from motcua.dossiers.tests.test_views_reception import form_data
from motcua.org.models import Role

pytestmark = pytest.mark.django_db

URL = "/ho-so/tiep-nhan/"
AN = "087090001234"


@pytest.fixture
def desk_client(clerk_binh: Any) -> Client:
    client = Client()
    client.force_login(clerk_binh)
    return client


@pytest.fixture
def digitised(received: Any, settings: Any, tmp_path: Any) -> Any:
    """The "Tờ khai" of a dossier received 02/03/2026, digitised (a stored file)."""
    settings.MEDIA_ROOT = tmp_path

    def make(id_number: str = AN, name: str = "Nguyễn Văn An") -> DossierDocument:
        dossier = received(id_number=id_number, name=name)
        document = dossier.documents.get()
        document.file.save("to-khai.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
        document.digitised = True
        document.save(update_fields=["digitised"])
        return document

    return make


def test_lookup_by_phone_prefills_from_the_citizens_profile(desk_client):
    user = get_user_model().objects.create_user(username="cong_dan_hoa")
    CitizenProfile.objects.create(
        user=user,
        full_name="Lê Thị Hoa",
        id_number="087190004321",
        phone="0901234567",
        address="5 Nguyễn Huệ, phường Mỹ Tho",
        date_of_birth=dt.date(1990, 5, 17),
    )
    response = desk_client.post(
        f"{URL}chu-ho-so/",
        {"applicant_phone": "0901 234 567", "applicant_id_number": "", "procedure": "1.000426"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'value="Lê Thị Hoa"' in response.text
    assert 'value="087190004321"' in response.text
    assert 'value="5 Nguyễn Huệ, phường Mỹ Tho"' in response.text
    assert "tài khoản công dân" in response.text


def test_unknown_phone_recalls_nothing(desk_client):
    response = desk_client.post(
        f"{URL}chu-ho-so/", {"applicant_phone": "0909999999"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204


def test_lookup_offers_the_documents_digitised_before(desk_client, digitised):
    document = digitised()
    response = desk_client.post(
        f"{URL}chu-ho-so/",
        {"applicant_id_number": AN, "procedure": "1.000426"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'name="reuse" value="{document.pk}"' in response.text
    code = document.dossier.code
    assert f"Dùng lại bản số hóa (ngày 02/03/2026, hồ sơ {code})" in response.text


def test_reuse_creates_a_document_with_the_same_file(desk_client, digitised):
    earlier = digitised()
    with clock(at(2026, 3, 3, 9, 0)):
        response = desk_client.post(URL, form_data(reuse=str(earlier.pk)))
    assert response.status_code == 302
    dossier = Dossier.objects.exclude(pk=earlier.dossier_id).get(
        applicant_id_number=AN, procedure__code="1.000426"
    )
    reused = dossier.documents.get(reused=True)
    assert reused.file.name == earlier.file.name
    assert reused.digitised
    assert dossier.documents.filter(reused=False).exists()  # the checklist as ticked


def test_reusing_another_persons_document_is_refused(desk_client, digitised):
    other = digitised(id_number="087090009999", name="Phạm Văn Khác")
    before = Dossier.objects.count(), DossierDocument.objects.count()
    response = desk_client.post(URL, form_data(reuse=str(other.pk)))
    assert response.status_code == 422
    assert "Chỉ dùng lại được bản số hóa của chính chủ hồ sơ này." in response.text
    assert (Dossier.objects.count(), DossierDocument.objects.count()) == before


def test_the_action_refuses_another_persons_document(digitised, centre, clerk_binh):
    other = digitised(id_number="087090009999", name="Phạm Văn Khác")
    before = Dossier.objects.count(), DossierDocument.objects.count()
    base = application("1.000426", centre)
    mine = ReceivedDocument(other.name, reuse_of=other.pk)
    with pytest.raises(ActionError) as refused:
        receive_dossier(
            application=type(base)(**{**base.__dict__, "documents": [mine]}),
            officer=clerk_binh,
        )
    assert refused.value.status == 422
    assert (Dossier.objects.count(), DossierDocument.objects.count()) == before


def test_the_print_page_shows_the_applicant_and_the_signature_block(desk_client, digitised):
    earlier = digitised()
    with clock(at(2026, 3, 3, 9, 0)):
        desk_client.post(URL, form_data(reuse=str(earlier.pk)))
    dossier = Dossier.objects.exclude(pk=earlier.dossier_id).get(applicant_id_number=AN)
    page = desk_client.get(f"/ho-so/{dossier.code}/")
    assert f"/ho-so/{dossier.code}/don/" in page.text
    response = desk_client.get(f"/ho-so/{dossier.code}/don/")
    assert response.status_code == 200
    assert "Đơn đề nghị" in response.text
    assert "Nguyễn Văn An" in response.text and AN in response.text
    assert dossier.procedure.name in response.text
    assert "Người nộp ký, ghi rõ họ tên" in response.text
    assert "Dùng lại bản số hóa" in response.text


def test_another_agencys_clerk_gets_404_on_the_print_page(received, police):
    dossier = received()
    stranger = Client()
    stranger.force_login(make_user("cong_an", police, Role.SPECIALIST))
    assert stranger.get(f"/ho-so/{dossier.code}/don/").status_code == 404
    assert Client().get(f"/ho-so/{dossier.code}/don/").status_code == 302  # to sign in


RECALL = "/ho-so/tiep-nhan/chu-ho-so/"


def test_only_a_desk_officer_recalls_a_citizen(clerk_binh, specialist_chi, django_user_model):
    CitizenProfile.objects.create(
        user=django_user_model.objects.create_user(username="an_profile"),
        full_name="Nguyễn Văn An",
        id_number=AN,
        phone="0912345678",
        address="12 Lý Thường Kiệt",
    )
    asked = {"applicant_id_number": AN}
    citizen = Client()
    citizen.force_login(django_user_model.objects.create_user(username="cong_dan_khac"))
    specialist = Client()
    specialist.force_login(specialist_chi)
    for outsider in (citizen, specialist):
        answer = outsider.post(RECALL, asked, HTTP_HX_REQUEST="true")
        assert answer.status_code == 403
        assert AN not in answer.content.decode() and "Lý Thường Kiệt" not in answer.content.decode()
    desk = Client()
    desk.force_login(clerk_binh)
    assert "Lý Thường Kiệt" in desk.post(RECALL, asked, HTTP_HX_REQUEST="true").content.decode()


def test_recalls_are_limited_per_officer(desk_client, settings, caplog):
    from django.core.cache import cache

    cache.clear()
    settings.RECEPTION_RECALLS_PER_HOUR = 3
    codes = [
        desk_client.post(RECALL, {"applicant_id_number": AN}, HTTP_HX_REQUEST="true").status_code
        for _ in range(4)
    ]
    assert codes[-1] == 429
    # The log says who recalled, never the number asked for.
    assert AN not in caplog.text
    cache.clear()
