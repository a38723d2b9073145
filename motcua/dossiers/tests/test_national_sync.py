"""The dossiers' sync with the national portal, against the local fake over HTTP
(docs/national-portal.md): in order, coalesced, insert or update, each step once, through
expired sessions, lost answers, refusals and outages."""

from __future__ import annotations

import json
import time

import pytest
from django.core.management import call_command

from motcua.dossiers.actions import (
    complete_supplement,
    forward_dossier,
    request_supplement,
    return_result,
)
from motcua.dossiers.counters import differences
from motcua.dossiers.models import (
    NationalRatingSync,
    NationalSyncChange,
    NationalSyncCounter,
    NationalSyncState,
)
from motcua.dossiers.national import ratings
from motcua.dossiers.national.reconcile import reconcile
from motcua.dossiers.tests.conftest import at, clock, holder, ready
from motcua.dossiers.tests.national import expected, settle, unsent

pytestmark = pytest.mark.django_db


def lifecycle(dossier, clerk):
    """Forward, a supplement asked and answered, the result, its return: eight events."""
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk)
    with clock(at(2026, 3, 3, 8, 0)):
        dossier = request_supplement(
            dossier=dossier, officer=holder(dossier), reason="Thiếu bản sao", items=["Bản sao"]
        )
    with clock(at(2026, 3, 4, 8, 0)):
        dossier = complete_supplement(dossier=dossier, officer=clerk)
    with clock(at(2026, 3, 5, 8, 0)):
        dossier = ready(dossier, results=["Giấy xác nhận"])
        dossier = return_result(dossier=dossier, officer=holder(dossier))
    return dossier


def test_a_whole_life_reaches_the_portal_in_order_with_every_step_once(
    portal, worker, received, clerk_binh
):
    dossier = received()
    settle(worker)
    assert portal.dossier(dossier.code)["TrangThaiHoSo"] == "2"
    dossier = lifecycle(dossier, clerk_binh)
    settle(worker)
    record, steps = expected(dossier)
    assert portal.dossier(dossier.code) == record
    assert portal.progress(dossier.code) == steps
    assert [s["TrangThai"] for s in steps][:2] == ["2", "4"]
    history = portal.history(dossier.code)
    assert [a.updating for a in history] == [False, True]  # inserted once, then updated
    state = NationalSyncState.objects.get(pk=dossier.pk)
    assert state.on_portal and state.accepted_seq == dossier.event_seq and state.accepted_at
    counter = NationalSyncCounter.objects.get()
    assert (counter.due, counter.synced) == (1, 1)
    assert differences() == []


def test_ten_changes_while_the_portal_is_down_are_one_send_of_the_latest_state(
    portal, worker, received, clerk_binh
):
    portal.go_down()
    dossier = lifecycle(received(), clerk_binh)
    assert unsent() == dossier.event_seq
    worker.drain()  # the first change fails; the others wait behind it
    assert worker.breaker.is_open is False
    portal.come_back()
    time.sleep(0.6)  # the retry's backoff
    settle(worker)
    history = portal.history(dossier.code)
    assert len(history) == 1 and history[0].record == expected(dossier)[0]
    changes = NationalSyncChange.objects.filter(dossier=dossier)
    carrier = changes.get(covered_by__isnull=True)
    assert carrier.seq == 1 and carrier.attempts == 2
    assert set(changes.exclude(pk=carrier.pk).values_list("covered_by", flat=True)) == {carrier.pk}


def test_a_portal_that_already_holds_the_dossier_gets_an_update(
    portal, worker, received, clerk_binh
):
    dossier = received()
    settle(worker)
    # What we knew of it is lost (a restore): the next send tries an insert.
    NationalSyncState.objects.filter(pk=dossier.pk).update(on_portal=None)
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    settle(worker)
    assert portal.calls["DongBoHoSoMC"] == 3  # insert, insert "đã tồn tại", update
    assert [a.updating for a in portal.history(dossier.code)] == [False, True]
    assert portal.dossier(dossier.code) == expected(dossier)[0]


def test_an_expired_session_logs_in_again_and_loses_nothing(portal, worker, received, clerk_binh):
    first = received()
    settle(worker)
    portal.expire_sessions()
    with clock(at(2026, 3, 2, 9, 0)):
        first = forward_dossier(dossier=first, officer=clerk_binh)
    second = received()
    settle(worker)
    assert portal.logins == 2
    for dossier in (first, second):
        assert portal.dossier(dossier.code) == expected(dossier)[0]


