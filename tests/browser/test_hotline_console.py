"""The 1022 console in a real browser (docs/hotline.md "Screens").

1. Operator "tongdai" logs five realistic calls through the call form, and every click and
   every keyboard submission is counted (typing is not: the cursor starts in the number, Tab
   moves to the content). The counts per call and their median go to
   artifacts/console_clicks.json, the figure to quote for "the operator's median clicks to
   log a call".
2. A ticket from Zalo is opened from the queue, routed with its routing suggestion in one
   click, and answered by the Department of Justice's officer from the knowledge base.

One committing test per part (``live_server``): Django empties the database after each, so
each puts the demo province back first if an earlier committing test took it away.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.actions import receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import application
from motcua.hotline.actions import log_call
from motcua.hotline.models import Ticket, TicketMessage
from motcua.hotline.status import TicketStatus
from motcua.hotline.tests.fixtures import chat
from motcua.org.models import Desk, DeskKind

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Any) -> str:
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()  # sign-in rate limits from zero
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PUBLIC_URL = live_server.url
    return str(live_server.url)


def signed_in(browser: Any, base: str, username: str, start: str) -> Any:
    """A page of its own for a member of staff, signed in through /dang-nhap/."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{base}/dang-nhap/?next={start}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(re.escape(start) + "$"))
    return page


@dataclass
class Effort:
    call: str
    clicks: int = 0  # page.click / check / select
    submissions: int = 0  # Enter pressed to save
    tabs: int = 0  # Tab presses (keyboard moves, neither clicks nor submissions)


class Operator:
    """Drives the call form and counts what the operator does beyond typing."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.efforts: list[Effort] = []

    def start(self, name: str) -> Effort:
        self.efforts.append(Effort(name))
        return self.efforts[-1]

    @property
    def now(self) -> Effort:
        return self.efforts[-1]

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=15)

    def tab(self) -> None:
        self.now.tabs += 1
        self.page.keyboard.press("Tab")

    def click(self, locator: Any) -> None:
        self.now.clicks += 1
        locator.click()

    def check(self, locator: Any) -> None:
        self.now.clicks += 1
        locator.check()

    def enter(self) -> None:
        """Save: the form posts and the fresh form for the next call comes back."""
        self.now.submissions += 1
        with self.page.expect_navigation(url=re.compile(r"/tong-dai/goi-dien/$")):
            self.page.keyboard.press("Enter")


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.name"))


def saved(page: Any, before: int) -> Ticket:
    """The one new ticket, announced on the fresh form, which waits in the number."""
    ticket = Ticket.objects.order_by("-id").first()
    assert ticket is not None and Ticket.objects.count() == before + 1
    page.get_by_role("status").filter(has_text=f"Đã lưu cuộc gọi {ticket.code}").wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.name === 'phone'")
    return ticket


@pytest.fixture
def dossier(site: str) -> Dossier:
    """Nguyễn Văn An's application for a legal consultant card, received at the centre."""
    clerk = get_user_model().objects.get(username="tiepnhan")
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    return receive_dossier(
        application=application("1.000426", centre, phone="0912345678"), officer=clerk
    )


