"""The public postal service end to end, in a real browser, against the fake carrier over
HTTP with its signed webhooks (docs/postal.md).

A citizen applies online for 1.000688 and, from the page shown after submitting, asks the
post to collect the papers and bring the result home. The carrier takes the pickup order
and starts collecting; the post office's officer checks the papers on a phone and draws up
the hand-over record; the provincial centre's clerk receives the parcel with it (the clock
starts then) and the agency processes the dossier; the ready result is sent to the carrier
as a delivery, which it delivers, and the dossier is returned by post. The citizen follows
every step on "my dossiers". Screenshots go to artifacts/screenshots/.

One committing test (``live_server``): it puts the demo province back first if an earlier
committing test took it away.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from motcua.accounts.actions import register_citizen
from motcua.accounts.identifiers import parse_identifier
from motcua.accounts.models import CitizenProfile
from motcua.core.tests import samples
from motcua.demo.seed import DEMO_PASSWORD
from motcua.devtools.fakes.carrier import (
    DEV_CUSTOMER_CODE,
    DEV_KEY,
    DEV_SECRET,
    DEV_WEBHOOK_SECRET,
    FakeCarrier,
)
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.tests.fixtures import ready
from motcua.org.models import Desk, DeskKind
from motcua.postal import carrier as postal_carrier
from motcua.postal.models import OrderStatus, PostalOrder, PostalService

CODE = "1.000688"  # Sở Tư pháp, partly online: the papers are still needed
PHONE = "0912345678"
PASSWORD = "Lua-nep-2026!"
CAO_LANH = "29869"
ON_A_PHONE = {"width": 360, "height": 740}
WEBHOOK = "/api/v1/postal/carrier-events"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def carrier(live_server: Any, settings: Any, tmp_path: Any) -> Iterator[FakeCarrier]:
    """The demo province on the live site, switched on to the fake carrier, whose webhooks
    reach the live site over HTTP, signed."""
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_ENABLED = True  # the sign-up code is only queued in the outbox, never sent
    with FakeCarrier(webhook_url=f"{live_server.url}{WEBHOOK}") as fake:
        settings.CARRIER_ENABLED = True
        settings.CARRIER_BASE_URL = fake.base_url
        settings.CARRIER_CUSTOMER_CODE = DEV_CUSTOMER_CODE
        settings.CARRIER_KEY = DEV_KEY
        settings.CARRIER_SECRET = DEV_SECRET
        settings.CARRIER_WEBHOOK_SECRET = DEV_WEBHOOK_SECRET
        postal_carrier._client = None
        yield fake
        postal_carrier._client = None


@pytest.fixture
def citizen(carrier: FakeCarrier) -> Any:
    user = register_citizen(
        full_name="Nguyễn Văn An", identifier=parse_identifier(PHONE), password=PASSWORD
    )
    CitizenProfile.objects.filter(user=user).update(verified_phone=True)
    return get_user_model().objects.get(pk=user.pk)


def sign_in(browser: Any, base: str, username: str, next_url: str, **context: Any) -> Any:
    """A page of its own for a member of staff, signed in and on ``next_url``."""
    options = {"locale": "vi-VN", "viewport": {"width": 1280, "height": 900}, **context}
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/dang-nhap/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}{next_url}")
    return page


def status(order: PostalOrder) -> str:
    return PostalOrder.objects.get(pk=order.pk).status


def test_papers_collected_and_result_delivered_by_post(
    live_server, carrier, citizen, browser, browser_page, screenshot
):
    base = live_server.url
    page = browser_page

    # 1. The citizen applies online, then asks for the post at the page after submitting.
    page.goto(f"{base}/thu-tuc/{CODE}/nop/")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(PHONE)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/thu-tuc/{CODE}/nop/")
    page.get_by_label("Số định danh cá nhân").fill("001085012345")
    page.get_by_label("Địa chỉ thường trú").fill("12 Lý Thường Kiệt, khóm 3, phường Cao Lãnh")
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    page.get_by_role("group", name="Nơi nộp hồ sơ").get_by_text(centre.name).first.click()
    uploads = page.locator("form.apply input[type=file]")
    for index in range(uploads.count()):
        uploads.nth(index).set_input_files(
            {
                "name": f"giay-to-{index + 1}.pdf",
                "mimeType": "application/pdf",
                "buffer": samples.PDF,
            }
        )
    page.get_by_role("radio", name="Nhận trực tuyến").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/[^/]+/da-nop/$"))
    code = page.url.rstrip("/").split("/")[-2]
    page.get_by_role("link", name="Đăng ký dịch vụ bưu chính công ích").click()
    page.wait_for_url(f"**/ho-so-cua-toi/{code}/buu-chinh/")
    page.get_by_label("Cả hai: thu gom hồ sơ và chuyển trả kết quả").check()
    page.get_by_label("Địa chỉ (số nhà, đường, ấp, khu phố)").fill("12 Lý Thường Kiệt, khóm 3")
    page.get_by_label("Xã, phường").select_option(CAO_LANH)
    page.get_by_label("Thời gian thuận tiện").fill("sau 17 giờ")
    screenshot(page, "postal-01-order-form")
    page.get_by_role("button", name="Đăng ký dịch vụ bưu chính").click()
    page.get_by_text("Đã đăng ký 2 dịch vụ bưu chính công ích").wait_for()
    screenshot(page, "postal-02-ordered")
    dossier = Dossier.objects.get(code=code)
    pickup = PostalOrder.objects.get(dossier=dossier, service=PostalService.PICKUP)
    delivery = PostalOrder.objects.get(dossier=dossier, service=PostalService.DELIVERY)
    assert dossier.result_delivery == ResultDelivery.POSTAL

    # 2. The carrier takes the pickup (the delivery waits for the result) and collects.
    assert postal_carrier.drain()["sent"] == 1
    carrier.advance(pickup.order_number)  # the postman is on the way: a signed webhook
    assert status(pickup) == OrderStatus.COLLECTING

    # 3. The post office's officer checks the papers on a phone and draws up the hand-over.
    slip = {"name": "phieu.png", "mimeType": "image/png", "buffer": samples.PNG}
    phone = sign_in(
        browser, base, "buudien", "/buu-dien/", viewport=ON_A_PHONE, is_mobile=True, has_touch=True
    )
    phone.locator(f'a[data-order="{pickup.pk}"]').click()
    phone.wait_for_url(f"**/buu-dien/don/{pickup.pk}/")
    phone.locator('input[name="extra_name"]').fill("Bản chính giấy tờ đã nộp trực tuyến")
    phone.locator('input[name="extra_orig"]').fill("1")
    phone.get_by_label("Đã nhận đủ hồ sơ").check()
    phone.locator('input[name="slip"]').set_input_files(slip)
    screenshot(phone, "postal-03-check-on-a-phone")
    phone.get_by_role("button", name="Ghi nhận kiểm tra").click()
    phone.get_by_text("Đã ghi nhận kết quả kiểm tra hồ sơ.").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= ON_A_PHONE["width"]
    assert status(pickup) == OrderStatus.COLLECTED
    phone.goto(f"{base}/buu-dien/ban-giao/")
    phone.get_by_role("button", name="Lập biên bản bàn giao").click()
    phone.wait_for_url(re.compile(r"/buu-dien/ban-giao/\d+/$"))
    record = phone.url.removeprefix(base)

    # 4. The centre's clerk receives the parcel with the record: the dossier is received now.
    clerk = sign_in(browser, base, "tiepnhan", record)
    clerk.get_by_text(code).first.wait_for()
    pdf = clerk.request.get(f"{base}{record.rstrip('/')}.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    clerk.get_by_role("button", name="Xác nhận đã nhận").click()
    clerk.get_by_text("Đã xác nhận nhận hồ sơ từ bưu điện.").wait_for()
    screenshot(clerk, "postal-04-handover-received")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED and dossier.received_at is not None
    assert status(pickup) == OrderStatus.HANDED_OVER

    # 5. The agency processes it; the ready result goes to the carrier, which delivers it.
    ready(dossier)
    assert postal_carrier.drain()["sent"] == 1
    while carrier.advance(delivery.order_number):
        pass
    assert status(delivery) == OrderStatus.DELIVERED
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    assert dossier.returned_via == ResultDelivery.POSTAL

    # 6. The citizen sees every step on "my dossiers".
    page.goto(f"{base}/ho-so-cua-toi/{code}/")
    timeline = page.locator("ol.timeline").inner_text()
    for step in (
        "Đăng ký dịch vụ bưu chính công ích",
        "kiểm tra hồ sơ thu gom",
        "nhận hồ sơ từ bưu điện",
        "Trả kết quả",
    ):
        assert step.lower() in timeline.lower(), step
    postal = page.locator("section[aria-labelledby=buu-chinh]").inner_text()
    assert "Đã phát thành công" in postal
    screenshot(page, "postal-05-citizen-follows")
