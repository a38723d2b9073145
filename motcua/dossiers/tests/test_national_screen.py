"""The operator's sync screen (/dong-bo/cong-dvc-quoc-gia/), its "Gửi lại", and the sync line
of the dossier page.

Dossiers are 1.000426 (Sở Tư pháp) received by ``clerk_binh`` at the provincial centre on
Monday 02/03/2026 with the sync switched on, so reception queues their "receive" change and
counts them due; what the portal did with them (accepted, refused) is written as the sync
worker records it. The screen is read on Tuesday 03/03/2026 09:00.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.core.actions import ActionError
from motcua.core.outbox.models import OutboxStatus
from motcua.dossiers.actions import resend_national_changes
from motcua.dossiers.models import (
    Dossier,
    NationalSyncChange,
    NationalSyncCounter,
    NationalSyncState,
)
from motcua.dossiers.national.overview import waited
from motcua.dossiers.tests.fixtures import at, clock
from motcua.org.models import Agency

pytestmark = pytest.mark.django_db

SCREEN = "/dong-bo/cong-dvc-quoc-gia/"
RESEND = "/dong-bo/cong-dvc-quoc-gia/gui-lai/"
MONDAY = at(2026, 3, 2, 8, 0)
TUESDAY = at(2026, 3, 3, 9, 0)
REFUSAL = "Thiếu mã lĩnh vực"


@pytest.fixture(autouse=True)
def _sync_on(settings: Any) -> None:
    settings.NATIONAL_PORTAL_ENABLED = True


def persona(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def change_of(dossier: Dossier) -> NationalSyncChange:
    return NationalSyncChange.objects.get(dossier=dossier)


def accepted(dossier: Dossier, when: dt.datetime) -> None:
    """The portal took the dossier at ``when``: its change sent, its state recorded, and it
    counts as synced on its reception day."""
    NationalSyncChange.objects.filter(dossier=dossier).update(
        status=OutboxStatus.SENT, attempts=1, attempted_at=when, sent_at=when
    )
    NationalSyncState.objects.create(
        dossier=dossier, on_portal=True, accepted_seq=dossier.event_seq, accepted_at=when
    )
    NationalSyncCounter.objects.filter(
        day=MONDAY.date(), agency_id=dossier.competent_agency_id
    ).update(synced=F("synced") + 1)


def refused(dossier: Dossier, when: dt.datetime, attempts: int = 1) -> NationalSyncChange:
    """The portal refused the dossier's data at ``when``: the change failed with its answer."""
    NationalSyncChange.objects.filter(dossier=dossier).update(
        status=OutboxStatus.FAILED,
        attempts=attempts,
        attempted_at=when,
        last_error=f"Cổng DVC quốc gia từ chối: {REFUSAL}",
    )
    NationalSyncState.objects.create(dossier=dossier, rejection=REFUSAL)
    return change_of(dossier)


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with ``element_id``, tags dropped and spaces collapsed."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:dd|table)>', html, re.S)
    assert found, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.fixture
def world(received: Any, police: Agency) -> dict[str, Any]:
    """Four Justice dossiers received Monday: one accepted at 08:05, one refused three times,
    one waiting, one being sent; and two Police dossiers due this month, none synced yet,
    with one from February that this month's figures leave out."""
    dossiers = [received(when=MONDAY + dt.timedelta(minutes=i)) for i in range(4)]
    done, failed, waiting, sending = dossiers
    accepted(done, at(2026, 3, 2, 8, 5))
    refused(failed, at(2026, 3, 2, 10, 30), attempts=3)
    NationalSyncChange.objects.filter(dossier=sending).update(
        status=OutboxStatus.SENDING, attempts=1, attempted_at=TUESDAY
    )
    unit = police.unit
    NationalSyncCounter.objects.create(day=MONDAY.date(), unit=unit, agency=police, due=2)
    NationalSyncCounter.objects.create(
        day=dt.date(2026, 2, 27), unit=unit, agency=police, due=5, synced=5
    )
    return {"done": done, "failed": failed, "waiting": waiting, "sending": sending}


