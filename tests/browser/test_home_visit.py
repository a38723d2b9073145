"""A home visit in a real browser (docs/appointments.md): a citizen books it on the portal,
the reminder reaches them, and the officer receives the dossier at the visit through the
reception action.

How the test reads the messages: the booking writes outbox rows (``Notification``); the test
runs the periodic jobs' functions itself (``send_due_reminders`` at the reminder's due
moment, then the outbox's ``drain``) with Django's console email backend, the one a
developer's ``make run`` uses, and reads what it printed (``capsys``). The confirmation's
sealed change/cancel link is read from the in-memory mailbox and opened in the browser.

One committing test (``live_server``); the visit's day is reached with time-machine (the
server's thread shares the test's clock).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from motcua.accounts.actions import register_citizen
from motcua.accounts.identifiers import parse_identifier
from motcua.accounts.models import CitizenProfile
from motcua.appointments.models import Appointment, AppointmentReminder, Slot, SlotKind
from motcua.appointments.reminders import send_due_reminders
from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notifications.delivery import drain
from motcua.notifications.models import Notification
from motcua.org.models import Desk

PHONE = "0912345678"
EMAIL = "hoa.nguyen@example.vn"
PASSWORD = "Lua-nep-2026!"
CODE = "1.000426"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Any) -> Any:
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PUBLIC_URL = live_server.url
    return live_server


@pytest.fixture
def slot(site: Any) -> Slot:
    """The clerk's visit slot the day after tomorrow at 09:00, in the Cao Lãnh ward."""
    day = timezone.localdate() + dt.timedelta(days=2)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    slot = Slot.objects.create(
        kind=SlotKind.HOME,
        start=start,
        end=start + dt.timedelta(minutes=45),
        officer=get_user_model().objects.get(username="tiepnhan"),
        travel_minutes=15,
    )
    ward = Desk.objects.get(name="Trung tâm Phục vụ hành chính công phường Cao Lãnh").unit
    slot.units.add(ward)
    return slot


@pytest.fixture
def citizen(site: Any, settings: Any) -> Any:
    """Nguyễn Thị Hoa, signed up with her phone (verified: no code step), her email in her
    profile. SMS is on only for the sign-up's code, which is only queued; the home visit's
    messages then go by email alone."""
    settings.SMS_ENABLED = True
    user = register_citizen(
        full_name="Nguyễn Thị Hoa", identifier=parse_identifier(PHONE), password=PASSWORD
    )
    settings.SMS_ENABLED = False
    CitizenProfile.objects.filter(user=user).update(
        verified_phone=True, email=EMAIL, address="12 Nguyễn Huệ"
    )
    return user


def test_a_citizen_books_a_home_visit_is_reminded_and_the_officer_receives_the_dossier(
    site, slot, citizen, browser, browser_page, screenshot, capsys, settings
):
    base = site.url
    page = browser_page
    day = timezone.localtime(slot.start).date()

    # 1. The citizen signs in and books on the portal: commune → date → a free slot.
    page.goto(f"{base}/hen-tai-nha/")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(PHONE)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/hen-tai-nha/")
    page.get_by_label("Xã, phường nơi ở").select_option(label="Phường Cao Lãnh")
    page.get_by_label("Ngày hẹn").fill(day.isoformat())
    page.get_by_role("button", name="Xem khung giờ trống").click()
    page.get_by_role("radio", name=re.compile(r"09:00–09:45")).check()
    page.get_by_label("Mã thủ tục").fill(CODE)
    assert page.get_by_label("Họ tên người liên hệ").input_value() == "Nguyễn Thị Hoa"
    screenshot(page, "home-visit-01-booking")
    page.get_by_role("button", name="Đặt lịch hẹn").click()
    page.get_by_role("status").filter(has_text="Đã đặt lịch hẹn tại nhà số").wait_for()
    screenshot(page, "home-visit-02-booked")
    appointment = Appointment.objects.get()
    assert (appointment.channel, appointment.booked_by_id) == ("portal", citizen.pk)

    # 2. The confirmation: its link (sealed in the outbox) opens the masked page.
    drain()
    confirmation = next(m for m in mail.outbox if m.subject.startswith("Xác nhận lịch hẹn"))
    link = re.search(r"https?://\S+/lich-hen/doi-huy/\S+/", confirmation.body)
    assert link is not None
    stored = Notification.objects.get(kind="appointment_confirmed", channel="email")
    assert link.group(0) not in stored.body  # only sealed in the database
    page.goto(link.group(0))
    page.get_by_role("button", name="Hủy lịch hẹn").wait_for()
    shown = page.locator("main").inner_text()
    assert "Nguyễn Thị Hoa" not in shown and PHONE not in shown  # masked
    screenshot(page, "home-visit-03-link")

    # 3. The day-before reminder, drained at its moment, printed by the console backend.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    due = AppointmentReminder.objects.get(appointment=appointment, kind="day_before").due_at
    assert due == slot.start - dt.timedelta(days=1)
    capsys.readouterr()
    assert send_due_reminders(at=due) == 1
    drain()
    printed = capsys.readouterr().out
    assert f"To: {EMAIL}" in printed
    assert f"lịch hẹn số {appointment.pk}, cán bộ sẽ đến" in printed

    # 4. On the visit's day the officer opens the day list and receives the dossier.
    with time_machine.travel(slot.start + dt.timedelta(minutes=5), tick=True):
        officer_context = browser.new_context(locale="vi-VN")
        officer = officer_context.new_page()
        officer.goto(f"{base}/dang-nhap/?next=/lich-hen/trong-ngay/")
        officer.get_by_label("Tên đăng nhập").fill("tiepnhan")
        officer.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        officer.get_by_role("button", name="Đăng nhập").click()
        officer.wait_for_url("**/lich-hen/trong-ngay/")
        assert "12 Nguyễn Huệ, Phường Cao Lãnh" in officer.content()
        screenshot(officer, "home-visit-04-day-list")
        officer.get_by_role("link", name=f"#{appointment.pk}").click()
        officer.get_by_label(re.compile("Thành phần hồ sơ đã nhận")).fill("Tờ khai\nCCCD bản sao")
        officer.get_by_role("button", name="Tiếp nhận hồ sơ").click()
        officer.get_by_role("status").filter(has_text="Đã tiếp nhận hồ sơ").wait_for()
        screenshot(officer, "home-visit-05-received")
        officer_context.close()

    dossier = Dossier.objects.get(origin_appointment=appointment.pk)
    assert dossier.status == "received" and dossier.channel == "direct"
    receive = DossierEvent.objects.get(dossier=dossier, kind="receive")
    assert receive.data["origin_appointment"] == appointment.pk
    appointment.refresh_from_db()
    assert appointment.status == "done" and appointment.dossier_id == dossier.pk
