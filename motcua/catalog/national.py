"""Refresh the procedure catalogue from the national portal's share services (the protocol is
the docstring of ``motcua.integrations.national_portal``), through the same importer as the
export file.

``pull_catalogue`` lists the procedures (``LayDanhSachTTHC``, page by page), fetches each
one's record (``LayThuTuc``) and streams the records into ``import_records``: a pull reports
created, updated and unchanged exactly as ``import_procedures`` does for a file, and a record
the file import already wrote, unchanged on the portal, is unchanged here too (the same
fields give the same digest). It also reads the portal's sector list (``LayDanhMucLinhVuc``)
to give a code to each of our sectors that has none, and its agency list
(``LayDanhMucCoQuan``) to compare it with ours by code. Agencies are the province's data
(docs/decisions/structure.md), so that comparison only reports: it creates and changes no
agency.

Rules:

* **All or nothing.** The pull is one transaction. A portal that fails mid-pull
  (``UnavailableError``: down, too slow, answering outside the protocol; ``RejectedError`` for
  a list) raises out of ``pull_catalogue`` and nothing is written, neither the procedures
  already fetched nor the sector codes: run it again later. The two short lists are read
  first, so a portal that refuses them fails before the long part. The transaction lasts as
  long as the fetching (one ``LayThuTuc`` per procedure); readers see the previous catalogue
  until it commits. This is an operator's command (``sync_national --catalogue``), never a
  request.
* **One bad procedure does not stop the pull.** A listed code whose record the portal does
  not return, refuses (``RejectedError`` for that one code), or returns malformed (without a
  code, or under another procedure's code) is skipped and named in the report. The importer
  skips the records it cannot parse, as for a file.
* **Paging ends** at an empty page or a short one (fewer rows than asked). A portal that
  ignored the page number would repeat a page forever, so a page that lists no code not
  already listed (as a page identical to the previous one does) ends the listing, and so
  does ``MAX_PAGES``; the report says where and why. What was listed until then is imported:
  the import only adds and updates, so a partial listing loses nothing.
* **``only_changed_since``** (a date) skips the procedures whose ``NgayCapNhat`` is older
  (compared as dates in Asia/Ho_Chi_Minh); a procedure listed without a date, or with one
  that cannot be read, is fetched.
* **Field names.** ``LayThuTuc`` answers in the field names of the catalogue export
  (``ma_thu_tuc``, ``ten_thu_tuc``, ``linh_vuc`` …). Some integrations answer in PascalCase
  instead; ``ALIASES`` maps those names to the export's, for a record that comes that way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.importer import ImportReport, import_records
from motcua.catalog.models import Sector
from motcua.core.text import fold, normalize
from motcua.integrations.national_portal import (
    NationalPortalClient,
    RejectedError,
    read_portal_time,
)
from motcua.org.models import Agency

# Pages of the procedure list read at most: the national catalogue holds some thousands of
# procedures, so a listing still going past this many pages is a portal repeating itself.
MAX_PAGES: Final = 1000
# Codes, sectors or agencies named one by one in the printed report; the rest are counted.
MAX_NAMED: Final = 20

# PascalCase field names some integrations use → the export's names (``COLUMNS`` of
# ``motcua.catalog.importing.readers``). Unconfirmed: no public specification lists them;
# they follow the casing of the services' own fields (MaTTHC, TenTTHC, TenLinhVuc). A record
# that already carries the export's name keeps its value.
ALIASES: Final[dict[str, str]] = {
    "MaTTHC": "ma_thu_tuc",
    "MaThuTuc": "ma_thu_tuc",
    "TenTTHC": "ten_thu_tuc",
    "TenThuTuc": "ten_thu_tuc",
    "SoQuyetDinh": "so_quyet_dinh",
    "CapThucHien": "cap_thuc_hien",
    "LoaiTTHC": "loai_thu_tuc",
    "LoaiThuTuc": "loai_thu_tuc",
    "LinhVuc": "linh_vuc",
    "TenLinhVuc": "linh_vuc",
    "DoiTuongThucHien": "doi_tuong_thuc_hien",
    "CoQuanCoThamQuyen": "co_quan_co_tham_quyen",
    "CoQuanThucHien": "co_quan_thuc_hien",
    "CoQuanPhoiHop": "co_quan_phoi_hop",
    "DiaChiTiepNhan": "dia_chi_tiep_nhan",
    "TrinhTuThucHien": "trinh_tu_thuc_hien",
    "CachThucThucHien": "cach_thuc_thuc_hien",
    "ThanhPhanHoSo": "thanh_phan_ho_so",
    "CanCuPhapLy": "can_cu_phap_ly",
    "YeuCauDieuKien": "yeu_cau_dieu_kien",
    "KetQuaThucHien": "ket_qua_xu_ly",
    "KetQuaXuLy": "ket_qua_xu_ly",
    "DuongDan": "detail_url",
}


@dataclass
class CataloguePull:
    """What a pull did: the import's report, and what the portal's lists told us."""

    report: ImportReport = field(default_factory=ImportReport)
    since: date | None = None
    seconds: float = 0.0
    listed: int = 0  # distinct codes the procedure list gave
    not_changed: int = 0  # listed but not fetched: not updated since ``since``
    pages: int = 0
    listing_stopped: str = ""  # why the listing ended before a short page, if it did
    missing: list[str] = field(default_factory=list)  # codes with no record on the portal
    malformed: list[tuple[str, str]] = field(default_factory=list)  # (code, why)
    sectors_filled: int = 0
    sectors_unknown: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    agencies_on_portal: int = 0
    agencies_matched: int = 0
    agencies_unknown: list[tuple[str, str]] = field(default_factory=list)  # ours: (code, name)

    def lines(self, *, warn: Callable[[str], str] = str) -> list[str]:
        """The printed report, in Vietnamese; ``warn`` styles the lines that need a look."""
        lines = [
            _("Cổng DVC quốc gia liệt kê %(listed)s thủ tục (%(pages)s trang).")
            % {"listed": self.listed, "pages": self.pages}
        ]
        if self.listing_stopped:
            lines.append(warn("  " + self.listing_stopped))
        if self.since is not None:
            lines.append(
                _("  Không tải %(count)s thủ tục không cập nhật từ ngày %(since)s.")
                % {"count": self.not_changed, "since": self.since.strftime("%d/%m/%Y")}
            )
        if self.missing:
            lines.append(
                warn(
                    _("  Cổng không trả hồ sơ của %(count)s thủ tục:")
                    % {"count": len(self.missing)}
                )
            )
            lines.extend(_named(self.missing))
        if self.malformed:
            lines.append(
                warn(
                    _("  Bỏ qua %(count)s thủ tục Cổng trả không dùng được:")
                    % {"count": len(self.malformed)}
                )
            )
            lines.extend(_named([f"{code}: {why}" for code, why in self.malformed]))
        lines.extend(self.report.lines(self.seconds, warn=warn))
        lines.append(
            _(
                "Lĩnh vực: đã điền mã cho %(filled)s lĩnh vực; %(unknown)s lĩnh vực trên Cổng"
                " chưa có trong danh mục."
            )
            % {"filled": self.sectors_filled, "unknown": len(self.sectors_unknown)}
        )
        lines.extend(_named([f"{code} — {name}" for code, name in self.sectors_unknown]))
        lines.append(
            _(
                "Cơ quan: %(matched)s/%(portal)s cơ quan trên Cổng trùng mã với cơ quan của"
                " tỉnh; %(unknown)s cơ quan đang hoạt động của tỉnh có mã Cổng không biết."
            )
            % {
                "matched": self.agencies_matched,
                "portal": self.agencies_on_portal,
                "unknown": len(self.agencies_unknown),
            }
        )
        lines.extend(
            warn(line)
            for line in _named([f"{code} — {name}" for code, name in self.agencies_unknown])
        )
        return lines


def _named(items: list[str]) -> list[str]:
    lines = [f"    {item}" for item in items[:MAX_NAMED]]
    if len(items) > MAX_NAMED:
        lines.append("    " + _("… và %(more)s nữa.") % {"more": len(items) - MAX_NAMED})
    return lines


def pull_catalogue(
    client: NationalPortalClient,
    *,
    page_size: int = 100,
    only_changed_since: date | None = None,
    on_record: Callable[[], object] | None = None,
    max_pages: int = MAX_PAGES,
) -> CataloguePull:
    """Import the portal's catalogue; what it did. Raises ``UnavailableError`` or
    ``RejectedError`` (from ``motcua.integrations.national_portal``) for a portal that fails
    mid-pull, after rolling everything back (see the module docstring). ``on_record`` is
    called for each record imported, for a progress bar."""
    started = time.monotonic()
    pull = CataloguePull(since=only_changed_since)
    with transaction.atomic():
        portal_sectors = client.list_sectors()
        portal_agencies = client.list_agencies()
        records = _records(client, pull, page_size, only_changed_since, max_pages)
        pull.report = import_records(records, on_record=on_record)
        _fill_sector_codes(portal_sectors, pull)
        _compare_agencies(portal_agencies, pull)
    pull.seconds = time.monotonic() - started
    return pull


def export_record(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``raw`` with the export's field names (``ALIASES``); a record already in them is
    returned as it is, so its digest is the file import's."""
    record = dict(raw)
    for alias, name in ALIASES.items():
        if alias in record:
            value = record.pop(alias)
            record.setdefault(name, value)
    return record