def screen(username: str = "quantri", query: str = "") -> Any:
    with clock(TUESDAY):
        return persona(username).get(SCREEN + query)


# ---- what the administrator sees ------------------------------------------------------------


def test_the_administrator_sees_the_queue_and_the_last_acceptance(world):
    response = screen()
    assert response.status_code == 200
    html = response.text
    assert "Đồng bộ hồ sơ lên Cổng DVC quốc gia đang bật." in html
    assert text_of(html, "sync-pending") == "2 (1 đang chờ, 1 đang gửi)"
    assert text_of(html, "sync-failed") == "1"
    # The oldest change not sent: the waiting dossier's reception at 08:02, a day ago.
    waiting = world["waiting"]
    assert text_of(html, "sync-oldest") == (
        f"{waiting.code} · Tiếp nhận · ghi nhận lúc 02/03/2026 08:02, đã chờ 1 ngày"
    )
    assert f'href="/ho-so/{waiting.code}/"' in html
    assert text_of(html, "sync-last-accepted") == "02/03/2026 08:05"


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (dt.timedelta(seconds=30), "dưới 1 phút"),
        (dt.timedelta(minutes=45), "45 phút"),
        (dt.timedelta(hours=3, minutes=5), "3 giờ 5 phút"),
        (dt.timedelta(days=2, hours=3, minutes=5), "2 ngày 3 giờ"),
    ],
)
def test_how_long_the_oldest_change_waited_reads(span, text):
    assert waited(span) == text


def test_the_month_share_per_agency_worst_first_with_totals(world):
    table = text_of(screen().text, "sync-shares")
    assert "Hồ sơ tiếp nhận từ 01/03/2026 đến 03/03/2026" in table
    police = table.index("Công an tỉnh Đồng Tháp 2 0 0,0%")
    justice = table.index("Sở Tư pháp 4 1 25,0%")
    assert police < justice
    assert "Tổng cộng 6 1 16,7%" in table  # February's five are not this month's


def test_a_failed_change_shows_its_dossier_kind_attempts_and_the_portal_answer(world):
    html = screen().text
    failed = world["failed"]
    rows = text_of(html, "sync-failed-list")
    assert (
        f"{failed.code} Tiếp nhận 3 02/03/2026 10:30 Cổng DVC quốc gia từ chối: {REFUSAL}"
    ) in rows
    assert f'<a href="/ho-so/{failed.code}/">{failed.code}</a>' in html
    assert f'name="thay_doi" value="{change_of(failed).pk}"' in html
    assert 'name="tat_ca"' in html and "csrfmiddlewaretoken" in html


def test_with_the_sync_switched_off_the_screen_says_so(world, settings):
    settings.NATIONAL_PORTAL_ENABLED = False
    html = screen().text
    assert "đang tắt (NATIONAL_PORTAL_ENABLED)" in html
    assert "đang bật" not in html


def test_nothing_to_show(db):
    html = screen().text
    assert text_of(html, "sync-pending") == "0 (0 đang chờ, 0 đang gửi)"
    assert "Không có thay đổi nào đang chờ." in html
    assert text_of(html, "sync-last-accepted") == "—"
    assert "Chưa có hồ sơ nào được tiếp nhận trong tháng." in html
    assert "Không có thay đổi nào gửi lỗi." in html


def test_the_failed_list_has_fifty_to_a_page(world):
    failed = world["failed"]
    earliest = change_of(failed)
    NationalSyncChange.objects.bulk_create(
        NationalSyncChange(
            dossier=failed,
            seq=100 + i,
            kind="forward",
            status=OutboxStatus.FAILED,
            attempts=1,
            attempted_at=MONDAY + dt.timedelta(hours=3, minutes=i),
            last_error="hết lượt gửi",
        )
        for i in range(50)
    )
    first = screen().text
    assert first.count('name="thay_doi"') == 50
    assert "Trang 1/2" in first and "Gửi lại cả 51 thay đổi lỗi" in first
    second = screen(query="?trang=2").text
    assert second.count('name="thay_doi"') == 1
    assert f'value="{earliest.pk}"' in second  # the earliest attempt comes last
    assert screen(query="?trang=abc").status_code == 200


