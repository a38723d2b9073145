"""Staff open a dossier's files (/ho-so/<code>/giay-to/<id>/, /ho-so/<code>/ket-qua/<id>/)
through the dossier's door; nothing in MEDIA_ROOT has a public address.

The dossier is 1.000426 (Sở Tư pháp) received at the provincial centre by ``clerk_binh``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.views.static import serve

from motcua.core import uploads
from motcua.core.tests import samples
from motcua.dossiers.models import Dossier, DossierDocument, DossierResult
from motcua.dossiers.tests.fixtures import make_user
from motcua.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def scanned(dossier: Dossier, content: bytes = samples.PDF) -> DossierDocument:
    document = dossier.documents.get()
    kind = uploads.sniff(content)
    assert kind is not None
    document.digitised = True
    document.file.save(uploads.stored_name(kind=kind), ContentFile(content))
    return document


def url(dossier: Dossier, document: DossierDocument) -> str:
    return f"/ho-so/{dossier.code}/giay-to/{document.pk}/"


@pytest.fixture
def dossier(received: Any) -> Dossier:
    return received()


def test_the_desk_downloads_the_scanned_document(clerk_binh, dossier):
    document = scanned(dossier)
    response = login(clerk_binh).get(url(dossier, document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "T%E1%BB%9D%20khai.pdf" in response["Content-Disposition"]  # "Tờ khai.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_the_dossier_page_links_the_file(clerk_binh, dossier):
    document = scanned(dossier)
    assert url(dossier, document) in login(clerk_binh).get(f"/ho-so/{dossier.code}/").text


def test_a_specialist_of_another_agency_gets_404(dossier, police):
    document = scanned(dossier)
    stranger = make_user("canbo_congan", police, Role.SPECIALIST)
    assert login(stranger).get(url(dossier, document)).status_code == 404


def test_a_document_of_another_dossier_under_this_code_is_404(clerk_binh, received):
    mine, other = received(), received(name="Trần Thị Bình")
    document = scanned(other)
    assert login(clerk_binh).get(url(mine, document)).status_code == 404
    assert login(clerk_binh).get(url(other, document)).status_code == 200


def test_a_document_without_a_file_is_404(clerk_binh, dossier):
    assert login(clerk_binh).get(url(dossier, dossier.documents.get())).status_code == 404


def test_signed_out_goes_to_sign_in(dossier):
    response = Client().get(url(dossier, scanned(dossier)))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_result_file_for_staff(clerk_binh, dossier):
    result = DossierResult.objects.create(dossier=dossier, name="Thẻ tư vấn viên pháp luật")
    result.file.save(uploads.stored_name(kind=uploads.PDF), ContentFile(samples.PDF))
    response = login(clerk_binh).get(f"/ho-so/{dossier.code}/ket-qua/{result.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = login(clerk_binh).get(f"/ho-so/{dossier.code}/").text
    assert f"/ho-so/{dossier.code}/ket-qua/{result.pk}/" in page


def views(patterns: list[Any]) -> Iterator[Any]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from views(pattern.url_patterns)
        else:
            yield pattern.callback


def test_no_public_address_for_stored_files(clerk_binh, dossier, settings):
    document = scanned(dossier)
    name = document.file.name
    assert len(name.rsplit("/", 1)[-1]) == len("0123456789abcdef0123456789abcdef.pdf")  # random
    assert serve not in set(views(get_resolver().url_patterns))
    assert getattr(settings, "WHITENOISE_ROOT", None) is None  # whitenoise serves static only
    client = login(clerk_binh)
    for address in (document.file.url, f"/{name}", f"/media/{name}", f"/static/{name}"):
        assert client.get(address).status_code == 404
