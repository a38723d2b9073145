"""A citizen checks the signed result of their dossier on the public verification page, in a
real browser; then the agency revokes it and the same file says so.

The result is really signed by the outbox job (the test CA's PKCS#12 key for the Department
of Justice, the local timestamp authority), downloaded by the applicant from the portal,
uploaded to ``/xac-thuc/``: "Hợp lệ" with the agency's name. The leader revokes it from the
staff page ("Thu hồi kết quả"); the same file then shows "Đã bị thu hồi" with the reason.
Screenshots: artifacts/screenshots/verify-*.png.

One committing test (``live_server``): Django empties the database after it, so it puts the
demo province back first if an earlier committing test took it away.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile

from motcua.accounts.actions import register_citizen
from motcua.accounts.identifiers import parse_identifier
from motcua.accounts.models import CitizenProfile
from motcua.core.tests import samples
from motcua.demo.seed import DEMO_PASSWORD
from motcua.devtools.signing.pki import PKCS12_PASSPHRASE
from motcua.dossiers import signatures
from motcua.dossiers.actions import accept_submission, return_result, submit_online
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.tests.fixtures import application, ready
from motcua.org.models import Agency, Desk, DeskKind
from motcua.signing.models import KeyKind, SigningKey

PHONE = "0912345678"
PASSWORD = "Lua-nep-2026!"
SECRET_ENV = "MOTCUA_TEST_SIGNING_SECRET"
REASON = "Quyết định cấp bị hủy bỏ do sai thông tin"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(
    live_server: Any, settings: Any, tmp_path: Any, signing_pki: Any, tsa: Any, monkeypatch: Any
) -> Any:
    """The demo province on the live site; the Department of Justice signs with the test
    CA's key through the local timestamp authority; the test root is the trust root."""
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PUBLIC_URL = live_server.url
    settings.SMS_ENABLED = True  # the sign-up code is only queued in the outbox, never sent
    settings.MOTCUA_TSA_URL = tsa.url
    settings.MOTCUA_TSA_TIMEOUT = 5
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(signing_pki.root.cert_path)]
    settings.MOTCUA_SIGNING_FETCH_REVOCATION = False
    monkeypatch.setenv(SECRET_ENV, PKCS12_PASSPHRASE)
    SigningKey.objects.create(
        agency=Agency.objects.get(name="Sở Tư pháp"),
        kind=KeyKind.PKCS12,
        pkcs12_path=str(signing_pki.pkcs12_path),
        secret_env=SECRET_ENV,
        signer_name="Sở Tư pháp tỉnh Đồng Tháp",
    )
    return live_server


@pytest.fixture
def citizen(site: Any) -> Any:
    user = register_citizen(
        full_name="Nguyễn Văn An", identifier=parse_identifier(PHONE), password=PASSWORD
    )
    CitizenProfile.objects.filter(user=user).update(verified_phone=True)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def returned(citizen: Any) -> Dossier:
    """The citizen's dossier, its result signed by the job and returned online."""
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    clerk = get_user_model().objects.get(username="tiepnhan")
    dossier = submit_online(
        application=application("1.000426", centre, channel="online"), citizen=citizen
    )
    dossier = accept_submission(dossier=dossier, officer=clerk)
    dossier = ready(dossier, result_file=ContentFile(samples.PDF, name="quyet-dinh.pdf"))
    assert signatures.drain()["sent"] == 1
    dossier = return_result(dossier=dossier, officer=clerk, channel="online")
    assert dossier.results.get().signature == "signed"
    return dossier


def staff_page(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/dang-nhap/?next=/ho-so/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/ho-so/$"))
    return page


def check_file(page: Any, base: str, code: str, path: Path) -> str:
    """Upload ``path`` on the verification page reached from the dossier's lookup."""
    page.goto(f"{base}/tra-cuu/{code}/")
    page.get_by_role("link", name="Xác thực kết quả giải quyết của hồ sơ này").click()
    page.wait_for_url(re.compile(r"/xac-thuc/\?ma="))
    page.get_by_label("Tệp PDF").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra").click()
    verdict = page.locator("#ket-luan")
    verdict.wait_for()
    return str(verdict.inner_text())


def test_a_citizen_verifies_the_signed_result_then_sees_it_revoked(
    site, citizen, returned, browser, browser_page, screenshot, tmp_path
):
    base, page, code = site.url, browser_page, returned.code

    # 1. The applicant signs in on the portal and downloads the signed result.
    page.goto(f"{base}/ho-so-cua-toi/{code}/")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(PHONE)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/ho-so-cua-toi/{code}/")
    page.get_by_role("heading", name="Kết quả điện tử").wait_for()
    screenshot(page, "verify-01-citizen-dossier")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Tải về").first.click()
    downloaded = tmp_path / "ket-qua.pdf"
    downloading.value.save_as(str(downloaded))
    result = returned.results.get()
    assert downloaded.read_bytes()[:5] == b"%PDF-"
    assert downloaded.read_bytes() != samples.PDF  # the signed copy, not the upload

    # 2. On the verification page (from the lookup's link): valid, with the agency's name.
    text = check_file(page, base, code, downloaded)
    screenshot(page, "verify-02-valid")
    assert "Hợp lệ" in text and "Sở Tư pháp" in text and "Không hợp lệ" not in text
    assert result.signed_sha256 in page.content()

    # 3. The Department's leader revokes the result from the dossier's staff page.
    leader = staff_page(browser, base, "lanhdao")
    leader.goto(f"{base}/ho-so/{code}/")
    action = leader.locator("aside.actions")
    form = action.locator("details", has=leader.locator("summary", has_text="Thu hồi kết quả"))
    form.locator("summary").click()
    form.get_by_label("Lý do").fill(REASON)
    form.get_by_role("button", name="Thu hồi kết quả").click()
    leader.get_by_role("status").filter(has_text="Đã thu hồi kết quả").wait_for()
    screenshot(leader, "verify-03-leader-revoked")
    returned.refresh_from_db()
    assert returned.status == DossierStatus.REVOKED

    # 4. The same file now shows it revoked, with the date and the reason.
    text = check_file(page, base, code, downloaded)
    screenshot(page, "verify-04-revoked")
    assert "Đã bị thu hồi" in text and REASON in text
    result.refresh_from_db()
    assert result.revoked_at is not None
