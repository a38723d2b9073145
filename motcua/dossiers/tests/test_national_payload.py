"""What the national portal is sent: a dossier and its progress steps in the portal's fields
(docs/national-portal.md "Field by field"), the monthly rating shares, and which changes the
actions queue."""

from __future__ import annotations

import pytest
from django.test import override_settings

from motcua.dossiers.actions import (
    apologise,
    complete_supplement,
    forward_dossier,
    refuse_at_desk,
    request_supplement,
    return_result,
    submit_online,
)
from motcua.dossiers.models import NationalSyncChange, NationalSyncCounter
from motcua.dossiers.national import payload
from motcua.dossiers.national.ratings import shares
from motcua.dossiers.national.sender import not_held, scrub
from motcua.dossiers.tests.conftest import application, at, clock, holder, ready

pytestmark = pytest.mark.django_db


def record_of(dossier):
    loaded = payload.load(dossier.pk)
    events = list(loaded.events.order_by("seq"))
    refused = next((e.at for e in events if e.kind == "refuse"), None)
    return payload.dossier_record(loaded, refused_at=refused), payload.progress_steps(
        loaded, events
    )


def test_a_received_dossier_in_the_portal_fields(received):
    dossier = received()
    record, steps = record_of(dossier)
    assert record["MaHoSo"] == dossier.code == record["SoBienNhan"]
    assert record["MaTTHC"] == "1.000426"
    assert record["TrangThaiHoSo"] == "2"
    assert record["LoaiDoiTuong"] == "1" and record["KenhThucHien"] == "1"
    assert record["NgayTiepNhan"] == "20260302080000" == record["NgayNopHoSo"]
    assert record["NgayHenTra"] == "20260309080000"
    assert record["NgayTuChoi"] == "" and record["NgayTra"] == ""
    assert record["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "087090001234"}]
    assert record["SoDienThoai"] == "0912345678"
    assert [d["TenTepDinhKem"] for d in record["TaiLieuNop"]] == ["Tờ khai"]
    assert record["TaiLieuNop"][0]["DuongDanTaiTepTin"] == ""  # no digitised copy
    assert record["DuocThanhToanTrucTuyen"] == "0"
    # The first step is reception: TrangThai "2" at NgayTiepNhan.
    assert [s.fields["TrangThai"] for s in steps] == ["2"]
    first = steps[0].fields
    assert first["ThoiDiemXuLy"] == record["NgayTiepNhan"]
    assert first["NoiDungXuLy"] == "Tiếp nhận hồ sơ"
    assert first["NguoiXuLy"] and len(first["NguoiXuLy"]) <= 50
    assert first["NgayBatDau"] == "20260302080000"


def test_a_supplement_keeps_its_old_and_new_due_dates_and_every_step(received, clerk_binh):
    dossier = received()
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 3, 8, 0)):
        dossier = request_supplement(
            dossier=dossier, officer=holder(dossier), reason="Thiếu bản sao", items=["Bản sao"]
        )
    assert record_of(dossier)[0]["TrangThaiHoSo"] == "5"  # sent as it is, never remapped
    with clock(at(2026, 3, 5, 8, 0)):
        dossier = complete_supplement(dossier=dossier, officer=clerk_binh)
    record, steps = record_of(dossier)
    assert record["DanhSachHoSoBoSung"] == [
        {"NgayHenTraTruoc": "20260309080000", "NgayHenTraMoi": "20260311080000"}
    ]
    assert record["NgayHenTra"] == "20260311080000"
    assert [s.fields["TrangThai"] for s in steps] == ["2", "4", "5", "4"]
    assert steps[2].fields["NoiDungXuLy"] == "Yêu cầu bổ sung, hoàn thiện hồ sơ: Thiếu bản sao"
    assert [s.seq for s in steps] == sorted(s.seq for s in steps)


