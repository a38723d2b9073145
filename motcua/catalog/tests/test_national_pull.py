"""The catalogue pull from the national portal, over HTTP against its local fake: the same
import and report as the export file, all or nothing, paging that ends, sector codes filled
and agencies compared without being touched."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from typing import Any

import pytest

from motcua.catalog.models import Procedure, Sector
from motcua.catalog.national import export_record, pull_catalogue
from motcua.core.text import fold
from motcua.devtools.fakes.national_portal import (
    CATALOGUE_EXPORT,
    DEV_DSTCODE,
    DEV_PASSWORD,
    DEV_UNIT_CODE,
    DEV_USERNAME,
    FakeNationalPortal,
)
from motcua.devtools.loopback import json_reply
from motcua.integrations.national_portal import (
    NationalPortalClient,
    PortalConfig,
    UnavailableError,
)
from motcua.org.models import Agency

pytestmark = pytest.mark.django_db

ZONE = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def portal():
    with FakeNationalPortal() as fake:
        yield fake


def client_for(portal: FakeNationalPortal) -> NationalPortalClient:
    return NationalPortalClient(
        PortalConfig(
            auth_url=portal.auth_url,
            sync_url=portal.sync_url,
            share_url=portal.share_url,
            username=DEV_USERNAME,
            password=DEV_PASSWORD,
            dstcode=DEV_DSTCODE,
            unit_code=DEV_UNIT_CODE,
            timeout=2.0,
        )
    )


@pytest.fixture
def client(portal):
    return client_for(portal)


def exported(n: int) -> list[dict[str, Any]]:
    """The first ``n`` records of the shipped export (which the demo catalogue holds)."""
    with gzip.open(CATALOGUE_EXPORT, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for _, line in zip(range(n), lines, strict=False)]


def fresh(n: int) -> list[dict[str, Any]]:
    """Real records under codes the demo does not have, so a pull creates them."""
    return [{**record, "ma_thu_tuc": f"9.{900001 + i}"} for i, record in enumerate(exported(n))]


def share(portal: FakeNationalPortal, records: list[dict[str, Any]], **kwargs: Any) -> None:
    for record in records:
        portal.add_procedure(record, **kwargs)


def printed(pull) -> str:
    return "\n".join(pull.lines())


def fresh_codes() -> set[str]:
    return set(Procedure.objects.filter(code__startswith="9.9").values_list("code", flat=True))


def test_a_pull_creates_the_procedures_and_reports_like_the_file_import(portal, client):
    records = fresh(30)
    share(portal, records)

    pull = pull_catalogue(client, page_size=7)

    assert (pull.report.read, pull.report.created, pull.report.updated) == (30, 30, 0)
    assert fresh_codes() == {record["ma_thu_tuc"] for record in records}
    assert pull.listed == 30
    assert pull.pages == 5  # four full pages of 7 and a short one of 2
    text = printed(pull)
    assert "Cổng DVC quốc gia liệt kê 30 thủ tục (5 trang)." in text
    assert "Thêm mới: 30  ·  Cập nhật: 0  ·  Không đổi: 0  ·  Bỏ qua: 0" in text
    procedure = Procedure.objects.get(code="9.900001")
    assert procedure.name == records[0]["ten_thu_tuc"].strip()
    assert procedure.sector is not None


def test_a_second_pull_changes_nothing(portal, client):
    share(portal, fresh(30))
    pull_catalogue(client)
    stamps = dict(
        Procedure.objects.filter(code__startswith="9.9").values_list("code", "updated_at")
    )

    again = pull_catalogue(client)

    assert (again.report.created, again.report.updated, again.report.unchanged) == (0, 0, 30)
    assert "Thêm mới: 0  ·  Cập nhật: 0  ·  Không đổi: 30" in printed(again)
    after = dict(Procedure.objects.filter(code__startswith="9.9").values_list("code", "updated_at"))
    assert after == stamps


def test_what_the_file_import_wrote_is_unchanged_when_pulled(portal, client):
    assert portal.load_catalogue(CATALOGUE_EXPORT, limit=30) == 30

    pull = pull_catalogue(client)

    assert (pull.report.created, pull.report.updated, pull.report.unchanged) == (0, 0, 30)


def test_a_record_changed_on_the_portal_is_updated(portal, client):
    records = fresh(3)
    share(portal, records)
    pull_catalogue(client)

    portal.add_procedure({**records[1], "ten_thu_tuc": "Thủ tục đã đổi tên trên Cổng"})
    pull = pull_catalogue(client)

    assert (pull.report.updated, pull.report.unchanged) == (1, 2)
    assert Procedure.objects.get(code="9.900002").name == "Thủ tục đã đổi tên trên Cổng"


def test_a_portal_failing_mid_pull_raises_and_writes_nothing(portal, client):
    share(portal, fresh(30))
    Sector.objects.create(name="Lĩnh vực chỉ trên Cổng")
    portal.set_sectors([{"MaLinhVuc": "LV-CT", "TenLinhVuc": "Lĩnh vực chỉ trên Cổng"}])
    read = 0

    def the_portal_goes_down_after_ten() -> None:
        nonlocal read
        read += 1
        if read == 10:
            portal.go_down()

    with pytest.raises(UnavailableError):
        pull_catalogue(client, on_record=the_portal_goes_down_after_ten)

    assert read == 10
    assert fresh_codes() == set()
    assert Sector.objects.get(name="Lĩnh vực chỉ trên Cổng").code == ""


def test_a_portal_repeating_its_first_page_ends_the_listing(portal):
    share(portal, fresh(12))

    class IgnoresThePageNumber(NationalPortalClient):
        def list_procedures(self, page: int, size: int) -> list[dict[str, Any]]:
            return super().list_procedures(1, size)

    pull = pull_catalogue(client_for_class(IgnoresThePageNumber, portal), page_size=5)

    assert (pull.listed, pull.pages, pull.report.created) == (5, 2, 5)
    assert "Dừng ở trang 2: trang không có thủ tục mới" in printed(pull)


def client_for_class(cls: type[NationalPortalClient], portal: FakeNationalPortal):
    return cls(client_for(portal).config)


def test_the_page_cap_ends_a_listing_that_never_ends(portal, client):
    share(portal, fresh(12))

    pull = pull_catalogue(client, page_size=5, max_pages=2)

    assert (pull.listed, pull.report.created) == (10, 10)
    assert "đã đọc tối đa 2 trang" in printed(pull)


def test_only_procedures_changed_since_the_date_are_fetched(portal, client):
    records = fresh(5)
    share(portal, records[:3], updated_at=dt.datetime(2026, 3, 1, 9, 0, tzinfo=ZONE))
    share(portal, records[3:], updated_at=dt.datetime(2026, 8, 1, 0, 5, tzinfo=ZONE))

    pull = pull_catalogue(client, only_changed_since=dt.date(2026, 8, 1))

    assert (pull.listed, pull.not_changed, pull.report.read) == (5, 3, 2)
    assert fresh_codes() == {"9.900004", "9.900005"}
    assert "Không tải 3 thủ tục không cập nhật từ ngày 01/08/2026." in printed(pull)


def test_missing_refused_and_malformed_records_are_skipped_and_named(portal, client):
    share(portal, fresh(7))
    answers = iter(
        [
            {"error_code": "0", "result": []},
            {"error_code": "-1", "message": "Không tìm thấy thủ tục"},
            {"error_code": "0", "result": [{**exported(1)[0], "ma_thu_tuc": "9.999999"}]},
        ]
    )

    def the_next_fetch_goes_wrong() -> None:
        answer = next(answers, None)
        if answer is not None:
            portal.fail_next_with(1, json_reply(200, answer))

    pull = pull_catalogue(client, on_record=the_next_fetch_goes_wrong)

    # After each of records 1, 3 and 5 is read, the fetch of the next one goes wrong.
    assert fresh_codes() == {"9.900001", "9.900003", "9.900005", "9.900007"}
    assert pull.missing == ["9.900002"]
    assert pull.malformed == [
        ("9.900004", "Cổng từ chối: Không tìm thấy thủ tục"),
        ("9.900006", "bản ghi mang mã của thủ tục khác (9.999999)"),
    ]
    assert Procedure.objects.filter(code="9.999999").count() == 0
    text = printed(pull)
    assert "Cổng không trả hồ sơ của 1 thủ tục:" in text
    assert "Bỏ qua 2 thủ tục Cổng trả không dùng được:" in text
    assert "9.900006: bản ghi mang mã của thủ tục khác (9.999999)" in text


def test_sector_codes_are_filled_from_the_portal_by_name(portal, client):
    Sector.objects.create(name="Lĩnh vực thử Nghiệm")
    Sector.objects.create(name="Lĩnh vực đã có mã", code="LV-CU")
    portal.set_sectors(
        [
            {"MaLinhVuc": "LV-TN", "TenLinhVuc": "LĨNH VỰC THỬ NGHIỆM"},
            {"MaLinhVuc": "LV-MOI", "TenLinhVuc": "Lĩnh vực đã có mã"},
            {"MaLinhVuc": "LV-LA", "TenLinhVuc": "Lĩnh vực tỉnh chưa có"},
        ]
    )

    pull = pull_catalogue(client)

    assert Sector.objects.get(name="Lĩnh vực thử Nghiệm").code == "LV-TN"
    assert Sector.objects.get(name="Lĩnh vực đã có mã").code == "LV-CU"
    assert pull.sectors_filled == 1
    assert pull.sectors_unknown == [("LV-LA", "Lĩnh vực tỉnh chưa có")]
    text = printed(pull)
    assert "Lĩnh vực: đã điền mã cho 1 lĩnh vực; 1 lĩnh vực trên Cổng chưa có" in text
    assert "LV-LA — Lĩnh vực tỉnh chưa có" in text


def test_the_sectors_of_a_pulled_catalogue_get_the_portals_codes(portal, client):
    portal.load_catalogue(CATALOGUE_EXPORT, limit=30)
    portal_codes = {fold(row["TenLinhVuc"]): row["MaLinhVuc"] for row in portal.sectors()}

    pull = pull_catalogue(client)

    ours = {fold(name): code for name, code in Sector.objects.values_list("name", "code")}
    assert portal_codes.items() <= ours.items()
    assert pull.sectors_filled == len(portal_codes)
    assert pull.sectors_unknown == []


def test_agencies_are_compared_by_code_and_left_alone(portal, client):
    ours = list(Agency.objects.filter(active=True).order_by("code")[:2])
    closed = Agency.objects.filter(active=True).order_by("code").last()
    closed.active = False
    closed.save(update_fields=["active"])
    portal.set_agencies(
        [
            {"MaCoQuan": ours[0].code, "TenCoQuan": "Tên khác trên Cổng"},
            {"MaCoQuan": ours[1].code.lower(), "TenCoQuan": ours[1].name},
            {"MaCoQuan": "000.00.99.Z99", "TenCoQuan": "Cơ quan tỉnh chưa có"},
        ]
    )
    before = list(Agency.objects.values_list("code", "name", "active"))

    pull = pull_catalogue(client)

    assert (pull.agencies_on_portal, pull.agencies_matched) == (3, 2)
    unknown = {code for code, _name in pull.agencies_unknown}
    assert unknown == set(
        Agency.objects.filter(active=True)
        .exclude(pk__in=[a.pk for a in ours])
        .values_list("code", flat=True)
    )
    assert closed.code not in unknown
    assert list(Agency.objects.values_list("code", "name", "active")) == before
    assert f"Cơ quan: 2/3 cơ quan trên Cổng trùng mã với cơ quan của tỉnh; {len(unknown)}" in (
        printed(pull)
    )


def test_a_record_in_pascal_case_is_imported(portal, client):
    record = fresh(1)[0]
    pascal = {
        "ma_thu_tuc": record["ma_thu_tuc"],  # the fake files a procedure under this name
        "TenTTHC": record["ten_thu_tuc"],
        "LinhVuc": record["linh_vuc"],
        "CapThucHien": record["cap_thuc_hien"],
        "CachThucThucHien": record["cach_thuc_thuc_hien"],
        "ThanhPhanHoSo": record["thanh_phan_ho_so"],
        "CanCuPhapLy": record["can_cu_phap_ly"],
        "KetQuaThucHien": record["ket_qua_xu_ly"],
    }
    portal.add_procedure(pascal)

    pull = pull_catalogue(client)

    assert pull.report.created == 1
    procedure = Procedure.objects.get(code=record["ma_thu_tuc"])
    assert procedure.name == record["ten_thu_tuc"].strip()
    assert procedure.sector is not None
    assert procedure.sector.name == record["linh_vuc"].strip()
    assert procedure.methods.exists()
    assert procedure.documents.exists()
    assert procedure.legal_basis.exists()


def test_pascal_case_names_map_to_the_exports_and_never_override_them():
    assert export_record({"MaTTHC": "1.000001", "TenLinhVuc": "Hộ tịch", "Khac": 1}) == {
        "ma_thu_tuc": "1.000001",
        "linh_vuc": "Hộ tịch",
        "Khac": 1,
    }
    assert export_record({"ma_thu_tuc": "1.000001", "MaTTHC": "2.000002"}) == {
        "ma_thu_tuc": "1.000001"
    }
