"""A citizen reopens the documents of their own dossier
(/ho-so-cua-toi/<code>/giay-to/<id>/); nobody else does."""

from __future__ import annotations

import pytest

from motcua.core import uploads
from motcua.core.tests import samples
from motcua.dossiers.models import Dossier
from motcua.portal.tests.conftest import online_dossier, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(citizen_an) -> Dossier:
    """An's online dossier with "Ảnh thẻ", a PNG An uploaded (checked and stored the way the
    portal's forms store it: under a random name)."""
    dossier = online_dossier(citizen_an)
    upload = png("anh-the.png")
    document = dossier.documents.first()
    assert document is not None
    document.name = "Ảnh thẻ"
    document.file.save(uploads.stored_name(kind=uploads.check(upload)), upload)
    return dossier


def url(dossier: Dossier) -> str:
    return f"/ho-so-cua-toi/{dossier.code}/giay-to/{dossier.documents.exclude(file='').get().pk}/"


def test_the_owner_downloads_their_upload(an, uploaded):
    response = an.get(url(uploaded))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E1%BA%A2nh%20th%E1%BA%BB.png" in response["Content-Disposition"]  # "Ảnh thẻ.png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_dossier_page_links_each_uploaded_document(an, uploaded):
    assert url(uploaded) in an.get(f"/ho-so-cua-toi/{uploaded.code}/").text


def test_another_citizen_gets_404(binh, uploaded):
    assert binh.get(url(uploaded)).status_code == 404


def test_a_document_of_another_dossier_under_my_code_is_404(an, citizen_an, uploaded):
    mine = online_dossier(citizen_an)
    document = uploaded.documents.exclude(file="").get()
    assert an.get(f"/ho-so-cua-toi/{mine.code}/giay-to/{document.pk}/").status_code == 404


def test_staff_accounts_are_not_served_here(clerk_binh, uploaded):
    from django.test import Client

    client = Client()
    client.force_login(clerk_binh)
    assert client.get(url(uploaded)).status_code in {403, 404}


def test_a_real_pdf_is_served_as_pdf(an, citizen_an):
    from django.core.files.base import ContentFile

    dossier = online_dossier(citizen_an)
    document = dossier.documents.first()
    assert document is not None
    document.file.save(uploads.stored_name(kind=uploads.PDF), ContentFile(samples.PDF))
    response = an.get(f"/ho-so-cua-toi/{dossier.code}/giay-to/{document.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == samples.PDF