def test_a_lost_answer_to_steps_sends_only_the_steps_the_portal_lacks(
    portal, worker, received, clerk_binh
):
    dossier = received()
    settle(worker)
    # The dossier's update goes through; its first chunk of steps is kept by the portal but
    # the answer is lost, and so is the answer to the next chunk sent.
    portal.drop_next(2, after_processing=True, service="CapNhatTienDoHoSoMC")
    dossier = lifecycle(dossier, clerk_binh)
    settle(worker)
    assert portal.calls["TraCuuHoSo"] >= 1
    assert portal.duplicate_steps() == []
    assert portal.progress(dossier.code) == expected(dossier)[1]


def test_a_refused_field_stops_that_dossier_only_and_a_later_change_clears_it(
    portal, worker, received, clerk_binh
):
    portal.reject_field(
        "SoDienThoai", "Trường SoDienThoai 0911222333 không hợp lệ", lambda v: v == "0911222333"
    )
    refused = received(phone="0911222333")
    other = received()
    settle(worker)
    failed = NationalSyncChange.objects.get(dossier=refused)
    assert failed.status == "failed" and failed.attempts == 1
    assert "SoDienThoai" in failed.last_error and "0911222333" not in failed.last_error
    assert "SoDienThoai" in NationalSyncState.objects.get(pk=refused.pk).rejection
    assert portal.dossier(other.code) == expected(other)[0]
    portal.clear_rejections()
    with clock(at(2026, 3, 2, 9, 0)):
        refused = forward_dossier(dossier=refused, officer=clerk_binh)
    settle(worker)
    assert portal.dossier(refused.code) == expected(refused)[0]
    failed.refresh_from_db()
    assert failed.status == "sent" and failed.covered_by_id is not None
    assert NationalSyncState.objects.get(pk=refused.pk).rejection == ""


def test_the_breaker_opens_while_the_portal_is_down_and_spends_no_attempts(portal, received):
    from motcua.dossiers.national.worker import SyncWorker
    from motcua.integrations.national_portal import CircuitBreaker

    now = [0.0]  # the breaker's own clock: a slow machine cannot end its cool-down early
    breaker = CircuitBreaker(threshold=3, cooldown=30, clock=lambda: now[0])
    worker = SyncWorker(workers=1, breaker=breaker)
    portal.go_down()
    dossiers = [received() for _ in range(6)]
    report = worker.drain()
    # Three failures open it (the threshold); the rest are not claimed.
    assert (report.retrying, report.held, report.breaker_open) == (3, 3, True)
    again = worker.drain()  # while open, nothing is claimed: the three never tried wait
    assert (again.ids, again.held, again.breaker_open) == ([], 3, True)
    portal.come_back()
    now[0] += 30  # cooled: the next round sends one change alone, the breaker's probe
    probe = worker.drain()
    assert (len(probe.ids), probe.sent, breaker.is_closed) == (1, 1, True)
    settle(worker)
    assert all(portal.dossier(d.code) for d in dossiers)
    assert max(NationalSyncChange.objects.values_list("attempts", flat=True)) == 2
    worker.close()


def test_reconcile_queues_what_the_portal_lacks_or_holds_otherwise(
    portal, worker, received, clerk_binh, settings
):
    settings.NATIONAL_PORTAL_ENABLED = False
    before = received()  # received before the sync was switched on
    settings.NATIONAL_PORTAL_ENABLED = True
    synced = received()
    settle(worker)
    with clock(at(2026, 3, 2, 9, 0)):
        forward_dossier(dossier=synced, officer=clerk_binh)
    # The change was lost (say, a restore from an older backup of the outbox).
    NationalSyncChange.objects.filter(dossier=synced, seq=2).delete()
    report = reconcile(worker.client)
    assert report.as_dict() == {
        "checked": 2,
        "matching": 0,
        "missing": 1,
        "differing": 1,
        "steps_missing": 0,
        "queued": 2,
    }
    settle(worker)
    for dossier in (before, synced):
        dossier.refresh_from_db()
        record, steps = expected(dossier)
        assert portal.dossier(dossier.code) == record
        assert portal.progress(dossier.code) == steps
    assert reconcile(worker.client).matching == 2


