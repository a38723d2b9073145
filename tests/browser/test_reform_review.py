"""A simplification review in a real browser (docs/reform.md): agency A's specialist drafts
the proposal for 1.000426 (shorten the time to 3 days, cut a document) with its cost before
and after through the edit form and its live preview, the agency's leader sends it, the
reform office (a specialist of the province's People's Committee) approves it and records
the decision that enacts it from a date a week ahead: the catalogue shows the version
waiting, a dossier received the day before keeps the old time (5 working days) and one
received on the day gets the new (3). The cycle's report shows the totals.

The province's income is 5.280.000 đ a month over 22 working days (30.000 đ an hour); the
agency counts 500 applicants a year, each once. The suggested steps are 1 hour per required
document (three), 2 hours of travel and 1 of waiting: 6 hours, 180.000 đ an application;
cutting a document takes its hour away: 150.000 đ. A year: 90.000.000 → 75.000.000 đ,
15.000.000 đ saved (16,67 %).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from motcua.catalog.deadlines import method_due_at
from motcua.catalog.models import Procedure
from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.actions import receive_dossier
from motcua.dossiers.tests.fixtures import application, clock, make_user
from motcua.org.models import Agency, AgencyKind, Desk, Role, UnitLevel
from motcua.reform.actions import open_cycle
from motcua.reform.models import IncomeRate, Proposal, ProposalStatus
from motcua.workcalendar.store import calendar_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Any) -> str:
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    return str(live_server.url)


@pytest.fixture
def proposal(site: str) -> Proposal:
    IncomeRate.objects.create(
        valid_from=dt.date(2024, 1, 1),
        monthly_income_vnd=5_280_000,
        working_days_per_month=Decimal(22),
        source="Niên giám thống kê tỉnh 2024",
    )
    committee = Agency.objects.get(
        kind=AgencyKind.PEOPLES_COMMITTEE, unit__level=UnitLevel.PROVINCE
    )
    office = make_user("ubnd_kstt", committee, Role.SPECIALIST)
    office.set_password(DEMO_PASSWORD)
    office.save()
    cycle = open_cycle(
        year=2026,
        title="Rà soát thủ tục hành chính năm 2026",
        deadline=dt.date(2026, 9, 30),
        plan_number="25/KH-UBND",
        items=[(Procedure.objects.get(code="1.000426"), Agency.objects.get(name="Sở Tư pháp"))],
        user=office,
    )
    return cycle.proposals.get()


def receive(procedure: Procedure, desk: Desk, clerk: Any, moment: dt.datetime) -> Any:
    with clock(moment):
        return receive_dossier(
            application=application(procedure.code, desk), officer=clerk, received_at=moment
        )


def due_in(procedure: Procedure, days: Decimal, moment: dt.datetime) -> dt.datetime | None:
    """The due moment of a dossier received at ``moment`` with ``days`` to decide."""
    method = procedure.methods.get(channel="direct")
    method.time_value = days
    calendar = calendar_for(procedure.competent_agency_id)
    return method_due_at(procedure, method, received_at=moment, calendar=calendar)


def sign_in(browser: Any, site: str, username: str, after: str) -> Any:
    made = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    made.set_default_timeout(30_000)
    page = made.new_page()
    page.goto(f"{site}/dang-nhap/?next={after}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(re.escape(after)))
    return page


def test_a_proposal_from_draft_to_the_cycles_report(site, browser, screenshot, proposal):
    # -- the agency's specialist drafts ------------------------------------------------------
    page = sign_in(browser, site, "chuyenvien", "/ra-soat/")
    page.get_by_role("link", name="Rà soát thủ tục hành chính năm 2026").click()
    screenshot(page, "reform-00-cycle")
    page.get_by_role("link", name="1.000426").click()
    page.get_by_role("link", name="Soạn phương án").click()
    page.wait_for_url(re.compile(r"/ra-soat/phuong-an/\d+/sua/$"))
    assert page.get_by_text("Đã gợi ý các công việc thường gặp").is_visible()
    page.get_by_label("Nội dung phương án").fill(
        "Rút ngắn thời hạn giải quyết từ 5 xuống 3 ngày làm việc; bỏ giấy xác nhận thời gian "
        "công tác pháp luật (Sở tự xác minh)."
    )
    page.get_by_label("Lý do, căn cứ").fill("Sở khai thác được thông tin từ cơ sở dữ liệu.")
    page.locator("#id_nd-0-kind").select_option("shorten_time")
    page.locator("#id_nd-0-new_time_value").fill("3")
    page.locator("#id_nd-1-kind").select_option("cut_document")
    page.locator("#id_nd-1-document").select_option(index=1)
    # The cut document's preparation goes from the steps after the change.
    page.locator("#id_sau-0-hours").fill("0")
    page.get_by_label("Tự nhập số lượng").check()
    page.get_by_label("Số lần thực hiện của một đối tượng/năm").fill("1")
    page.get_by_label("Số đối tượng thực hiện/năm").fill("500")
    page.get_by_label("Nguồn số liệu số lượng").fill("Số liệu cấp thẻ năm 2025 của Sở Tư pháp")
    page.get_by_role("button", name="Tính thử chi phí").click()
    preview = page.locator("#preview")
    preview.get_by_text("Tiết kiệm mỗi năm: 15.000.000 đ (16,67%).").wait_for()
    assert preview.locator("[data-preview=per-execution-before]").inner_text() == "180.000 đ"
    assert preview.locator("[data-preview=per-execution-after]").inner_text() == "150.000 đ"
    screenshot(page, "reform-01-draft-with-preview")
    page.get_by_role("button", name="Lưu phương án").click()
    page.wait_for_url(re.compile(r"/ra-soat/phuong-an/\d+/$"))
    assert page.get_by_text("Đã lưu phương án và tính chi phí tuân thủ.").is_visible()
    assert page.locator("[data-total=annual-saving]").inner_text() == "15.000.000 đ"
    assert "Rút ngắn thời hạn giải quyết" in page.locator("table.changes").inner_text()
    screenshot(page, "reform-02-drafted")
    page.context.close()

    # -- the agency's leader sends it ---------------------------------------------------------
    path = f"/ra-soat/phuong-an/{proposal.pk}/"
    page = sign_in(browser, site, "lanhdao", path)
    page.get_by_role("button", name="Gửi thẩm định").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    assert page.locator("[data-status]").get_attribute("data-status") == "submitted"
    page.context.close()

    # -- the reform office approves it --------------------------------------------------------
    page = sign_in(browser, site, "ubnd_kstt", path)
    page.get_by_label("Ý kiến thẩm định (không bắt buộc)").fill("Đồng ý phương án.")
    page.get_by_role("button", name="Thông qua phương án").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    assert page.locator("[data-status]").inner_text() == "Đã thông qua"
    screenshot(page, "reform-03-approved")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED

    # -- the office records the decision that enacts it ---------------------------------------
    # Effective in a week: the catalogue shows the version waiting; a dossier received the
    # day before keeps 5 working days, one received on the day gets 3.
    effective = timezone.localdate() + dt.timedelta(days=7)
    page.get_by_label("Số quyết định").fill("1234/QĐ-UBND")
    page.get_by_label("Ngày có hiệu lực").fill(f"{effective:%d/%m/%Y}")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    assert page.locator("[data-status]").inner_text() == "Đã ban hành"
    screenshot(page, "reform-04-enacted")
    page.get_by_role("link", name="Xem các lần sửa đổi, bổ sung").click()
    versions = page.locator("section.versions")
    assert "1234/QĐ-UBND" in versions.inner_text()
    assert f"có hiệu lực từ {effective:%d/%m/%Y}" in versions.inner_text()
    assert "5 ngày làm việc → 3 ngày làm việc" in versions.inner_text()
    screenshot(page, "reform-05-catalogue")

    procedure = Procedure.objects.get(code="1.000426")
    desk = Desk.objects.get(name="Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp")
    clerk = get_user_model().objects.get(username="tiepnhan")
    zone = timezone.get_current_timezone()
    the_day_before = dt.datetime.combine(effective - dt.timedelta(days=1), dt.time(9), zone)
    on_the_day = dt.datetime.combine(effective, dt.time(9), zone)
    kept = receive(procedure, desk, clerk, the_day_before)
    assert kept.due_at == due_in(procedure, Decimal(5), the_day_before)
    new = receive(procedure, desk, clerk, on_the_day)
    assert new.due_at == due_in(procedure, Decimal(3), on_the_day)
    assert type(kept).objects.get(pk=kept.pk).due_at == kept.due_at
    page.goto(f"{site}/ra-soat/phuong-an/{proposal.pk}/")

    # -- the cycle's report -------------------------------------------------------------------
    page.goto(f"{site}/ra-soat/{proposal.cycle_id}/bao-cao/")
    assert page.get_by_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").is_visible()
    totals = page.locator("[data-report=totals]")
    assert totals.locator("[data-total=proposed]").inner_text() == "1"
    assert totals.locator("[data-total=saving]").inner_text() == "15.000.000"
    assert totals.locator("[data-total=saving-share]").inner_text() == "16,67"
    assert "1.000426" in page.locator("[data-report=proposals]").inner_text()
    screenshot(page, "reform-06-report")
    page.emulate_media(media="print")
    assert page.locator(".toolbar").is_hidden()
    page.context.close()
