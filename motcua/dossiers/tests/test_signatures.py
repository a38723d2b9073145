"""A PDF result signed by its competent agency's key, as an outbox job
(motcua/dossiers/signatures.py, docs/signatures.md): awaiting signature from
``mark_result_ready``, signed by the job through SoftHSM (or a PKCS#12 file) with the local
timestamp authority, checked by pyHanko's own validation; retried while the authority is
down; never signed twice.

The dossier is 1.000426 (Sở Tư pháp, the competent agency) received at the provincial
centre by ``clerk_binh``; the signing runs in real time (the test CA's certificates are
valid from today)."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from motcua.core.actions import ActionError
from motcua.core.outbox.models import OutboxStatus
from motcua.core.tests import samples
from motcua.devtools.signing.fixtures import validate
from motcua.devtools.signing.pki import AGENCY_CN, PKCS12_PASSPHRASE
from motcua.dossiers import signatures
from motcua.dossiers.actions import return_result
from motcua.dossiers.models import Dossier, DossierResult, ResultSigning
from motcua.dossiers.national.payload import file_url
from motcua.dossiers.tests.fixtures import holder, ready
from motcua.signing.models import KeyKind, SigningKey

pytestmark = pytest.mark.django_db

SECRET_ENV = "MOTCUA_TEST_SIGNING_SECRET"


@pytest.fixture(autouse=True)
def _site(settings: Any, tmp_path: Any, signing_pki: Any, tsa: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_TSA_URL = tsa.url
    settings.MOTCUA_TSA_TIMEOUT = 2
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(signing_pki.root.cert_path)]
    settings.MOTCUA_SIGNING_FETCH_REVOCATION = False


@pytest.fixture
def hsm_key(justice: Any, softhsm_token: Any, monkeypatch: Any) -> SigningKey:
    monkeypatch.setenv(SECRET_ENV, softhsm_token.pin)
    return SigningKey.objects.create(
        agency=justice,
        kind=KeyKind.PKCS11,
        pkcs11_module=softhsm_token.module,
        token_label=softhsm_token.label,
        key_label=softhsm_token.key_label,
        secret_env=SECRET_ENV,
        signer_name="Sở Tư pháp tỉnh Đồng Tháp",
    )


@pytest.fixture
def p12_key(justice: Any, signing_pki: Any, monkeypatch: Any) -> SigningKey:
    monkeypatch.setenv(SECRET_ENV, PKCS12_PASSPHRASE)
    return SigningKey.objects.create(
        agency=justice,
        kind=KeyKind.PKCS12,
        pkcs12_path=str(signing_pki.pkcs12_path),
        secret_env=SECRET_ENV,
        signer_name="Sở Tư pháp tỉnh Đồng Tháp",
    )


def upload(content: bytes = samples.PDF, name: str = "quyet-dinh.pdf") -> ContentFile:
    return ContentFile(content, name=name)


def result_of(dossier: Dossier) -> DossierResult:
    return DossierResult.objects.get(dossier=dossier)


def staff_page(user: Any, dossier: Dossier) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/ho-so/{dossier.code}/").content.decode()


def staff_download(user: Any, result: DossierResult) -> bytes:
    client = Client()
    client.force_login(user)
    response = client.get(f"/ho-so/{result.dossier.code}/ket-qua/{result.pk}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def make_due() -> None:
    """The retry's backoff, over (no sleeping)."""
    ResultSigning.objects.update(next_attempt_at=timezone.now())