def test_operator_logs_five_calls_with_few_clicks(site, dossier, browser, screenshot):
    base = site
    tongdai = signed_in(browser, base, "tongdai", "/tong-dai/goi-dien/")
    log_call(
        operator=get_user_model().objects.get(username="tongdai"),
        phone="0912345678",
        name="Nguyễn Văn An",
        body="Hỏi thành phần hồ sơ cấp thẻ tư vấn viên pháp luật",
        answer="Đã hướng dẫn qua điện thoại.",
    )
    page = tongdai
    page.reload()
    screenshot(page, "hotline-01-call-form")
    assert focused(page) == "phone"
    operator = Operator(page)

    # 1. A returning caller asks where his application is: the panel knows him and his
    #    dossier; one click links the dossier.
    before = Ticket.objects.count()
    operator.start("hỏi tình trạng hồ sơ, liên kết hồ sơ")
    operator.type("0912 345 678")
    page.locator("#id_name[value='Nguyễn Văn An']").wait_for()
    operator.tab()
    assert focused(page) == "body"
    operator.type("Hỏi hồ sơ cấp thẻ tư vấn viên pháp luật nộp tuần trước đã xử lý đến đâu")
    operator.check(page.get_by_role("checkbox", name=re.compile(re.escape(dossier.code))))
    screenshot(page, "hotline-02-call-caller-panel")
    operator.enter()
    first = saved(page, before)
    assert list(first.dossiers.all()) == [dossier]
    assert first.contact.name == "Nguyễn Văn An"

    # 2. A new caller asks about a criminal record certificate: one click on the suggestion
    #    routes it to the provincial police.
    before = Ticket.objects.count()
    operator.start("hỏi lý lịch tư pháp, chuyển theo gợi ý")
    operator.type("0903 111 222")
    operator.tab()
    operator.type("Cho em hỏi làm phiếu lý lịch tư pháp số 2 mất mấy ngày, nộp ở đâu ạ")
    suggestion = page.get_by_role("radio", name=re.compile("Chuyển Công an tỉnh Đồng Tháp"))
    suggestion.first.wait_for()
    screenshot(page, "hotline-03-call-suggestions")
    operator.check(suggestion.first)
    operator.enter()
    second = saved(page, before)
    assert second.status == TicketStatus.ROUTED
    assert second.agency is not None and second.agency.name == "Công an tỉnh Đồng Tháp"

    # 3. A landline reports a landslide on a hamlet road: feedback, one click on the kind.
    before = Ticket.objects.count()
    operator.start("phản ánh sạt lở đường, chọn loại")
    operator.type("0277 3851 234")
    operator.tab()
    operator.type("Đường ấp 3 xã Tân Hồng bị sạt lở một đoạn, xe máy đi rất nguy hiểm, đề nghị sửa")
    operator.check(page.get_by_role("radio", name="Phản ánh", exact=True))
    operator.enter()
    third = saved(page, before)
    assert third.kind == "feedback" and third.contact.phone == "02773851234"

    # 4. A question answered on the line: Tab from the content to the answer box.
    before = Ticket.objects.count()
    operator.start("hỏi giờ làm việc, trả lời ngay")
    operator.type("+84 987 654 321")
    operator.tab()
    operator.type("Thứ bảy Trung tâm Phục vụ hành chính công tỉnh có làm việc không?")
    operator.tab()
    assert focused(page) == "answer"
    operator.type("Sáng thứ bảy có làm việc, từ 7 giờ 30 đến 11 giờ 30.")
    operator.enter()
    fourth = saved(page, before)
    assert fourth.status == TicketStatus.ANSWERED
    assert fourth.contact.phone == "0987654321"

    # 5. The caller of call 2 rings back: the panel shows the earlier ticket; number,
    #    content, Enter.
    before = Ticket.objects.count()
    operator.start("gọi lại lần hai")
    operator.type("0903111222")
    page.locator("#caller").get_by_role("link", name=second.code).wait_for()
    operator.tab()
    operator.type("Gọi lại hỏi phiếu lý lịch tư pháp có nhận qua bưu điện được không")
    operator.enter()
    fifth = saved(page, before)
    assert fifth.contact_id == second.contact_id
    screenshot(page, "hotline-04-call-saved")

    clicks = [effort.clicks for effort in operator.efforts]
    submissions = [effort.submissions for effort in operator.efforts]
    summary = {
        "calls": [asdict(effort) for effort in operator.efforts],
        "median_clicks": statistics.median(clicks),
        "median_submissions": statistics.median(submissions),
        "median_clicks_and_submissions": statistics.median(
            [e.clicks + e.submissions for e in operator.efforts]
        ),
    }
    for effort in operator.efforts:
        print(
            f"{effort.call}: {effort.clicks} click(s), {effort.submissions} Enter, "
            f"{effort.tabs} Tab"
        )
    print(f"median clicks per call: {summary['median_clicks']}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "console_clicks.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    assert submissions == [1, 1, 1, 1, 1]
    assert summary["median_clicks"] <= 1

    page.goto(f"{base}/tong-dai/")
    screenshot(page, "hotline-05-queue")
    assert first.code in page.locator("#queue").inner_text()


def test_route_by_suggestion_then_the_agency_answers(site, browser, screenshot):
    base = site
    ticket = chat(
        "Cho em hỏi làm thẻ tư vấn viên pháp luật cần những giấy tờ gì, bao lâu có kết quả?",
        sender="zalo-browser-1",
        name="Phạm Thị Mai",
    )
    assert any(s["agency"] == "Sở Tư pháp" for s in ticket.suggestions)

    # The operator opens it from the queue and applies the suggestion.
    tongdai = signed_in(browser, base, "tongdai", "/tong-dai/")
    tongdai.get_by_role("link", name=ticket.code).click()
    tongdai.wait_for_url(f"**/tong-dai/{ticket.code}/")
    screenshot(tongdai, "hotline-06-ticket")
    tongdai.get_by_role("button", name="Áp dụng: chuyển Sở Tư pháp").first.click()
    tongdai.get_by_role("status").filter(has_text="Đã chuyển phản ánh").wait_for()
    screenshot(tongdai, "hotline-07-ticket-routed")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ROUTED and ticket.agency.name == "Sở Tư pháp"

    # The Department of Justice's officer takes it from the agency queue and answers it from
    # the knowledge base.
    officer = signed_in(browser, base, "chuyenvien", "/tong-dai/")
    row = officer.locator("tr", has=officer.get_by_role("link", name=ticket.code))
    screenshot(officer, "hotline-08-agency-queue")
    row.get_by_role("button", name="Nhận xử lý (cơ quan)").click()
    officer.wait_for_url(f"**/tong-dai/{ticket.code}/")
    officer.get_by_label("Tìm trong hỏi đáp đã công khai và thủ tục").fill("tu van vien phap luat")
    officer.locator("#knowledge-results a[data-insert]").first.click()
    answer = officer.get_by_label("Nội dung trả lời")
    assert "/thu-tuc/" in answer.input_value()
    screenshot(officer, "hotline-09-agency-answer")
    officer.get_by_role("button", name="Gửi trả lời").click()
    officer.get_by_role("status").filter(has_text="Đã trả lời").wait_for()
    screenshot(officer, "hotline-10-answered")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ANSWERED
    reply = TicketMessage.objects.get(ticket=ticket, direction="out")
    assert reply.channel == "zalo" and "/thu-tuc/" in reply.body
