"""The Decision 766 dashboards in a real browser (docs/indicators.md): the leader's dashboard
and the public page on a phone (390 × 844, no horizontal scroll) and on a desktop
(1366 × 900), and the click from the costliest procedure in "where the points go" to its late
dossiers.

The data come from the actions: Justice dossiers received at the provincial centre on Monday
02/11/2026, two finished late on 20/11/2026 and one still in progress past its due moment at
the end of November. One committing test (``live_server``): it puts the demo province back
first if an earlier committing test took it away.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache

from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.actions import receive_dossier
from motcua.dossiers.tests.fixtures import application, at, clock, ready, receptionist
from motcua.org.models import Desk, DeskKind

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
NOVEMBER = "ky=2026-11"


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Any) -> str:
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    return str(live_server.url)


@pytest.fixture
def late_november() -> list[str]:
    """The codes of the dossiers that cost points in November 2026."""
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    clerk = receptionist(centre)
    received = at(2026, 11, 2, 8, 0)
    with clock(received):
        dossiers = [
            receive_dossier(
                application=application("1.000426", centre), officer=clerk, received_at=received
            )
            for _ in range(3)
        ]
    with clock(at(2026, 11, 20, 9, 0)):
        for dossier in dossiers[:2]:
            ready(dossier)
    return [dossier.code for dossier in dossiers]


# What sticks out past the screen's right edge, named for the failure message.
WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5).map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40))"""


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide: {page.evaluate(WIDE)}"


def sign_in(page: Any, site: str, username: str, after: str) -> None:
    page.goto(f"{site}/dang-nhap/?next={after}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/bao-cao/chi-so/"))


def context(browser: Any, viewport: dict[str, int]) -> Any:
    phone = viewport == PHONE
    made = browser.new_context(
        locale="vi-VN",
        viewport=viewport,
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )
    made.set_default_timeout(30_000)
    return made


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_leader_follows_the_lost_points_to_the_late_dossiers(
    site, browser, screenshot, late_november, size, viewport
):
    made = context(browser, viewport)
    page = made.new_page()
    sign_in(page, site, "lanhdao", f"/bao-cao/chi-so/%3F{NOVEMBER}")
    assert page.get_by_role("heading", level=1).inner_text().endswith("Tháng 11/2026")
    assert page.get_by_text(re.compile(r"Số liệu đến ngày \d{2}/\d{2}/\d{4}")).is_visible()
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() >= 2
    assert page.locator("figure.chart table").count() == charts.count()
    if viewport == PHONE:
        no_horizontal_scroll(page)
    screenshot(page, f"indicators-01-dashboard-{size}")

    worst = page.locator("tr[data-procedure] a").first
    assert "Điểm bị mất" in page.locator("#mat-diem-thu-tuc + .ind-table thead").inner_text()
    worst.click()
    page.wait_for_url(re.compile(r"/bao-cao/chi-so/tre-han/\?ky=2026-11&pham-vi=procedure&id=\d+"))
    rows = page.locator("tr[data-dossier]")
    assert rows.count() >= 1
    shown = {rows.nth(i).get_attribute("data-dossier") for i in range(rows.count())}
    assert shown & set(late_november), "a late dossier of November is in the list"
    assert rows.first.locator("a").get_attribute("href").startswith("/ho-so/")
    if viewport == PHONE:
        no_horizontal_scroll(page)
    screenshot(page, f"indicators-02-late-{size}")
    made.close()


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_public_page_on_a_phone_and_a_desktop(
    site, browser, screenshot, late_november, size, viewport
):
    made = context(browser, viewport)
    page = made.new_page()
    page.goto(f"{site}/chi-so/?{NOVEMBER}")
    assert page.get_by_text(
        "Công khai kết quả đánh giá chất lượng phục vụ theo Quyết định 766/QĐ-TTg"
    ).is_visible()
    assert page.get_by_text(re.compile(r"Số liệu đến ngày \d{2}/\d{2}/\d{4}")).is_visible()
    assert page.locator("figure.chart svg[role=img]").count() >= 4
    if viewport == PHONE:
        no_horizontal_scroll(page)
    screenshot(page, f"indicators-03-public-{size}")

    page.locator("tr[data-unit] a").first.click()
    page.wait_for_url(re.compile(r"/chi-so/don-vi/\d+/\?ky=2026-11"))
    assert page.get_by_text(re.compile(r"Số liệu đến ngày \d{2}/\d{2}/\d{4}")).is_visible()
    if viewport == PHONE:
        no_horizontal_scroll(page)
    screenshot(page, f"indicators-04-unit-{size}")

    page.emulate_media(media="print")
    assert page.locator(".portal-nav").is_hidden()
    made.close()
