"""The citizen's whole journey in a real browser, from finding a procedure to rating it.

Find 1.000688 from the home page's search box, apply online with PDF uploads as a signed-in
citizen, the clerk receives and forwards it, the Department of Justice's specialist asks for
the fees, the citizen pays on the fake VNPAY gateway, the specialist hands it to the leader
who records the result, the clerk returns it online, and the citizen sees it and rates the
service. Screenshots of the key
pages go to artifacts/screenshots/.

One committing test (``live_server``): Django empties the database after it, so it puts the
demo province back first if an earlier committing test took it away.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from motcua.accounts.actions import register_citizen
from motcua.accounts.identifiers import parse_identifier
from motcua.accounts.models import CitizenProfile
from motcua.core.tests import samples
from motcua.demo.seed import DEMO_PASSWORD
from motcua.devtools.fakes.vnpay import FakeVnpayGateway
from motcua.dossiers.models import Dossier, Rating, RatingCriterion
from motcua.dossiers.status import DossierStatus
from motcua.org.models import Desk, DeskKind
from motcua.payments.models import PaymentTransaction
from motcua.portal.citizens import citizen_dossiers

CODE = "1.000688"  # Cấp Chứng chỉ hành nghề luật sư…: Sở Tư pháp, has fees, partly online
PHONE = "0912345678"
PASSWORD = "Lua-nep-2026!"
PDF = samples.PDF
TMN_CODE = "BROWSER1"
HASH_SECRET = "browser-test-hash-secret"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Any) -> Iterator[FakeVnpayGateway]:
    """The demo province on the live site, media in a temporary folder, payments switched on
    with the fake gateway on its own port (calling the site's IPN)."""
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()  # sign-in rate limits from zero
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_ENABLED = True  # the sign-up code is only queued in the outbox, never sent
    ipn_url = f"{live_server.url}{reverse('payments:ipn')}"
    with FakeVnpayGateway(tmn_code=TMN_CODE, hash_secret=HASH_SECRET, ipn_url=ipn_url) as gateway:
        settings.MOTCUA_PUBLIC_URL = live_server.url
        settings.PAYMENTS_ENABLED = True
        settings.VNPAY_PAYMENT_URL = gateway.payment_url
        settings.VNPAY_TMN_CODE = TMN_CODE
        settings.VNPAY_HASH_SECRET = HASH_SECRET
        settings.VNPAY_VERSION = "2.1.0"
        yield gateway


@pytest.fixture
def citizen(site: FakeVnpayGateway) -> Any:
    """Nguyễn Văn An, signed up with his phone, already verified (no code step)."""
    user = register_citizen(
        full_name="Nguyễn Văn An", identifier=parse_identifier(PHONE), password=PASSWORD
    )
    CitizenProfile.objects.filter(user=user).update(
        verified_phone=True,
        id_number="001085012345",
        address="12 Lý Thường Kiệt, phường Hoàn Kiếm, Hà Nội",
    )
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def criterion(site: FakeVnpayGateway) -> RatingCriterion:
    return RatingCriterion.objects.create(text="Thái độ của cán bộ tiếp nhận", order=1)


def staff_page(browser: Any, base: str, username: str) -> Any:
    """A page of its own for a member of staff, signed in through /dang-nhap/."""
    page = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/dang-nhap/?next=/ho-so/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/ho-so/$"))
    return page


def act(
    page: Any, label: str, notice: str, *, choose: str = "", upload: dict | None = None
) -> None:
    """Run one action of the dossier page (a plain button, or a <details> form, choosing the
    radio named ``choose`` in it and attaching ``upload`` to its file input) and wait for its
    confirmation."""
    action = page.locator("aside.actions")
    form = action.locator("details", has=page.locator("summary", has_text=label))
    if form.count():
        form.locator("summary").click()
        if choose:
            form.get_by_role("radio", name=choose).check()
        if upload:
            form.locator("input[type=file]").set_input_files(upload)
        form.get_by_role("button", name=label).click()
    else:
        action.get_by_role("button", name=label).click()
    page.get_by_role("status").filter(has_text=notice).wait_for()


def test_a_citizen_finds_applies_pays_follows_and_rates(
    live_server, site, citizen, criterion, browser, browser_page, screenshot
):
    base = live_server.url
    page = browser_page

    # 1. Find the procedure from the home page, in plain words without diacritics.
    page.goto(f"{base}/")
    screenshot(page, "01-home")
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("chung chi hanh nghe luat su")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url(re.compile(r"/thu-tuc/\?q="))
    screenshot(page, "02-search-results")
    page.locator(f"a[href='/thu-tuc/{CODE}/']").first.click()
    page.wait_for_url(f"**/thu-tuc/{CODE}/")
    page.get_by_role("heading", name="Thời hạn, phí và ngày dự kiến có kết quả").wait_for()
    assert "đồng" in page.locator("section[aria-labelledby=thoi-han]").inner_text()
    screenshot(page, "03-procedure")

    # 2. Apply online: the form asks the citizen to sign in first.
    page.get_by_role("link", name="Nộp trực tuyến").first.click()
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(PHONE)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/thu-tuc/{CODE}/nop/")
    assert page.get_by_label("Họ và tên").input_value() == "Nguyễn Văn An"  # prefilled
    page.get_by_label("Số định danh cá nhân").fill("001085012345")
    page.get_by_label("Địa chỉ thường trú").fill("12 Lý Thường Kiệt, phường Hoàn Kiếm, Hà Nội")
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    page.get_by_role("group", name="Nơi nộp hồ sơ").get_by_text(centre.name).first.click()
    uploads = page.locator("form.apply input[type=file]")
    uploaded = uploads.count()
    for index in range(uploaded):
        uploads.nth(index).set_input_files(
            {"name": f"giay-to-{index + 1}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    page.get_by_role("radio", name="Nhận trực tuyến").check()
    screenshot(page, "04-apply-form")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/[^/]+/da-nop/$"))
    code = page.url.rstrip("/").split("/")[-2]
    screenshot(page, "05-submitted")
    dossier = Dossier.objects.get(code=code)
    assert dossier.procedure.code == CODE
    assert citizen_dossiers(citizen).filter(pk=dossier.pk).exists()
    assert dossier.documents.exclude(file="").count() == uploaded > 0

    # 3. The clerk at the provincial centre receives it from the desk queue and forwards it.
    clerk = staff_page(browser, base, "tiepnhan")
    clerk.get_by_role("link", name=re.compile("Hàng chờ tại quầy")).click()
    clerk.get_by_role("link", name=code).click()
    clerk.wait_for_url(f"**/ho-so/{code}/")
    screenshot(clerk, "06-clerk-dossier-received-online")
    act(clerk, "Tiếp nhận hồ sơ nộp trực tuyến", "Đã tiếp nhận hồ sơ")
    act(clerk, "Chuyển bước tiếp theo", "Đã chuyển hồ sơ sang bước tiếp theo")

    # 4. The Department of Justice's specialist asks for the fees.
    specialist = staff_page(browser, base, "chuyenvien")
    specialist.goto(f"{base}/ho-so/{code}/")
    act(specialist, "Yêu cầu nộp phí, lệ phí", "Đã yêu cầu nộp phí, lệ phí")
    screenshot(specialist, "07-specialist-payment-requested")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.AWAITING_PAYMENT and dossier.fee_total_vnd > 0

    # 5. The citizen pays on the (fake) VNPAY gateway.
    page.goto(f"{base}/ho-so-cua-toi/{code}/")
    page.get_by_role("heading", name="Nộp phí, lệ phí").wait_for()
    screenshot(page, "08-citizen-dossier-awaiting-payment")
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    page.get_by_role("button", name="Thanh toán qua VNPAY").click()
    page.wait_for_url(f"{site.url}/**")
    screenshot(page, "09-fake-vnpay")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.get_by_role("heading", name="Thanh toán thành công").wait_for()
    screenshot(page, "10-payment-success")
    dossier.refresh_from_db()
    assert dossier.paid_vnd == dossier.fee_total_vnd
    assert PaymentTransaction.objects.filter(dossier=dossier, status="paid").count() == 1

    # 6. The specialist hands it to the leader, whose step it is to approve: the leader records
    # the result with its electronic copy (the specialist is not offered it); the clerk
    # returns it online.
    specialist.reload()
    assert specialist.locator("aside.actions").get_by_text("Đã có kết quả giải quyết").count() == 0
    act(specialist, "Chuyển bước tiếp theo", "Đã chuyển hồ sơ sang bước tiếp theo")
    leader = staff_page(browser, base, "lanhdao")
    leader.goto(f"{base}/ho-so/{code}/")
    result_pdf = {"name": "the-tu-van-vien.pdf", "mimeType": "application/pdf", "buffer": PDF}
    act(leader, "Đã có kết quả giải quyết", "Đã ghi nhận có kết quả", upload=result_pdf)
    clerk.goto(f"{base}/ho-so/{code}/")
    act(clerk, "Trả kết quả", "Đã trả kết quả cho chủ hồ sơ", choose="Nhận trực tuyến")
    screenshot(clerk, "11-clerk-result-returned")

    # 7. The citizen sees the result on their dossier page and rates the service.
    page.goto(f"{base}/ho-so-cua-toi/{code}/")
    page.get_by_role("heading", name="Đánh giá sự hài lòng").wait_for()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    page.get_by_role("heading", name="Kết quả điện tử").wait_for()
    screenshot(page, "12-citizen-dossier-returned")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Tải về").first.click()
    assert Path(downloading.value.path()).read_bytes() == PDF
    page.get_by_role("link", name="Đánh giá").click()
    page.get_by_role("group", name="Nhìn chung").get_by_label("Rất hài lòng").check()
    page.get_by_role("group", name=criterion.text).get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Góp ý").fill("Nộp trực tuyến nhanh, không phải đi lại.")
    screenshot(page, "13-rating-form")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Bạn đã đánh giá «Rất hài lòng»").wait_for()
    screenshot(page, "14-rated")
    rating = Rating.objects.get(dossier=dossier)
    assert rating.level == "very_satisfied" and rating.comment.startswith("Nộp trực tuyến")
