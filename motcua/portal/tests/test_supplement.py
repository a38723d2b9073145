"""Supplementing online: the office asks, the citizen uploads, the dossier resumes."""

from __future__ import annotations

import pytest

from motcua.core.tests import samples
from motcua.dossiers.actions import accept_submission, forward_dossier, request_supplement
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import at, clock, holder
from motcua.portal.tests.conftest import online_dossier, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(citizen_an, clerk_binh) -> Dossier:
    with clock(at(2026, 3, 2, 8, 0)):
        dossier = online_dossier(citizen_an)
        dossier = accept_submission(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 3, 8, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
        return request_supplement(
            dossier=dossier,
            officer=holder(dossier),
            reason="Bản sao mờ",
            items=["Bằng cử nhân luật"],
        )


def test_the_request_is_shown_with_an_upload_form(an, asked):
    page = an.get(f"/ho-so-cua-toi/{asked.code}/").text
    assert "Cơ quan đề nghị bổ sung" in page and "Bằng cử nhân luật" in page
    assert f'action="/ho-so-cua-toi/{asked.code}/bo-sung/"' in page


def test_supplement_upload_resumes_the_dossier(an, asked):
    with clock(at(2026, 3, 4, 8, 0)):
        response = an.post(f"/ho-so-cua-toi/{asked.code}/bo-sung/", {"item_0": pdf("bang.pdf")})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "in_progress" and asked.paused_at is None
    document = asked.documents.get(supplement__isnull=False)
    assert document.name == "Bằng cử nhân luật" and document.file and document.digitised
    assert "Đã nhận giấy tờ bổ sung" in an.get(response["Location"]).text


def test_a_disguised_supplement_is_refused(an, asked):
    fake = pdf("bang.pdf", b"<html><body>not a pdf</body></html>")
    response = an.post(f"/ho-so-cua-toi/{asked.code}/bo-sung/", {"item_0": fake})
    assert response.status_code == 422 and "không phải là tệp PDF" in response.text
    asked.refresh_from_db()
    assert asked.status == "supplement_requested"
    assert not asked.documents.filter(supplement__isnull=False).exists()


def test_a_pdf_header_followed_by_html_is_refused_and_nothing_is_stored(an, asked, settings):
    fake = pdf("bang.pdf", samples.PDF_HEADED_HTML)
    response = an.post(f"/ho-so-cua-toi/{asked.code}/bo-sung/", {"item_0": fake})
    assert response.status_code == 422
    assert "có mã trang web (HTML) lẫn trong tệp PDF" in response.text
    asked.refresh_from_db()
    assert asked.status == "supplement_requested"
    assert not asked.documents.filter(supplement__isnull=False).exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_real_pdf_is_accepted_and_stored_as_sent(an, asked):
    with clock(at(2026, 3, 4, 8, 0)):
        response = an.post(
            f"/ho-so-cua-toi/{asked.code}/bo-sung/", {"item_0": pdf("bang.pdf"), "note": ""}
        )
    assert response.status_code == 302
    document = asked.documents.get(supplement__isnull=False)
    assert document.file.name.endswith(".pdf") and document.file.read() == samples.PDF


def test_nothing_uploaded_is_refused(an, asked):
    response = an.post(f"/ho-so-cua-toi/{asked.code}/bo-sung/", {"note": "xin gửi"})
    assert response.status_code == 422 and "ít nhất một giấy tờ" in response.text
