"""The national portal fetches a dossier's files by the signed links the sync sends it
(/cong-dvc-quoc-gia/tep/<token>/), without a session; every other token is a 404.

The dossier is 1.000426 (Sở Tư pháp) received at the provincial centre by ``clerk_binh``,
its document scanned; the result is another such dossier's, walked through and returned.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client

from motcua.core.tests import samples
from motcua.dossiers.actions import revoke_result
from motcua.dossiers.models import Dossier, DossierDocument, DossierResult
from motcua.dossiers.national.payload import FILE_SALT, file_url
from motcua.dossiers.tests.fixtures import leader_of, returned

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def document(received: Any) -> DossierDocument:
    document = received().documents.get()
    document.digitised = True
    document.file.save("to-khai.pdf", ContentFile(samples.PDF))
    return document


@pytest.fixture
def result(received: Any) -> DossierResult:
    dossier = returned(received())
    result = dossier.results.get()
    result.file.save("ket-qua.pdf", ContentFile(samples.PDF))
    return result


def link(kind: str, pk: int) -> str:
    """The address the portal is sent (``payload.file_url``), on this site."""
    return urlsplit(file_url(kind, pk)).path


def fetch(path: str) -> Any:
    return Client().get(path)


def test_the_portal_fetches_a_document_without_signing_in(document):
    response = fetch(link("document", document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert document.dossier.code in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_portal_fetches_a_result(result):
    response = fetch(link("result", result.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF


def test_the_link_is_under_the_portal_file_address(document):
    assert link("document", document.pk).startswith("/cong-dvc-quoc-gia/tep/")
    assert link("document", document.pk) == link("document", document.pk)  # no timestamp


def test_a_tampered_token_is_a_404(document):
    path = link("document", document.pk)
    token = path.rstrip("/").rsplit("/", 1)[1]
    value, signature = token.rsplit(":", 1)
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert fetch(f"/cong-dvc-quoc-gia/tep/{value}:{flipped}/").status_code == 404
    # The same value with another file's id needs a signature we do not give out.
    other = signing.Signer(salt=FILE_SALT).sign_object({"k": "document", "id": document.pk + 1})
    forged = other.rsplit(":", 1)[0] + ":" + signature
    assert fetch(f"/cong-dvc-quoc-gia/tep/{forged}/").status_code == 404


@pytest.mark.parametrize(
    "token",
    ["abc", ":", "x" * 400, ".eJyrVspWslIqSS0uUdJRKkotLs0pAQA:AAAA", "%E1%BA%A1"],
)
def test_garbage_is_a_404(db, token):
    assert fetch(f"/cong-dvc-quoc-gia/tep/{token}/").status_code == 404


def test_a_token_signed_for_something_else_is_a_404(document):
    elsewhere = signing.Signer(salt="motcua.payments.link").sign_object(
        {"k": "document", "id": document.pk}, compress=True
    )
    assert fetch(f"/cong-dvc-quoc-gia/tep/{elsewhere}/").status_code == 404


@pytest.mark.parametrize(
    "shape",
    [
        lambda pk: {"k": "ticket", "id": pk},
        lambda pk: {"k": "attachment", "id": pk},
        lambda pk: {"k": "document", "id": str(pk)},
        lambda pk: {"k": "document", "id": True},
        lambda pk: {"k": "document"},
        lambda pk: ["document", pk],
        lambda pk: "document",
    ],
)
def test_a_wrong_kind_or_shape_is_a_404(document, shape):
    token = signing.Signer(salt=FILE_SALT).sign_object(shape(document.pk), compress=True)
    assert fetch(f"/cong-dvc-quoc-gia/tep/{token}/").status_code == 404


def test_a_document_id_is_not_a_result_id(document):
    assert not DossierResult.objects.filter(pk=document.pk).exclude(file="").exists()
    assert fetch(link("result", document.pk)).status_code == 404


def test_a_missing_file_is_a_404(received):
    dossier: Dossier = received()
    unscanned = dossier.documents.get()
    assert not unscanned.file
    assert fetch(link("document", unscanned.pk)).status_code == 404
    assert fetch(link("document", 10**12)).status_code == 404


def test_a_file_gone_from_storage_is_a_404(document):
    document.file.storage.delete(document.file.name)
    assert fetch(link("document", document.pk)).status_code == 404


def test_a_revoked_result_is_no_longer_served(result):
    dossier = result.dossier
    revoke_result(dossier=dossier, officer=leader_of(dossier.competent_agency), reason="Sai họ tên")
    assert fetch(link("result", result.pk)).status_code == 404


def test_only_get(document):
    assert Client().post(link("document", document.pk)).status_code == 405
