"""The public verification of results (``/xac-thuc/``, ``GET /api/v1/verify``) and the
dossier's results in the API (``GET /api/v1/dossiers/{code}/results``); revocation seen
through both (docs/signatures.md "Verification and revocation").

The result is signed for real by the outbox job (the test CA's PKCS#12 key, the local
timestamp authority), then checked by pyHanko against the test root."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.core.tests import samples
from motcua.devtools.signing.pki import AGENCY_CN, PKCS12_PASSPHRASE, make_test_pki
from motcua.dossiers import signatures
from motcua.dossiers.actions import return_result, revoke_result
from motcua.dossiers.models import Dossier, DossierResult
from motcua.dossiers.tests.fixtures import holder, leader_of, make_user, ready
from motcua.integrations.signing import Pkcs12Key, Stamp, check_pdf, sign_pdf
from motcua.org.models import Role
from motcua.signing.models import KeyKind, SigningKey

pytestmark = pytest.mark.django_db

SECRET_ENV = "MOTCUA_TEST_SIGNING_SECRET"
REASON = "Quyết định bị hủy bỏ"


@pytest.fixture(autouse=True)
def _no_counts() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site(settings: Any, tmp_path: Any, signing_pki: Any, tsa: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_TSA_URL = tsa.url
    settings.MOTCUA_TSA_TIMEOUT = 2
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(signing_pki.root.cert_path)]
    settings.MOTCUA_SIGNING_FETCH_REVOCATION = False


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


@pytest.fixture
def signed(p12_key: Any, received: Any) -> DossierResult:
    """A returned dossier whose result the job signed."""
    dossier = ready(received(), result_file=ContentFile(samples.PDF, name="quyet-dinh.pdf"))
    assert signatures.drain()["sent"] == 1
    return_result(dossier=dossier, officer=holder(dossier))
    return DossierResult.objects.select_related("dossier__competent_agency").get(dossier=dossier)


def signed_bytes(result: DossierResult) -> bytes:
    result.signed_file.open("rb")
    try:
        return result.signed_file.read()
    finally:
        result.signed_file.close()


def upload(client: Client, data: bytes, name: str = "ket-qua.pdf") -> Any:
    return client.post("/xac-thuc/", {"tep": SimpleUploadedFile(name, data, "application/pdf")})


def revoke(result: DossierResult) -> None:
    dossier = result.dossier
    revoke_result(dossier=dossier, officer=leader_of(dossier.competent_agency), reason=REASON)


# ---- the page -----------------------------------------------------------------------------


def test_the_stamps_address_lists_the_results_without_the_applicant(signed):
    dossier = signed.dossier
    path = signatures.verify_url(dossier.code).split("/", 3)[3]
    page = Client().get(f"/{path}")
    assert page.status_code == 200
    text = page.content.decode()
    assert signed.name in text and signed.signed_sha256 in text and AGENCY_CN in text
    assert "Đã ký số, còn hiệu lực" in text
    assert dossier.applicant_name not in text and dossier.applicant_phone not in text


def test_an_unknown_code_answers_as_the_lookup_does(db):
    page = Client().get("/xac-thuc/?ma=000.00.00.H99-991231-9999")
    assert page.status_code == 404
    assert "Không tìm thấy hồ sơ có mã 000.00.00.H99-991231-9999" in page.content.decode()


def test_the_signed_result_uploaded_is_valid_with_its_agency(signed):
    page = upload(Client(), signed_bytes(signed))
    text = page.content.decode()
    assert page.status_code == 200 and "Hợp lệ" in text
    assert signed.dossier.competent_agency.name in text and signed.dossier.code in text
    assert AGENCY_CN in text


def test_a_byte_changed_is_not_intact(signed):
    data = bytearray(signed_bytes(signed))
    # A byte of the original content (inside the signed range), not of the signature.
    at = data.index(b"stream") + 10
    data[at] = data[at] ^ 0x01
    page = upload(Client(), bytes(data))
    text = page.content.decode()
    assert page.status_code == 200 and "Không hợp lệ" in text
    assert "Nội dung tệp đã bị thay đổi sau khi ký." in text


def test_a_pdf_signed_by_an_untrusted_ca_does_not_chain(signed, tmp_path):
    other = make_test_pki(tmp_path / "other-ca")
    stranger = sign_pdf(
        samples.PDF,
        key=Pkcs12Key(path=str(other.pkcs12_path), passphrase=PKCS12_PASSPHRASE),
        stamp=Stamp(title="Bản điện tử đã được ký số", agency="Ai đó", verify_url="x"),
    )
    page = upload(Client(), stranger.data)
    text = page.content.decode()
    assert "Không hợp lệ" in text and "không thuộc tổ chức cung cấp dịch vụ chứng thực" in text


def test_an_unsigned_pdf_is_not_valid(signed):
    text = upload(Client(), samples.PDF).content.decode()
    assert "Không hợp lệ" in text and "Tệp không có chữ ký số." in text


def test_not_a_pdf_or_too_large_is_a_clear_refusal(db, settings):
    refused = upload(Client(), samples.PNG, "anh.png")
    assert refused.status_code == 422 and "Chỉ kiểm tra được tệp PDF" in refused.content.decode()
    garbage = upload(Client(), b"MZ\x90\x00 not a pdf")
    assert garbage.status_code == 422 and "không phải là tệp PDF" in garbage.content.decode()
    settings.PORTAL_UPLOAD_MAX_MB = 1
    big = upload(Client(), samples.PDF + b"\n%" + b"0" * (1024 * 1024))
    assert big.status_code == 413 and "vượt quá giới hạn 1 MB" in big.content.decode()
    nothing = Client().post("/xac-thuc/", {})
    assert nothing.status_code == 422


def test_a_revoked_result_says_so_with_its_date_and_reason(signed):
    revoke(signed)
    signed.refresh_from_db()
    assert signed.revoked_at is not None and signed.revocation_reason == REASON
    day = signed.revoked_at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y")
    text = upload(Client(), signed_bytes(signed)).content.decode()
    assert "Đã bị thu hồi" in text and REASON in text and day in text
    listing = Client().get(f"/xac-thuc/?ma={signed.dossier.code}").content.decode()
    assert "Đã bị thu hồi" in listing and REASON in listing


def test_an_expired_certificate_still_verifies_by_its_timestamp(signed, signing_pki):
    years_on = dt.datetime.now(dt.UTC) + dt.timedelta(days=3 * 365)
    roots = [str(signing_pki.root.cert_path)]
    verdict = check_pdf(signed_bytes(signed), trust_roots=roots, now=years_on)
    assert verdict.valid and verdict.timestamped and verdict.timestamp_at is not None
    assert verdict.validated_at == verdict.timestamp_at


def test_the_page_is_rate_limited(db, settings):
    settings.LOOKUP_RATE_PER_MINUTE = 2
    client = Client()
    assert [client.get("/xac-thuc/?ma=X").status_code for _ in range(3)] == [404, 404, 429]


def test_the_lookup_links_a_returned_dossier_to_its_verification(signed):
    page = Client().get(f"/tra-cuu/{signed.dossier.code}/").content.decode()
    assert f"/xac-thuc/?ma={signed.dossier.code}" in page


# ---- GET /api/v1/verify -------------------------------------------------------------------


def verify_api(code: str, sha256: str) -> Any:
    return Client().get("/api/v1/verify", {"code": code, "sha256": sha256})


def test_the_api_says_valid_then_revoked(signed):
    code, digest = signed.dossier.code, signed.signed_sha256
    answer = verify_api(code, digest.upper()).json()
    assert answer["valid"] is True and answer["revoked"] is False
    assert answer["dossier_code"] == code and answer["signer"] == AGENCY_CN
    assert answer["signed_at"]
    revoke(signed)
    answer = verify_api(code, digest).json()
    assert answer["valid"] is False and answer["revoked"] is True and answer["reason"] == REASON


def test_the_api_answers_unknown_alike_and_refuses_a_bad_sha256(signed):
    other = hashlib.sha256(b"x").hexdigest()
    unknown = verify_api("KHONG-CO", signed.signed_sha256)
    wrong_file = verify_api(signed.dossier.code, other)
    assert unknown.status_code == wrong_file.status_code == 200
    assert unknown.json()["valid"] is wrong_file.json()["valid"] is False
    assert "signer" not in unknown.json() or unknown.json()["signer"] is None
    bad = verify_api(signed.dossier.code, "not-a-hash")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_sha256"


def test_the_api_is_rate_limited(db, settings):
    settings.LOOKUP_RATE_PER_MINUTE = 1
    digest = hashlib.sha256(b"x").hexdigest()
    assert verify_api("A", digest).status_code == 200
    limited = verify_api("A", digest)
    assert limited.status_code == 429 and limited["Retry-After"]


# ---- GET /api/v1/dossiers/{code}/results ----------------------------------------------------


def results(client: Client, code: str, **headers: str) -> Any:
    return client.get(f"/api/v1/dossiers/{code}/results", headers=headers)


def test_staff_of_the_dossier_list_its_results(signed, clerk_binh):
    client = Client()
    client.force_login(clerk_binh)
    [item] = results(client, signed.dossier.code).json()["items"]
    assert item["signed"] is True and item["sha256"] == signed.signed_sha256
    assert item["signer"] == AGENCY_CN and item["revoked"] is False
    download = client.get(item["download_url"])
    assert b"".join(download.streaming_content) == signed_bytes(signed)


def test_the_applicant_lists_and_downloads_then_not_after_revocation(signed):
    citizen = get_user_model().objects.create_user(username="cong-dan-an", password="x")
    Dossier.objects.filter(pk=signed.dossier_id).update(applicant_account=citizen)
    client = Client()
    client.force_login(citizen)
    [item] = results(client, signed.dossier.code).json()["items"]
    assert item["download_url"].startswith("/ho-so-cua-toi/")
    download = client.get(item["download_url"])
    assert b"".join(download.streaming_content) == signed_bytes(signed)
    revoke(signed)
    [item] = results(client, signed.dossier.code).json()["items"]
    assert item["revoked"] is True and item["download_url"] is None


def test_anyone_else_gets_404_and_nobody_401(signed, police):
    stranger = get_user_model().objects.create_user(username="nguoi-la", password="x")
    client = Client()
    client.force_login(stranger)
    assert results(client, signed.dossier.code).status_code == 404
    other_agency = Client()
    other_agency.force_login(make_user("canbo_congan", police, Role.SPECIALIST))
    assert results(other_agency, signed.dossier.code).status_code == 404
    assert results(Client(), signed.dossier.code).status_code == 401
    bad_token = results(Client(), signed.dossier.code, Authorization="Bearer nope")
    assert bad_token.status_code == 401
