"""The online application (/thu-tuc/<code>/nop/): prefill, uploads checked by content,
one dossier per submission."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import CitizenProfile
from motcua.core.tests import samples
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import at, clock
from motcua.portal.models import Draft, DraftFile
from motcua.portal.tests.conftest import PDF, centre, documents_of, pdf, png, png_cut_short

pytestmark = pytest.mark.django_db

URL = "/thu-tuc/1.000426/nop/"


def filled(client: Client, user: Any, **changes: Any) -> dict[str, Any]:
    client.get(URL)
    token = Draft.objects.get(user=user, procedure__code="1.000426").submit_token
    a, b, c = documents_of("1.000426")
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "087090001234",
        "applicant_phone": "0912 345 678",
        "applicant_email": "an@example.vn",
        "applicant_address": "12 Lý Thường Kiệt, phường Cao Lãnh",
        "desk": str(centre().pk),
        "result_delivery": "online",
        "delivery_address": "",
        "token": token,
        "action": "submit",
        f"doc_{a}": pdf("xac-nhan.pdf"),
        f"doc_{b}": png("don.png"),
        f"doc_{c}": pdf("bang.pdf"),
    }
    data.update(changes)
    return data


def test_sign_in_first_at_the_citizen_page():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/?next=")


def test_form_is_prefilled_from_the_profile(an, citizen_an):
    CitizenProfile.objects.create(
        user=citizen_an,
        full_name="Nguyễn Văn An",
        id_number="087090001234",
        phone="0912345678",
        address="12 Lý Thường Kiệt",
    )
    html = an.get(URL).text
    for value in ("Nguyễn Văn An", "087090001234", "0912345678", "12 Lý Thường Kiệt"):
        assert f'value="{value}"' in html
    assert 'value="an@example.vn"' in html  # from the account when the profile has none


def test_without_profiles_the_account_fills_name_and_email(an):
    html = an.get(URL).text
    assert 'value="Nguyễn Văn An"' in html and 'value="an@example.vn"' in html


def test_valid_submission_creates_one_dossier_with_status_1(an, citizen_an):
    with clock(at(2026, 3, 2, 9, 0)):
        response = an.post(URL, filled(an, citizen_an))
    dossier = Dossier.objects.get(created_by=citizen_an)
    assert response.status_code == 302 and response["Location"].endswith(f"/{dossier.code}/da-nop/")
    assert dossier.national_status == 1 and dossier.channel == "online"
    assert dossier.applicant_phone == "0912345678"
    documents = list(dossier.documents.all())
    assert len(documents) == 3 and all(d.digitised and d.file for d in documents)
    assert documents[1].file.name.endswith(".png")
    assert documents[0].file.read() == PDF
    page = an.get(response["Location"]).text
    assert dossier.code in page and "bản chính" in page  # partial online: bring originals


def test_double_submission_of_the_same_draft_creates_one_dossier(an, citizen_an):
    data = filled(an, citizen_an)
    first = an.post(URL, data)
    again = an.post(URL, {**data, **{k: pdf() for k in data if k.startswith("doc_")}})
    assert Dossier.objects.filter(created_by=citizen_an).count() == 1
    assert again.status_code == 302 and again["Location"] == first["Location"]


def test_oversized_upload_is_refused_and_nothing_is_created(an, citizen_an, settings):
    settings.PORTAL_UPLOAD_MAX_MB = 1
    a = documents_of("1.000426")[0]
    big = pdf("scan.pdf", PDF[:-6] + b"0" * (1024 * 1024) + b"%%EOF\n")
    response = an.post(URL, filled(an, citizen_an, **{f"doc_{a}": big}))
    assert response.status_code == 422
    assert "vượt quá giới hạn 1 MB" in response.text and 'role="alert"' in response.text
    assert not Dossier.objects.filter(created_by=citizen_an).exists()
    assert not DraftFile.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"<!doctype html><html><script>alert(1)</script></html>", b"MZ\x90\x00\x03" + b"\x00" * 64],
    ids=["html", "exe"],
)
def test_disguised_upload_is_refused_and_nothing_is_created(an, citizen_an, body):
    a = documents_of("1.000426")[0]
    response = an.post(URL, filled(an, citizen_an, **{f"doc_{a}": pdf("don.pdf", body)}))
    assert response.status_code == 422
    assert "không phải là tệp PDF, JPEG hoặc PNG" in response.text
    assert not Dossier.objects.filter(created_by=citizen_an).exists()
    assert not DraftFile.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("don.pdf", samples.PDF_HEADED_HTML), "có mã trang web (HTML) lẫn trong tệp PDF"),
        (png_cut_short(), "bị hỏng hoặc không đọc được"),
    ],
    ids=["pdf-header-then-html", "truncated-png"],
)
def test_a_file_that_only_looks_right_is_refused(an, citizen_an, upload, message, settings):
    a = documents_of("1.000426")[0]
    response = an.post(URL, filled(an, citizen_an, **{f"doc_{a}": upload}))
    assert response.status_code == 422 and message in response.text
    assert not Dossier.objects.filter(created_by=citizen_an).exists()
    assert not DraftFile.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_missing_required_document_is_named(an, citizen_an):
    a = documents_of("1.000426")[0]
    data = filled(an, citizen_an)
    del data[f"doc_{a}"]
    response = an.post(URL, data)
    assert response.status_code == 422 and "Cần tải lên giấy tờ này." in response.text
    assert not Dossier.objects.filter(created_by=citizen_an).exists()
    # The files that were fine are kept in the draft: no need to pick them again.
    assert DraftFile.objects.filter(draft__user=citizen_an).count() == 2


def test_commune_procedure_offers_the_communes():
    from motcua.catalog.models import Procedure
    from motcua.portal.procedures import accepting_desks

    desks = accepting_desks(Procedure.objects.get(code="1.001193"))
    assert desks and all(d.unit.level == "commune" for d in desks)