def test_the_screen_costs_the_same_however_many_changes_failed(world):
    def queries() -> int:
        client = persona("quantri")
        with clock(TUESDAY), CaptureQueriesContext(connection) as captured:
            assert client.get(SCREEN).status_code == 200
        return len(captured)

    few = queries()
    NationalSyncChange.objects.bulk_create(
        NationalSyncChange(
            dossier=world["failed"], seq=100 + i, kind="forward", status=OutboxStatus.FAILED
        )
        for i in range(30)
    )
    assert queries() == few


# ---- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["tiepnhan", "chuyenvien", "lanhdao", "thanhtra", "tongdai"])
def test_other_officers_are_refused(world, username):
    response = screen(username)
    assert response.status_code == 403
    assert "dành cho quản trị hệ thống" in response.text
    assert world["failed"].code not in response.text


def test_the_public_is_sent_to_sign_in(db):
    response = Client().get(SCREEN)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    response = Client().post(RESEND, {"tat_ca": "1"})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_staff_home_links_the_screen_for_administrators_only(db):
    assert f'href="{SCREEN}"' in persona("quantri").get("/lam-viec/").text
    assert f'href="{SCREEN}"' not in persona("thanhtra").get("/lam-viec/").text


# ---- "Gửi lại" ---------------------------------------------------------------------------------


def test_resending_one_change_puts_it_back_in_the_queue(world):
    change = change_of(world["failed"])
    client = persona("quantri")
    with clock(TUESDAY):
        response = client.post(RESEND, {"thay_doi": change.pk, "trang": "1"})
        html = client.get(response["Location"]).text
    assert response.status_code == 302 and response["Location"] == SCREEN
    change.refresh_from_db()
    assert (change.status, change.attempts) == (OutboxStatus.PENDING, 0)
    assert change.next_attempt_at == TUESDAY
    assert "Đã đưa 1 thay đổi lỗi vào hàng chờ gửi lại lên Cổng DVC quốc gia." in html
    assert text_of(html, "sync-failed") == "0"
    assert text_of(html, "sync-pending") == "3 (2 đang chờ, 1 đang gửi)"


def test_resending_all_takes_every_failed_change_and_nothing_else(world):
    second = refused(world["waiting"], at(2026, 3, 2, 11, 0))
    client = persona("quantri")
    response = client.post(RESEND, {"tat_ca": "1"})
    assert response.status_code == 302
    statuses = dict(
        NationalSyncChange.objects.filter(dossier__in=world.values()).values_list(
            "dossier_id", "status"
        )
    )
    assert statuses == {
        world["done"].pk: OutboxStatus.SENT,
        world["failed"].pk: OutboxStatus.PENDING,
        world["waiting"].pk: OutboxStatus.PENDING,
        world["sending"].pk: OutboxStatus.SENDING,
    }
    assert second.pk in {c.pk for c in NationalSyncChange.objects.filter(attempts=0)}
    page = client.get(SCREEN).text
    assert "Đã đưa 2 thay đổi lỗi vào hàng chờ gửi lại" in page


def test_resending_a_change_that_is_no_longer_failed_changes_nothing(world):
    done = change_of(world["done"])
    client = persona("quantri")
    response = client.post(RESEND, {"thay_doi": done.pk})
    assert response.status_code == 302
    done.refresh_from_db()
    assert (done.status, done.attempts) == (OutboxStatus.SENT, 1)
    assert "Không có thay đổi nào đang lỗi để gửi lại" in client.get(SCREEN).text


