"""What the fake national portal refuses, field by field, as a strict portal does (the
fields: motcua/integrations/national_portal/__init__.py and docs/national-portal.md). Each
check returns the item or raises ``Refused`` with the portal's Vietnamese message naming the
field; values are quoted only for codes and dates, never for personal data."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from motcua.core.text import fold
from motcua.integrations.national_portal.client import PORTAL_TIME

DOSSIER_DATES = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTuChoi", "NgayTra")
DOSSIER_LISTS: dict[str, frozenset[str]] = {
    "DinhDanhCHS": frozenset({"LoaiDinhDanh", "SoDinhDanh"}),
    "TaiLieuNop": frozenset(
        {
            "TepDinhKemId",
            "TenTepDinhKem",
            "IsDeleted",
            "MaThanhPhanHoSo",
            "DuongDanTaiTepTin",
            "DuocSoHoa",
            "DuocTaiSuDung",
            "DuocLayTuKhoDMQG",
        }
    ),
    "DanhSachLePhi": frozenset({"TenPhiLePhi", "MaPhiLePhi", "HinhThucThu", "Gia", "LoaiPhiLePhi"}),
    "DanhSachHoSoBoSung": frozenset({"NgayHenTraTruoc", "NgayHenTraMoi"}),
    "DanhSachGiayToKetQua": frozenset(
        {"TenGiayTo", "MaThanhPhanHoSo", "GiayToId", "DuongDanTepTinKetQua", "MaGiayToKetQua"}
    ),
}
# Coded fields and the values the portal takes.
DOSSIER_CODES: dict[str, range] = {
    "TrangThaiHoSo": range(1, 11),
    "LoaiDoiTuong": range(1, 5),
    "KenhThucHien": range(1, 4),
    "HinhThuc": range(2),
    "HoSoCoThanhPhanSoHoa": range(2),
    "TaiKhoanDuocXacThucVoiVNeID": range(2),
}
DOSSIER_FIELDS = frozenset(
    {
        "MaHoSo",
        "MaTTHC",
        "TenTTHC",
        "MaLinhVuc",
        "TenLinhVuc",
        "SoBienNhan",
        "ChuHoSo",
        "MaDoiTuong",
        "SoGiayToChuHoSo",
        "Email",
        "SoDienThoai",
        "TrichYeuHoSo",
        "DonViXuLy",
        "DuocThanhToanTrucTuyen",
        *DOSSIER_DATES,
        *DOSSIER_LISTS,
        *DOSSIER_CODES,
    }
)
SUMMARY_CHARS = 1000
STEP_FIELDS = frozenset(
    {
        "MaHoSo",
        "NguoiXuLy",
        "ChucDanh",
        "ThoiDiemXuLy",
        "PhongBanXuLy",
        "NoiDungXuLy",
        "TrangThai",
        "NgayBatDau",
        "NgayKetThucTheoQuyDinh",
    }
)
STEP_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")
HANDLER_CHARS = 50
RATING_FIELDS = (
    "MaTTHC",
    "NgayTongHop",
    "TongSoNguoiDanhGia",
    "PhanTramDanhGiaRatHaiLong",
    "PhanTramDanhGiaHaiLong",
    "PhanTramDanhGiaChuaHaiLong",
)
_MONTH = re.compile(r"(?:[1-9]|1[0-2])-[0-9]{4}")
_PERCENT = re.compile(r"(?:100(?:\.0{1,2})?|[0-9]{1,2}(?:\.[0-9]{1,2})?)%")
_DIGITS = re.compile(r"[0-9]+")


class Refused(Exception):  # noqa: N818 (the portal's "-1" answer, carried to the envelope)
    """The portal's refusal; its text is the answer's ``message``."""


def check_dossier(item: Any) -> dict[str, Any]:
    """A DongBoHoSoMC record as the portal accepts it, or ``Refused`` naming the field."""
    record = _object(item, "hồ sơ")
    _known_fields(record, DOSSIER_FIELDS, "hồ sơ")
    for field in ("MaHoSo", "MaTTHC"):
        if not isinstance(record.get(field), str) or not record[field].strip():
            raise Refused(f"Thiếu trường bắt buộc {field}")
    if "TrangThaiHoSo" not in record:
        raise Refused("Thiếu trường bắt buộc TrangThaiHoSo")
    for field, allowed in DOSSIER_CODES.items():
        if field in record and _number(record[field]) not in allowed:
            raise Refused(
                f"Trường {field} không hợp lệ: {record[field]!r} (nhận {allowed.start} đến "
                f"{allowed.stop - 1})"
            )
    for field in DOSSIER_DATES:
        _date(record, field)
    summary = record.get("TrichYeuHoSo", "")
    if not isinstance(summary, str) or len(summary) > SUMMARY_CHARS:
        raise Refused(f"Trường TrichYeuHoSo phải là chuỗi tối đa {SUMMARY_CHARS} ký tự")
    for field, known in DOSSIER_LISTS.items():
        items = record.get(field, [])
        if not isinstance(items, list):
            raise Refused(f"Trường {field} phải là danh sách")
        for entry in items:
            _known_fields(_object(entry, field), known, field)
    for entry in record.get("DanhSachHoSoBoSung", []):
        for field in ("NgayHenTraTruoc", "NgayHenTraMoi"):
            _date(entry, field, within="DanhSachHoSoBoSung.")
    return record


def check_step(item: Any) -> dict[str, Any]:
    """A CapNhatTienDoHoSoMC step as the portal accepts it, or ``Refused``."""
    step = _object(item, "bước xử lý")
    _known_fields(step, STEP_FIELDS, "bước xử lý")
    if not isinstance(step.get("MaHoSo"), str) or not step["MaHoSo"].strip():
        raise Refused("Thiếu trường bắt buộc MaHoSo của bước xử lý")
    if not step.get("ThoiDiemXuLy"):
        raise Refused("Thiếu trường bắt buộc ThoiDiemXuLy của bước xử lý")
    for field in STEP_DATES:
        _date(step, field)
    handler = step.get("NguoiXuLy", "")
    if not isinstance(handler, str) or len(handler) > HANDLER_CHARS:
        raise Refused(f"Trường NguoiXuLy phải là chuỗi tối đa {HANDLER_CHARS} ký tự")
    return step


def check_rating(item: Any) -> dict[str, Any]:
    """A DongBoDanhGia row as the portal accepts it, or ``Refused``."""
    row = _object(item, "dòng đánh giá")
    _known_fields(row, frozenset(RATING_FIELDS), "dòng đánh giá")
    if missing := [field for field in RATING_FIELDS if field not in row]:
        raise Refused(f"Thiếu trường bắt buộc {', '.join(missing)}")
    if not isinstance(row["MaTTHC"], str) or not row["MaTTHC"].strip():
        raise Refused("Thiếu trường bắt buộc MaTTHC")
    if not isinstance(row["NgayTongHop"], str) or not _MONTH.fullmatch(row["NgayTongHop"]):
        raise Refused(f"Trường NgayTongHop phải có dạng M-YYYY: {row['NgayTongHop']!r}")
    count = _number(row["TongSoNguoiDanhGia"])
    if count is None or count < 0:
        raise Refused("Trường TongSoNguoiDanhGia phải là số nguyên không âm")
    for field in RATING_FIELDS[3:]:
        if not isinstance(row[field], str) or not _PERCENT.fullmatch(row[field]):
            raise Refused(f"Trường {field} phải có dạng NN%: {row[field]!r}")
    return row


def sector_code(name: str) -> str:
    """A stable code for a sector known only by its name: the same name, the same code."""
    digest = hashlib.blake2s(fold(name).encode("utf-8"), digest_size=4).hexdigest()
    return f"LV-{digest.upper()}"


def _object(item: Any, what: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise Refused(f"Mỗi {what} phải là một đối tượng JSON")
    return item


def _known_fields(item: dict[str, Any], known: frozenset[str], what: str) -> None:
    if unknown := sorted(set(item) - known):
        raise Refused(f"Trường không có trong đặc tả {what}: {', '.join(unknown)[:200]}")


def _date(item: dict[str, Any], field: str, *, within: str = "") -> None:
    value = item.get(field, "")
    if value == "":
        return
    try:
        dt.datetime.strptime(value, PORTAL_TIME)  # noqa: DTZ007 (only the format is checked)
        valid = len(value) == 14 and bool(_DIGITS.fullmatch(value))
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise Refused(f"Trường {within}{field} phải có dạng yyyyMMddHHmmss: {value!r}")


def _number(value: Any) -> int | None:
    """An int, or a string of digits read as one; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None


def positive_int(value: Any) -> int | None:
    """An int of at least 1 (a JSON number, not a string), or None."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return None


def only_key(data: list[Any], key: str) -> str:
    if len(data) != 1 or not isinstance(data[0], dict) or not isinstance(data[0].get(key), str):
        raise Refused(f'data phải là [{{"{key}": mã}}]')
    return str(data[0][key])
