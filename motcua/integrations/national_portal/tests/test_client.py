"""The national portal's client against the local portal over HTTP: the session, what each
answer means, the circuit breaker in front of the calls, and each service."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
import time
from typing import Any

import pytest

from motcua.devtools.fakes.national_portal import CATALOGUE_EXPORT, DEV_USERNAME
from motcua.devtools.loopback import json_reply, text_reply
from motcua.integrations.national_portal import (
    AlreadyExistsError,
    CircuitBreaker,
    NationalPortalClient,
    RejectedError,
    UnavailableError,
    portal_time,
    read_portal_time,
)

CODE = "000.00.01.H20-260701-0001"


def dossier(code: str = CODE, **fields: Any) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "MaTTHC": "1.000253",
        "TenTTHC": "Khai báo tạm trú cho người nước ngoài",
        "ChuHoSo": "Nguyễn Văn An",
        "SoDienThoai": "0912345678",
        "NgayNopHoSo": "20260701080000",
        "NgayHenTra": "20260710170000",
        "TrangThaiHoSo": 2,
        "KenhThucHien": 2,
        **fields,
    }


def step(code: str = CODE, **fields: Any) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "NguoiXuLy": "Trần Thị Bình",
        "ChucDanh": "Chuyên viên",
        "ThoiDiemXuLy": "20260701081500",
        "NoiDungXuLy": "Tiếp nhận hồ sơ",
        "TrangThai": 2,
        **fields,
    }


# ---- the session -----------------------------------------------------------------------------


def test_it_logs_in_once_and_reuses_the_session(portal, client):
    client.sync_dossier(dossier(), updating=False)
    client.lookup_dossier(CODE)
    client.list_sectors()
    assert (portal.logins, client.logins) == (1, 1)


def test_an_expired_session_costs_exactly_one_more_login(portal, client):
    client.sync_dossier(dossier(), updating=False)
    portal.expire_sessions()
    client.sync_dossier(dossier(TrangThaiHoSo=3), updating=True)
    assert portal.dossier(CODE)["TrangThaiHoSo"] == 3
    assert (portal.logins, client.logins) == (2, 2)


def test_threads_that_find_the_session_expired_log_in_again_once_between_them(portal, client):
    client.lookup_dossier(CODE)
    portal.expire_sessions()
    errors: list[Exception] = []

    def look() -> None:
        try:
            client.lookup_dossier(CODE)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=look) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == [] and portal.logins == 2


def test_a_gateway_401_is_a_session_to_renew(portal, client):
    client.lookup_dossier(CODE)
    portal.fail_next_with(1, json_reply(401, {"message": "Unauthorized"}))
    assert client.lookup_dossier(CODE) is None
    assert portal.logins == 2


def test_a_session_refused_right_after_a_login_is_reported_as_unavailable(portal, client):
    expired = json_reply(200, {"error_code": "401", "message": "Session hết hạn"})
    portal.fail_next_with(2, expired)
    with pytest.raises(UnavailableError, match="ngay sau khi đăng nhập"):
        client.lookup_dossier(CODE)


def test_wrong_credentials_send_nothing(portal, connect):
    client = connect(password="not-the-password")
    with pytest.raises(UnavailableError, match="Tên đăng nhập hoặc mật khẩu không đúng"):
        client.sync_dossier(dossier(), updating=False)
    assert portal.logins == 0 and sum(portal.calls.values()) == 0 and portal.rejected == 1


def test_a_wrong_dstcode_is_refused_by_the_gateway(portal, connect):
    with pytest.raises(RejectedError) as refused:
        connect(dstcode="OTHER").lookup_dossier(CODE)
    # The gateway's HTTP 403, at the login: a 4xx other than 401, so rejected (the protocol).
    assert refused.value.code == "403" and portal.logins == 0


# ---- what each answer means ------------------------------------------------------------------


def test_a_second_insert_is_already_exists_and_the_update_goes_through(portal, client):
    client.sync_dossier(dossier(), updating=False)
    with pytest.raises(AlreadyExistsError) as exists:
        client.sync_dossier(dossier(TrangThaiHoSo=3), updating=False)
    assert exists.value.code == "-1" and "đã tồn tại" in str(exists.value)
    client.sync_dossier(dossier(TrangThaiHoSo=3), updating=True)
    assert [h.updating for h in portal.history(CODE)] == [False, True]


def test_an_update_of_a_dossier_the_portal_lacks_is_rejected_not_already_exists(client):
    with pytest.raises(RejectedError, match="chưa tồn tại") as refused:
        client.sync_dossier(dossier(), updating=True)
    assert type(refused.value) is RejectedError and not refused.value.retryable


def test_a_rejected_field_is_rejected_with_the_portals_message(portal, client):
    portal.reject_field("SoDienThoai", "Số điện thoại chủ hồ sơ không hợp lệ")
    with pytest.raises(RejectedError) as refused:
        client.sync_dossier(dossier(), updating=False)
    assert str(refused.value) == "Số điện thoại chủ hồ sơ không hợp lệ"
    assert refused.value.code == "-1" and not refused.value.retryable
    assert portal.codes() == []


def test_a_field_out_of_format_is_rejected_naming_it(client):
    with pytest.raises(RejectedError, match="NgayHenTra"):
        client.sync_dossier(dossier(NgayHenTra="10/07/2026"), updating=False)


def test_an_http_500_is_unavailable(portal, client):
    portal.fail_next_with(1, text_reply(500, "Internal Server Error"))
    with pytest.raises(UnavailableError) as unavailable:
        client.sync_dossier(dossier(), updating=False)
    assert unavailable.value.code == "500" and unavailable.value.retryable
    assert portal.codes() == []


def test_a_connection_dropped_before_processing_is_unavailable(portal, client):
    portal.drop_next(1)
    with pytest.raises(UnavailableError):
        client.sync_dossier(dossier(), updating=False)
    assert portal.codes() == []


def test_a_connection_dropped_after_processing_is_unavailable_though_the_portal_kept_it(
    portal, client
):
    portal.drop_next(1, after_processing=True)
    with pytest.raises(UnavailableError):
        client.sync_dossier(dossier(), updating=False)
    assert portal.codes() == [CODE]
    # Sending the insert again finds it there: the sync sends it as an update.
    with pytest.raises(AlreadyExistsError):
        client.sync_dossier(dossier(), updating=False)


def test_an_answer_broken_off_is_unavailable(portal, client):
    portal.cut_next(1)
    with pytest.raises(UnavailableError):
        client.sync_dossier(dossier(), updating=False)


def test_a_slow_answer_times_out_as_unavailable(portal, connect):
    client = connect(timeout=0.5)
    client.lookup_dossier(CODE)  # logged in: the timeout falls on the sync call
    portal.slow_next(1, 0.8)
    with pytest.raises(UnavailableError, match="timed out"):
        client.sync_dossier(dossier(), updating=False)
    assert portal.codes() == [CODE]


def test_a_portal_that_is_down_is_unavailable(portal, client):
    portal.go_down()
    with pytest.raises(UnavailableError):
        client.sync_dossier(dossier(), updating=False)
    assert portal.injected["down"] == 1
    portal.come_back()
    client.sync_dossier(dossier(), updating=False)
    assert portal.codes() == [CODE]


def test_an_answer_that_is_not_json_is_unavailable(portal, client):
    client.lookup_dossier(CODE)
    portal.fail_next_with(1, text_reply(200, "<html>Bảo trì</html>", content_type="text/html"))
    with pytest.raises(UnavailableError, match="không phải JSON"):
        client.lookup_dossier(CODE)


def test_an_address_that_is_not_http_is_refused_before_any_call(connect):
    with pytest.raises(RejectedError, match="http"):
        connect(auth_url="file:///etc/passwd").lookup_dossier(CODE)


# ---- the circuit breaker in front of the calls -----------------------------------------------


def test_the_breaker_opens_after_the_threshold_and_refuses_without_calling(portal, connect, clock):
    breaker = CircuitBreaker(threshold=3, cooldown=60, clock=clock)
    client = connect(breaker=breaker)
    portal.go_down()
    for _ in range(3):
        with pytest.raises(UnavailableError, match="không kết nối được"):
            client.lookup_dossier(CODE)
    assert breaker.is_open and portal.injected["down"] == 3
    with pytest.raises(UnavailableError, match="breaker_open"):
        client.lookup_dossier(CODE)
    assert portal.injected["down"] == 3 and sum(portal.calls.values()) == 0


def test_after_the_cooldown_one_call_probes_and_its_success_closes_the_breaker(
    portal, connect, clock
):
    breaker = CircuitBreaker(threshold=2, cooldown=60, clock=clock)
    client = connect(breaker=breaker)
    portal.go_down()
    for _ in range(2):
        with pytest.raises(UnavailableError):
            client.lookup_dossier(CODE)
    portal.come_back()
    clock.advance(59)
    with pytest.raises(UnavailableError, match="breaker_open"):
        client.lookup_dossier(CODE)
    assert portal.logins == 0
    clock.advance(1)
    assert client.lookup_dossier(CODE) is None
    assert not breaker.is_open and breaker.seconds_left() == 0
    assert client.lookup_dossier(CODE) is None
    assert portal.calls["TraCuuHoSo"] == 2


def test_a_failed_probe_opens_the_breaker_for_another_cooldown(portal, connect, clock):
    breaker = CircuitBreaker(threshold=1, cooldown=60, clock=clock)
    client = connect(breaker=breaker)
    portal.go_down()
    with pytest.raises(UnavailableError):
        client.lookup_dossier(CODE)
    clock.advance(60)
    with pytest.raises(UnavailableError, match="không kết nối được"):
        client.lookup_dossier(CODE)
    assert breaker.seconds_left() == 60
    with pytest.raises(UnavailableError, match="breaker_open"):
        client.lookup_dossier(CODE)
    assert portal.injected["down"] == 2


def test_a_probe_the_portal_answers_with_a_refusal_closes_the_breaker(portal, connect, clock):
    breaker = CircuitBreaker(threshold=1, cooldown=60, clock=clock)
    client = connect(breaker=breaker)
    portal.go_down()
    with pytest.raises(UnavailableError):
        client.lookup_dossier(CODE)
    portal.come_back()
    clock.advance(60)
    with pytest.raises(RejectedError):
        client.sync_dossier(dossier(TrangThaiHoSo=0), updating=False)
    # The portal is up: the next call goes out, rather than the breaker staying half-open.
    client.sync_dossier(dossier(), updating=False)
    assert portal.codes() == [CODE] and not breaker.is_open


def test_a_probe_that_fails_before_sending_lets_the_next_call_probe(portal, connect, clock):
    breaker = CircuitBreaker(threshold=1, cooldown=60, clock=clock)
    client = connect(breaker=breaker)
    portal.go_down()
    with pytest.raises(UnavailableError):
        client.lookup_dossier(CODE)
    portal.come_back()
    clock.advance(60)
    with pytest.raises(TypeError):  # a value JSON cannot carry: nothing was sent
        client.sync_dossier(dossier(NgayTra=dt.datetime(2026, 7, 5, 10)), updating=False)
    client.sync_dossier(dossier(), updating=False)
    assert portal.codes() == [CODE] and not breaker.is_open


def test_on_the_real_clock_calls_go_through_again_after_the_cooldown(portal, connect):
    client = connect(breaker=CircuitBreaker(threshold=1, cooldown=0.5))
    client.lookup_dossier(CODE)
    portal.drop_next(1)
    with pytest.raises(UnavailableError, match="không kết nối được"):
        client.lookup_dossier(CODE)
    with pytest.raises(UnavailableError, match="breaker_open"):
        client.lookup_dossier(CODE)
    time.sleep(0.55)
    assert client.lookup_dossier(CODE) is None


# ---- the services ----------------------------------------------------------------------------


def test_a_lookup_gives_none_or_the_dossier_with_its_steps(portal, client):
    assert client.lookup_dossier(CODE) is None
    client.sync_dossier(dossier(), updating=False)
    client.sync_progress([step(), step(NoiDungXuLy="Chuyển phòng chuyên môn", TrangThai=3)])
    found = client.lookup_dossier(CODE)
    assert found is not None and found["TrangThaiHoSo"] == 2
    assert [s["NoiDungXuLy"] for s in found["QuaTrinhXuLy"]] == [
        "Tiếp nhận hồ sơ",
        "Chuyển phòng chuyên môn",
    ]


def test_progress_of_a_dossier_the_portal_lacks_is_rejected(portal, client):
    with pytest.raises(RejectedError, match="chưa tồn tại"):
        client.sync_progress([step()])
    assert portal.progress(CODE) == []


def test_ratings_go_in_the_portals_format(portal, client):
    row = {
        "MaTTHC": "1.000253",
        "NgayTongHop": "7-2026",
        "TongSoNguoiDanhGia": 3,
        "PhanTramDanhGiaRatHaiLong": "67%",
        "PhanTramDanhGiaHaiLong": "33%",
        "PhanTramDanhGiaChuaHaiLong": "0%",
    }
    client.sync_ratings([row])
    assert portal.ratings()["7-2026", "1.000253"].row == row
    with pytest.raises(RejectedError, match="NgayTongHop"):
        client.sync_ratings([{**row, "NgayTongHop": "2026-07"}])


def test_the_catalogue_pages_records_agencies_and_sectors(portal, client):
    portal.load_catalogue(CATALOGUE_EXPORT, limit=5)
    portal.set_agencies([{"MaCoQuan": "000.00.00.H20", "TenCoQuan": "UBND tỉnh Đồng Tháp"}])
    with gzip.open(CATALOGUE_EXPORT, "rt", encoding="utf-8") as lines:
        first = [json.loads(next(lines)) for _ in range(5)]
    pages = [client.list_procedures(page, 2) for page in (1, 2, 3, 4)]
    assert [[p["MaTTHC"] for p in page] for page in pages] == [
        [first[0]["ma_thu_tuc"], first[1]["ma_thu_tuc"]],
        [first[2]["ma_thu_tuc"], first[3]["ma_thu_tuc"]],
        [first[4]["ma_thu_tuc"]],
        [],
    ]
    assert client.get_procedure(first[2]["ma_thu_tuc"]) == first[2]
    assert client.get_procedure("9.999999") is None
    assert client.list_agencies() == [
        {"MaCoQuan": "000.00.00.H20", "TenCoQuan": "UBND tỉnh Đồng Tháp", "MaCoQuanCha": ""}
    ]
    assert {s["TenLinhVuc"] for s in client.list_sectors()} == {r["linh_vuc"] for r in first}


def test_the_client_reads_its_settings(portal, settings):
    settings.NATIONAL_PORTAL_AUTH_URL = portal.auth_url
    settings.NATIONAL_PORTAL_SYNC_URL = portal.sync_url
    settings.NATIONAL_PORTAL_SHARE_URL = portal.share_url
    settings.NATIONAL_PORTAL_USERNAME = DEV_USERNAME
    settings.NATIONAL_PORTAL_PASSWORD = portal.password
    settings.NATIONAL_PORTAL_DSTCODE = portal.dstcode
    settings.NATIONAL_PORTAL_UNIT_CODE = portal.unit_code
    settings.NATIONAL_PORTAL_TIMEOUT_SECONDS = 7
    client = NationalPortalClient.from_settings()
    assert client.config.timeout == 7.0
    client.sync_dossier(dossier(), updating=False)
    assert portal.codes() == [CODE]


# ---- the portal's dates ----------------------------------------------------------------------


def test_a_moment_is_written_in_vietnam_time_and_read_back():
    moment = dt.datetime(2026, 7, 1, 1, 15, tzinfo=dt.UTC)
    assert portal_time(moment) == "20260701081500"
    assert read_portal_time("20260701081500") == moment
    assert portal_time(None) == ""
    assert read_portal_time("") is None and read_portal_time("2026-07-01") is None
