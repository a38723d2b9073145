"""The waiting room's screen in a real browser (docs/appointments.md "Desk queue"): it shows
the numbers being called with their counters, and when a clerk calls the next number the
screen redraws itself from the JSON endpoint within a poll, without a reload."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from motcua.appointments.models import (
    Appointment,
    QueueTicket,
    Slot,
    SlotKind,
    TicketState,
    token_digest,
)
from motcua.appointments.queue_days import local_day
from motcua.org.models import Desk, DeskKind

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server: Any) -> str:
    from motcua.demo.seed import seed_demo

    if not Desk.objects.exists():
        seed_demo(today=dt.date(2026, 11, 25))
    cache.clear()
    return str(live_server.url)


def number(desk: Desk, slot: Slot, n: int, state: str, counter: str = "") -> QueueTicket:
    """A number of today at the desk, written directly: the screen only reads them."""
    moment = timezone.now()
    appointment = Appointment.objects.create(
        slot=slot,
        purpose="counter",
        contact_name="Nguyễn Thị Hoa",
        contact_phone="0912345678",
        channel="portal",
        created_at=moment,
        cancel_digest=token_digest(secrets.token_urlsafe(16)),
    )
    return QueueTicket.objects.create(
        appointment=appointment,
        desk=desk,
        day=local_day(moment),
        number=n,
        state=state,
        counter=counter,
        window_start=slot.start,
        expected_at=slot.start,
        called_at=moment if counter else None,
        last_called_at=moment if counter else None,
    )


def test_the_screen_follows_the_calls(site, browser_page, screenshot):
    expect = pytest.importorskip("playwright.sync_api").expect
    desk = Desk.objects.get(kind=DeskKind.CENTRE)
    start = timezone.now() - dt.timedelta(minutes=30)
    slot = Slot.objects.create(
        kind=SlotKind.DESK, desk=desk, start=start, end=start + dt.timedelta(hours=1), capacity=9
    )
    number(desk, slot, 7, TicketState.CALLED, "2")
    waiting = number(desk, slot, 8, TicketState.WAITING)
    page = browser_page
    page.goto(f"{site}/hang-doi/{desk.pk}/man-hinh/")
    assert page.locator("#serving tr.latest .num").inner_text() == "007"
    assert page.locator("#serving tr.latest .counter").inner_text() == "2"
    assert page.locator("#waiting").inner_text() == "1"
    later = timezone.now() + dt.timedelta(seconds=1)
    QueueTicket.objects.filter(pk=waiting.pk).update(
        state=TicketState.CALLED, counter="5", called_at=later, last_called_at=later
    )
    # The screen polls every five seconds (no eval: the CSP forbids it, so a locator waits).
    expect(page.locator("#serving tr.latest .num")).to_have_text("008", timeout=15_000)
    assert page.locator("#serving tr.latest .counter").inner_text() == "5"
    assert page.locator("#waiting").inner_text() == "0"
    assert "Hoa" not in page.content() and "0912345678" not in page.content()
    screenshot(page, "queue-screen")
    # Stop polling before the server goes: a request in flight would keep its connection.
    page.goto("about:blank")
