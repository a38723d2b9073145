"""The post office's check on a phone, in a real browser (docs/postal.md "The post office's
check"): a 360 px wide screen, no horizontal scroll on any page, touch targets at least 44 px
high, the slip photographed (a file chosen) and the check recorded.

One committing test (``live_server``): it puts the demo province back first if an earlier
committing test took it away.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from motcua.core.tests import samples
from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.actions import submit_online
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import application
from motcua.org.models import Desk, DeskKind
from motcua.postal.actions import Address, Contact, register_postal_service
from motcua.postal.models import OrderChannel, OrderStatus, PostalOrder

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Any) -> str:
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    return str(live_server.url)


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_the_postman_checks_a_pickup_on_a_phone(site, browser, tmp_path, screenshot):
    citizen = get_user_model().objects.create_user(username="cong_dan_an", first_name="An")
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    dossier = submit_online(
        application=application("1.000426", centre, channel="online"), citizen=citizen
    )
    order = register_postal_service(
        dossier=dossier,
        actor=citizen,
        service="pickup",
        address=Address("12 Lý Thường Kiệt, khóm 3", "29869"),
        contact=Contact("Nguyễn Văn An", "0912345678", "sau 17 giờ"),
        channel=OrderChannel.PORTAL,
    ).order
    photo = tmp_path / "phieu.png"
    photo.write_bytes(samples.PNG)

    context = browser.new_context(
        locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{site}/dang-nhap/?next=/buu-dien/")
    page.get_by_label("Tên đăng nhập").fill("buudien")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/buu-dien/$"))
    no_horizontal_scroll(page)

    card = page.locator(f'a[data-order="{order.pk}"]')
    assert card.bounding_box()["height"] >= 44
    card.click()
    page.wait_for_url(re.compile(rf"/buu-dien/don/{order.pk}/$"))
    no_horizontal_scroll(page)
    screenshot(page, "post-office-01-check")
    counts = page.locator("input.count")
    for index in range(counts.count()):
        assert counts.nth(index).bounding_box()["height"] >= 44
    if counts.count() >= 2:
        counts.nth(0).fill("1")
    page.locator('input[name="extra_name"]').fill("Tờ khai")
    page.locator('input[name="extra_orig"]').fill("1")
    page.get_by_label("Đã nhận đủ hồ sơ").check()
    page.locator('input[name="slip"]').set_input_files(str(photo))
    submit = page.get_by_role("button", name="Ghi nhận kiểm tra")
    assert submit.bounding_box()["height"] >= 44
    submit.click()
    page.wait_for_url(re.compile(rf"/buu-dien/don/{order.pk}/$"))
    assert page.get_by_text("Đã ghi nhận kết quả kiểm tra hồ sơ.").is_visible()
    no_horizontal_scroll(page)
    assert PostalOrder.objects.get(pk=order.pk).status == OrderStatus.COLLECTED

    page.goto(f"{site}/buu-dien/ban-giao/")
    no_horizontal_scroll(page)
    page.get_by_role("button", name="Lập biên bản bàn giao").click()
    page.wait_for_url(re.compile(r"/buu-dien/ban-giao/\d+/$"))
    no_horizontal_scroll(page)
    screenshot(page, "post-office-02-handover")
    assert page.get_by_text(dossier.code).first.is_visible()
    record = page.url
    context.close()

    # The centre's clerk confirms receipt on the desk's computer; the dossier is received.
    desk = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    desk.set_default_timeout(30_000)
    clerk = desk.new_page()
    clerk.goto(f"{site}/dang-nhap/?next={record.removeprefix(site)}")
    clerk.get_by_label("Tên đăng nhập").fill("tiepnhan")
    clerk.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    clerk.get_by_role("button", name="Đăng nhập").click()
    clerk.wait_for_url(record)
    clerk.get_by_role("button", name="Xác nhận đã nhận").click()
    clerk.wait_for_url(record)
    assert clerk.get_by_text("Đã xác nhận nhận hồ sơ từ bưu điện.").is_visible()
    clerk.goto(record + "in/")
    screenshot(clerk, "post-office-03-handover-print")
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
    desk.close()