def test_a_months_ratings_go_as_one_row_per_procedure(portal, worker, received):
    from django.contrib.auth import get_user_model

    from motcua.dossiers.actions import rate_dossier

    citizen = get_user_model().objects.create_user(username="nguoi-dan-danh-gia")

    done = []
    for level in ("very_satisfied", "satisfied", "satisfied"):
        dossier = received()
        with clock(at(2026, 3, 3, 9, 0)):
            dossier = ready(dossier)
            dossier = return_result(dossier=dossier, officer=holder(dossier))
            done.append(rate_dossier(dossier=dossier, citizen=citizen, level=level))
    assert ratings.queue_month(at(2026, 3, 1).date()) == 1
    assert ratings.queue_month(at(2026, 3, 1).date()) == 0
    ratings.drain(worker.client)
    row = portal.ratings()[("3-2026", "1.000426")].row
    assert row == {
        "MaTTHC": "1.000426",
        "NgayTongHop": "3-2026",
        "TongSoNguoiDanhGia": "3",
        "PhanTramDanhGiaRatHaiLong": "33%",
        "PhanTramDanhGiaHaiLong": "67%",
        "PhanTramDanhGiaChuaHaiLong": "0%",
    }
    assert NationalRatingSync.objects.get().status == "sent"


def test_the_command_sends_what_is_due_and_reports_it(portal, received, capsys):
    dossier = received()
    call_command("sync_national")
    out = capsys.readouterr().out
    assert json.loads(out.splitlines()[0].split(" ", 1)[1])["sent"] == 1
    assert portal.dossier(dossier.code) == expected(dossier)[0]


def test_the_command_refreshes_the_catalogue_from_the_portal(portal, capsys):
    from motcua.devtools.fakes.national_portal import CATALOGUE_EXPORT

    portal.load_catalogue(CATALOGUE_EXPORT, limit=5)
    call_command("sync_national", "--catalogue")
    out = capsys.readouterr().out
    assert "Cổng DVC quốc gia liệt kê 5 thủ tục" in out
    call_command("sync_national", "--catalogue", "--since", "01/01/2026")
    assert "Cổng DVC quốc gia liệt kê" in capsys.readouterr().out


def test_the_command_refuses_to_run_with_the_sync_off(settings):
    from django.core.management.base import CommandError

    settings.NATIONAL_PORTAL_ENABLED = False
    with pytest.raises(CommandError, match="NATIONAL_PORTAL_ENABLED"):
        call_command("sync_national")
    settings.NATIONAL_PORTAL_ENABLED = True
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("sync_national", "--reconcile", "--since", "2026-13-45")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--every", "nan"],
        ["--every", "inf"],
        ["--every", "0"],
        ["--ratings", "--month", "12/9999"],
        ["--ratings", "--month", "13/2026"],
    ],
)
def test_the_commands_bad_numbers_are_refused_with_a_message(portal, arguments):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sync_national", *arguments)


def test_a_change_put_back_waits_while_a_later_one_of_its_dossier_is_in_flight(
    portal, worker, received, clerk_binh
):
    from django.utils import timezone

    from motcua.dossiers.national.worker import CHANGES

    dossier = received()
    settle(worker)
    portal.reject_field("TrangThaiHoSo", "Trạng thái không hợp lệ", lambda v: v == "4")
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    settle(worker)
    failed = NationalSyncChange.objects.get(dossier=dossier, status="failed")
    portal.clear_rejections()
    with clock(at(2026, 3, 3, 8, 0)):
        dossier = request_supplement(
            dossier=dossier, officer=holder(dossier), reason="Thiếu", items=["Bản sao"]
        )
    later = NationalSyncChange.objects.get(dossier=dossier, status="pending")
    assert CHANGES.claim(later.pk) is not None  # on its way
    CHANGES.reset_failed(NationalSyncChange.objects.filter(pk=failed.pk))
    assert not CHANGES.due(timezone.now()).filter(dossier=dossier).exists()
    NationalSyncChange.objects.filter(pk=later.pk).update(status="pending")  # its worker died
    settle(worker)
    assert portal.dossier(dossier.code) == expected(dossier)[0]
    assert portal.progress(dossier.code) == expected(dossier)[1]


def test_a_title_changed_between_a_lost_answer_and_its_retry_sends_no_step_twice(
    portal, worker, received, clerk_binh
):
    from motcua.org.models import Membership

    dossier = received()
    settle(worker)
    portal.drop_next(1, after_processing=True, service="CapNhatTienDoHoSoMC")
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    worker.drain()  # the portal keeps the step, the answer is lost
    assert NationalSyncState.objects.get(pk=dossier.pk).progress_in_flight
    Membership.objects.filter(user=clerk_binh).update(title="Trưởng bộ phận một cửa")
    time.sleep(0.6)
    settle(worker)
    steps = portal.progress(dossier.code)
    assert [s["NoiDungXuLy"] for s in steps] == ["Tiếp nhận hồ sơ", "Chuyển xử lý"]
    assert NationalSyncState.objects.get(pk=dossier.pk).progress_in_flight == []
