"""The document store in a real browser (docs/document-store.md).

A citizen whose earlier dossier (1.000426) was received with a scanned document and returned
with an electronic result finds both in "Kho giấy tờ", applies online for a second procedure
(1.000688) attaching the scan from the store instead of uploading it; the clerk, on the
dossier's staff page, sees that document marked as reused; once received, the Decision 766
counters count the dossier as reusing and digitised, and agree with their recount.
Screenshots: artifacts/screenshots/store-*.png.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db.models import Sum

from motcua.accounts.actions import register_citizen
from motcua.accounts.identifiers import parse_identifier
from motcua.accounts.models import CitizenProfile
from motcua.core.tests import samples
from motcua.dossiers.actions import (
    ReceivedDocument,
    accept_submission,
    return_result,
    submit_online,
)
from motcua.dossiers.counters import differences
from motcua.dossiers.models import DailyCounter, Dossier, StoredKind
from motcua.dossiers.store import citizen_store
from motcua.dossiers.tests.fixtures import application, holder, ready
from motcua.org.models import Desk, DeskKind
from tests.browser.test_citizen_journey import act, staff_page

PHONE = "0912345678"
PASSWORD = "Lua-nep-2026!"
SECOND = "1.000688"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Any) -> Any:
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_ENABLED = True
    return live_server


@pytest.fixture
def citizen(site: Any) -> Any:
    user = register_citizen(
        full_name="Nguyễn Văn An", identifier=parse_identifier(PHONE), password=PASSWORD
    )
    CitizenProfile.objects.filter(user=user).update(
        verified_phone=True, id_number="001085012345", address="12 Lý Thường Kiệt, Hà Nội"
    )
    return get_user_model().objects.get(pk=user.pk)


def earlier_dossier(citizen: Any) -> Dossier:
    """1.000426, filed online with a scan of the ID card, received, decided and returned."""
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    app = dataclasses.replace(
        application("1.000426", centre, channel="online", id_number="001085012345"),
        documents=[
            ReceivedDocument(
                "Bản sao căn cước", digitised=True, file=ContentFile(samples.PDF, "cccd.pdf")
            )
        ],
    )
    dossier = submit_online(application=app, citizen=citizen)
    clerk = get_user_model().objects.get(username="tiepnhan")
    dossier = accept_submission(dossier=dossier, officer=clerk)
    dossier = ready(dossier, result_file=ContentFile(samples.PDF, "the.pdf"))
    return return_result(dossier=dossier, officer=holder(dossier), channel="online")


def counted(field: str) -> int:
    return DailyCounter.objects.aggregate(n=Sum(field))["n"] or 0


def test_attach_from_the_store_is_reuse_the_clerk_sees_and_the_counters_count(
    site, citizen, browser, browser_page, screenshot
):
    base = site.url
    earlier = earlier_dossier(citizen)
    scan = citizen_store(citizen).get(kind=StoredKind.DOCUMENT)
    assert citizen_store(citizen).filter(kind=StoredKind.RESULT).count() == 1
    reusing_before = counted("received_reusing")

    # 1. The citizen signs in and opens her store: the scan and the result, with their source.
    page = browser_page
    page.goto(f"{base}/tai-khoan/dang-nhap/?next=/kho-giay-to/")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(PHONE)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/kho-giay-to/")
    page.get_by_role("heading", name="Kho giấy tờ").wait_for()
    table = page.locator("table.store").inner_text()
    assert "Bản sao căn cước" in table and earlier.code in table
    assert "Kết quả giải quyết" in table and "Giấy tờ đã nộp" in table
    screenshot(page, "store-01-my-store")

    # 2. She applies online for a second procedure, picking the scan from the store for the
    # first document and uploading the others.
    page.goto(f"{base}/thu-tuc/{SECOND}/nop/")
    page.get_by_label("Số định danh cá nhân").fill("001085012345")
    page.get_by_label("Địa chỉ thường trú").fill("12 Lý Thường Kiệt, Hà Nội")
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    page.get_by_role("group", name="Nơi nộp hồ sơ").get_by_text(centre.name).first.click()
    picks = page.locator("form.apply select[name^=store_]")
    assert picks.count() > 0
    picks.first.select_option(str(scan.pk))
    uploads = page.locator("form.apply input[type=file]")
    for index in range(1, uploads.count()):
        uploads.nth(index).set_input_files(
            {"name": f"giay-to-{index}.pdf", "mimeType": "application/pdf", "buffer": samples.PDF}
        )
    page.get_by_role("radio", name="Nhận trực tuyến").check()
    screenshot(page, "store-02-apply-with-store")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/[^/]+/da-nop/$"))
    code = page.url.rstrip("/").split("/")[-2]
    dossier = Dossier.objects.get(code=code)
    reused = dossier.documents.get(reused=True)
    assert reused.file.name == scan.document.file.name

    # 3. The clerk sees the document marked as reused on the dossier's page, and receives it.
    clerk = staff_page(browser, base, "tiepnhan")
    clerk.goto(f"{base}/ho-so/{code}/")
    row = clerk.locator("tr", has_text=reused.name).first
    assert "tái sử dụng" in row.inner_text()
    act(clerk, "Tiếp nhận hồ sơ nộp trực tuyến", "Đã tiếp nhận hồ sơ")
    screenshot(clerk, "store-03-clerk-sees-reuse")

    # 4. The Decision 766 counters moved, and agree with their recount.
    assert counted("received_reusing") == reusing_before + 1
    assert dossier.events.get(kind="receive").data["reusing"] is True
    assert differences() == []