def _listed_codes(
    client: NationalPortalClient, pull: CataloguePull, page_size: int, max_pages: int
) -> Iterator[tuple[str, str]]:
    """(code, NgayCapNhat) of each procedure listed, each code once, page by page."""
    seen: set[str] = set()
    for page in range(1, max_pages + 1):
        rows = client.list_procedures(page, page_size)
        pull.pages = page
        fresh = []
        for row in rows:
            code = normalize(str(row.get("MaTTHC") or ""))
            if not code:
                pull.malformed.append(
                    (_("trang %(page)s") % {"page": page}, _("dòng danh sách không có MaTTHC"))
                )
            elif code not in seen:
                seen.add(code)
                fresh.append((code, str(row.get("NgayCapNhat") or "")))
        if rows and not fresh:
            pull.listing_stopped = _(
                "Dừng ở trang %(page)s: trang không có thủ tục mới (Cổng lặp lại trang trước)."
            ) % {"page": page}
            return
        pull.listed += len(fresh)
        yield from fresh
        if len(rows) < page_size:
            return
    pull.listing_stopped = _("Dừng ở trang %(page)s: đã đọc tối đa %(pages)s trang danh sách.") % {
        "page": max_pages,
        "pages": max_pages,
    }


def _records(
    client: NationalPortalClient,
    pull: CataloguePull,
    page_size: int,
    since: date | None,
    max_pages: int,
) -> Iterator[dict[str, Any]]:
    """The record of each listed procedure to import, in the export's field names."""
    for code, updated in _listed_codes(client, pull, page_size, max_pages):
        if since is not None and _older(updated, since):
            pull.not_changed += 1
            continue
        try:
            raw = client.get_procedure(code)
        except RejectedError as exc:
            pull.malformed.append((code, _("Cổng từ chối: %(message)s") % {"message": exc}))
            continue
        if raw is None:
            pull.missing.append(code)
            continue
        record = export_record(raw)
        found = normalize(str(record.get("ma_thu_tuc") or ""))
        if found != code:
            why = (
                _("bản ghi không có mã thủ tục")
                if not found
                else _("bản ghi mang mã của thủ tục khác (%(found)s)") % {"found": found[:40]}
            )
            pull.malformed.append((code, why))
            continue
        yield record