@pytest.mark.parametrize("data", [{}, {"thay_doi": "abc"}, {"thay_doi": "9" * 30}])
def test_a_resend_naming_nothing_is_a_clear_422(world, data):
    response = persona("quantri").post(RESEND, data)
    assert response.status_code == 422
    assert "Chưa chọn thay đổi nào để gửi lại." in response.text
    assert change_of(world["failed"]).status == OutboxStatus.FAILED


@pytest.mark.parametrize("username", ["tiepnhan", "thanhtra", "tongdai"])
def test_other_officers_cannot_resend(world, username):
    response = persona(username).post(RESEND, {"tat_ca": "1"})
    assert response.status_code == 403
    change = change_of(world["failed"])
    assert (change.status, change.attempts) == (OutboxStatus.FAILED, 3)


def test_the_action_refuses_anyone_but_an_administrator(world, clerk_binh, admin_anh):
    failed = NationalSyncChange.objects.filter(status=OutboxStatus.FAILED)
    with pytest.raises(ActionError) as refusal:
        resend_national_changes(officer=clerk_binh, changes=failed)
    assert refusal.value.status == 403
    assert failed.count() == 1
    assert resend_national_changes(officer=admin_anh, changes=failed.all()) == [
        change_of(world["failed"]).pk
    ]
    assert not NationalSyncChange.objects.filter(status=OutboxStatus.FAILED).exists()


def test_resend_without_the_csrf_token_is_refused(world, admin_anh):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_anh)
    assert client.post(RESEND, {"tat_ca": "1"}).status_code == 403
    assert change_of(world["failed"]).status == OutboxStatus.FAILED


def test_resend_is_a_post(db):
    assert persona("quantri").get(RESEND).status_code == 405


# ---- the dossier page ------------------------------------------------------------------------


def dossier_page(dossier: Dossier) -> str:
    with clock(TUESDAY):
        return persona("tiepnhan").get(f"/ho-so/{dossier.code}/").text


def test_the_dossier_page_says_when_the_portal_accepted_it(world):
    line = text_of(dossier_page(world["done"]), "national-sync")
    assert line == "Cổng DVC quốc gia nhận lúc 02/03/2026 08:05"


def test_the_dossier_page_says_it_waits(world):
    line = text_of(dossier_page(world["waiting"]), "national-sync")
    assert line == "Chưa đồng bộ Đang chờ gửi 1 thay đổi"


def test_the_dossier_page_gives_the_portal_refusal(world):
    line = text_of(dossier_page(world["failed"]), "national-sync")
    assert line == f"Chưa đồng bộ Cổng từ chối: {REFUSAL}"


def test_a_change_after_the_acceptance_waits(world):
    dossier = world["done"]
    NationalSyncChange.objects.create(dossier=dossier, seq=dossier.event_seq + 1, kind="forward")
    line = text_of(dossier_page(dossier), "national-sync")
    assert line == "Cổng DVC quốc gia nhận lúc 02/03/2026 08:05 Đang chờ gửi 1 thay đổi"


def test_a_dossier_never_queued_has_no_sync_line(received, settings):
    settings.NATIONAL_PORTAL_ENABLED = False
    html = dossier_page(received())
    assert 'id="national-sync"' not in html and "Chưa đồng bộ" not in html


def test_the_sync_line_costs_the_same_whatever_the_history(received, settings):
    def queries(dossier: Dossier) -> int:
        client = persona("tiepnhan")
        with clock(TUESDAY), CaptureQueriesContext(connection) as captured:
            assert client.get(f"/ho-so/{dossier.code}/").status_code == 200
        return len(captured)

    settings.NATIONAL_PORTAL_ENABLED = False
    never = queries(received())
    settings.NATIONAL_PORTAL_ENABLED = True
    busy = received()
    NationalSyncChange.objects.bulk_create(
        NationalSyncChange(
            dossier=busy, seq=100 + i, kind="forward", status=OutboxStatus.FAILED, last_error="x"
        )
        for i in range(20)
    )
    NationalSyncState.objects.create(dossier=busy, rejection=REFUSAL)
    assert queries(busy) == never