def test_an_apology_a_result_and_its_return(received, clerk_binh):
    dossier = received()
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 6, 9, 0)):
        dossier = apologise(
            dossier=dossier,
            officer=holder(dossier),
            reason="Cần xác minh",
            new_due_at=at(2026, 3, 12, 17, 0),
        )
    with clock(at(2026, 3, 10, 9, 0)):
        dossier = ready(dossier, results=["Giấy xác nhận"])
        dossier = return_result(dossier=dossier, officer=holder(dossier))
    record, steps = record_of(dossier)
    assert record["TrangThaiHoSo"] == "10"
    assert record["NgayHenTra"] == "20260312170000"
    assert record["NgayTra"] == "20260310090000"
    assert [r["TenGiayTo"] for r in record["DanhSachGiayToKetQua"]] == ["Giấy xác nhận"]
    assert steps[-1].fields["TrangThai"] == "10"
    assert steps[-1].fields["NoiDungXuLy"] == "Trả kết quả"


def test_refusals_carry_their_date_and_an_online_submission_has_no_steps(centre, clerk_binh):
    with clock(at(2026, 3, 2, 8, 0)):
        refused = refuse_at_desk(
            application=application("1.000426", centre), officer=clerk_binh, reason="Sai"
        )
        submitted = submit_online(application=application("1.000426", centre, channel="online"))
    record, steps = record_of(refused)
    assert (record["TrangThaiHoSo"], record["NgayTuChoi"], steps) == ("3", "20260302080000", [])
    record, steps = record_of(submitted)
    assert (record["TrangThaiHoSo"], record["KenhThucHien"], steps) == ("1", "2", [])
    assert record["NgayTiepNhan"] == "" and record["NgayNopHoSo"] == "20260302080000"


def test_a_long_summary_is_cut_to_what_the_portal_takes(centre, clerk_binh):
    from dataclasses import replace

    from motcua.dossiers.actions import receive_dossier

    with clock(at(2026, 3, 2, 8, 0)):
        dossier = receive_dossier(
            application=replace(application("1.000426", centre), summary="x" * 1500),
            officer=clerk_binh,
        )
    assert len(record_of(dossier)[0]["TrichYeuHoSo"]) == 1000


def test_the_actions_queue_a_change_per_event_only_when_the_sync_is_on(received, clerk_binh):
    off = received()
    assert not NationalSyncChange.objects.filter(dossier=off).exists()
    with override_settings(NATIONAL_PORTAL_ENABLED=True):
        on = received()
        with clock(at(2026, 3, 2, 9, 0)):
            on = forward_dossier(dossier=on, officer=clerk_binh)
    changes = list(NationalSyncChange.objects.filter(dossier=on).order_by("seq"))
    assert [(c.seq, c.kind, c.status) for c in changes] == [
        (1, "receive", "pending"),
        (2, "forward", "pending"),
    ]
    # Both dossiers are due to sync on their reception day, whether the sync is on or not.
    assert sum(NationalSyncCounter.objects.values_list("due", flat=True)) == 2


def test_steps_the_portal_holds_are_not_sent_again():
    def step(seq: int, text: str) -> payload.Step:
        return payload.Step(seq, {"MaHoSo": "A", "NoiDungXuLy": text})

    ours = [step(1, "a"), step(2, "b"), step(3, "b"), step(4, "c")]
    held = [{"MaHoSo": "A", "NoiDungXuLy": "a"}, {"MaHoSo": "A", "NoiDungXuLy": "b"}]
    # Two equal steps are two: the portal holds one "b", so the second is still missing.
    assert [s.seq for s in not_held(ours, held, after=1)] == [3, 4]
    assert [s.seq for s in not_held(ours, held, after=3)] == [4]


def test_rating_shares_are_whole_and_add_up_to_100():
    assert shares([1, 1, 1]) == [34, 33, 33]
    assert shares([2, 1, 0]) == [67, 33, 0]
    assert shares([0, 0, 0]) == [0, 0, 0]
    assert sum(shares([7, 5, 3])) == 100


def test_portal_messages_are_scrubbed_of_numbers():
    assert scrub("SoDienThoai 0912345678 sai") == "SoDienThoai 09…78 sai"
    assert scrub("mã 12345") == "mã 12345"