def _older(updated: str, since: date) -> bool:
    """Whether a listed ``NgayCapNhat`` is a day before ``since`` (not when it is unreadable)."""
    moment = read_portal_time(updated)
    return moment is not None and moment.date() < since


def _text(row: Mapping[str, Any], key: str) -> str:
    return normalize(str(row.get(key) or ""))


def _fill_sector_codes(portal_sectors: list[dict[str, Any]], pull: CataloguePull) -> None:
    """Give each of our sectors without a code the portal's code for the same name (compared
    without accents or case). A name the portal lists under two codes is left alone, as is a
    code one of our sectors already has: a guess would join two sectors under one code."""
    codes_by_name: dict[str, set[str]] = {}
    named: dict[str, tuple[str, str]] = {}
    for row in portal_sectors:
        code, name = _text(row, "MaLinhVuc"), _text(row, "TenLinhVuc")
        if code and name:
            codes_by_name.setdefault(fold(name), set()).add(code)
            named.setdefault(code, (code, name))
    code_chars = Sector._meta.get_field("code").max_length or 0
    ours = list(Sector.objects.only("pk", "code", "name"))
    used = {sector.code for sector in ours if sector.code}
    for sector in ours:
        codes = codes_by_name.get(fold(sector.name), set())
        if sector.code or len(codes) != 1:
            continue
        code = next(iter(codes))
        if code in used or len(code) > code_chars:
            continue
        Sector.objects.filter(pk=sector.pk, code="").update(code=code)
        sector.code = code
        used.add(code)
        pull.sectors_filled += 1
    known_names = {fold(sector.name) for sector in ours}
    known_codes = {sector.code for sector in ours if sector.code}
    pull.sectors_unknown = sorted(
        (code, name)
        for code, name in named.values()
        if code not in known_codes and fold(name) not in known_names
    )


def _compare_agencies(portal_agencies: list[dict[str, Any]], pull: CataloguePull) -> None:
    """Match the portal's agencies with ours by code (without case or surrounding spaces);
    reads only."""
    portal_codes = {_text(row, "MaCoQuan").upper() for row in portal_agencies} - {""}
    ours = list(Agency.objects.values_list("code", "name", "active"))
    pull.agencies_on_portal = len(portal_codes)
    pull.agencies_matched = len(portal_codes & {code.strip().upper() for code, *rest in ours})
    pull.agencies_unknown = sorted(
        (code, name)
        for code, name, active in ours
        if active and code.strip().upper() not in portal_codes
    )