@pytest.mark.parametrize("key", ["hsm_key", "p12_key"])
def test_a_pdf_result_awaits_its_agencys_signature_then_is_signed(
    key, request, received, clerk_binh, signing_pki, django_capture_on_commit_callbacks
):
    request.getfixturevalue(key)
    with django_capture_on_commit_callbacks() as queued:
        dossier = ready(received(), result_file=upload())
    result = result_of(dossier)
    job = ResultSigning.objects.get(result=result)
    assert result.awaiting_signature and job.status == OutboxStatus.PENDING
    assert any(getattr(c, "func", None) == signatures.sign_result_task.enqueue for c in queued)
    assert "Chờ ký số" in staff_page(clerk_binh, dossier)
    # Nothing is handed out while it waits: not returned, not fetched by the national portal.
    with pytest.raises(ActionError) as refused:
        return_result(dossier=dossier, officer=holder(dossier))
    assert refused.value.code == "awaiting_signature"
    assert Client().get(urlsplit(file_url("result", result.pk)).path).status_code == 404

    assert signatures.drain()["sent"] == 1

    result.refresh_from_db()
    signed = result.signed_file.read()
    assert result.signature == "signed" and result.signed_by == AGENCY_CN
    assert result.signed_sha256 == hashlib.sha256(signed).hexdigest()
    assert result.signed_at is not None
    assert result.file.read() == samples.PDF  # the upload is kept as it was
    status, _ = validate(signed, signing_pki)
    assert status.bottom_line and status.timestamp_validity is not None
    assert ResultSigning.objects.get(pk=job.pk).level == "B-LTA"
    assert staff_download(clerk_binh, result) == signed
    assert f"Đã ký số bởi {AGENCY_CN}" in staff_page(clerk_binh, dossier)
    assert return_result(dossier=dossier, officer=holder(dossier)).status == "returned"
    national = Client().get(urlsplit(file_url("result", result.pk)).path)
    assert b"".join(national.streaming_content) == signed


def test_the_authority_down_keeps_the_job_until_it_is_back(hsm_key, received, clerk_binh, tsa):
    dossier = ready(received(), result_file=upload())
    tsa.go_down()
    assert signatures.drain()["retrying"] == 1
    job = ResultSigning.objects.get()
    assert job.status == OutboxStatus.PENDING and "dấu thời gian" in job.last_error
    assert job.next_attempt_at > timezone.now()  # backed off
    assert result_of(dossier).awaiting_signature
    page = staff_page(clerk_binh, dossier)
    assert "Chờ ký số" in page and "sẽ thử ký lại" in page
    assert signatures.drain()["sent"] == 0  # not due yet

    tsa.come_back()
    make_due()
    assert signatures.drain()["sent"] == 1
    assert result_of(dossier).signature == "signed"


def test_a_rerun_after_a_crash_signs_nothing_twice(hsm_key, received, tsa):
    dossier = ready(received(), result_file=upload())
    assert signatures.drain()["sent"] == 1
    result = result_of(dossier)
    signed_name, issued = result.signed_file.name, tsa.issued
    # The worker died after recording the signature, before marking its job done: the
    # job's lease runs out and it is claimed again.
    ResultSigning.objects.update(status=OutboxStatus.SENDING, next_attempt_at=timezone.now())
    assert signatures.drain()["sent"] == 1
    job = ResultSigning.objects.get()
    assert job.maybe_duplicate and job.provider_message_id == signatures.ALREADY_SIGNED
    # A second job for the same result (queued twice) signs nothing either.
    ResultSigning.objects.create(result=result, key=hsm_key)
    assert signatures.drain()["sent"] == 1
    result.refresh_from_db()
    assert result.signed_file.name == signed_name and tsa.issued == issued


def test_a_missing_secret_fails_for_an_operator_who_signs_again(
    hsm_key, received, clerk_binh, monkeypatch, softhsm_token
):
    monkeypatch.delenv(SECRET_ENV)
    dossier = ready(received(), result_file=upload())
    assert signatures.drain()["failed"] == 1
    job = ResultSigning.objects.get()
    assert SECRET_ENV in job.last_error
    assert result_of(dossier).awaiting_signature
    assert "Ký số lỗi" in staff_page(clerk_binh, dossier)

    monkeypatch.setenv(SECRET_ENV, softhsm_token.pin)
    assert signatures.sign_again(ResultSigning.objects.all()) == [job.pk]
    assert signatures.drain()["sent"] == 1
    assert result_of(dossier).signature == "signed"


def test_no_signature_without_a_key_for_an_image_or_switched_off(hsm_key, received, settings):
    image = ready(received(), result_file=upload(samples.PNG, "ket-qua.png"))
    assert result_of(image).signature == ""
    settings.SIGNING_ENABLED = False
    assert result_of(ready(received(), result_file=upload())).signature == ""
    settings.SIGNING_ENABLED = True
    hsm_key.active = False
    hsm_key.save()
    unsigned = ready(received(), result_file=upload())
    assert result_of(unsigned).signature == ""
    assert not ResultSigning.objects.exists()
    assert return_result(dossier=unsigned, officer=holder(unsigned)).status == "returned"
