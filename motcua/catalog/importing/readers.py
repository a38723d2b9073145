"""Read a national catalogue export: JSONL (optionally gzipped), JSON, CSV or XLSX.

Every reader yields one dict per procedure with the national field names (``COLUMNS``).
Rules (docs/import-format.md explains them to users):

* The file is checked before anything is yielded: its first bytes must match its extension
  (gzip magic, a zip for .xlsx, UTF-8 text for the rest) and its header, or first record, must
  carry ``ma_thu_tuc`` and ``ten_thu_tuc``. ``read_records`` runs these checks when called,
  so a wrong file raises ``ImportFileError`` before the caller has read a single record.
* A file that turns out to be broken further on (bad JSON on line 900, a truncated gzip, a
  non-UTF-8 byte) raises ``ImportFileError`` naming the line when it is reached. It aborts the
  whole import: the caller runs the import in one transaction and rolls it back, because a
  file that is not what it claims must write nothing. A record that is well-formed but
  unusable (no code) is not a file error: ``parse_record`` raises ``RecordError`` for it and
  the caller skips just that record.
* CSV and XLSX headers may be the national names or the Vietnamese labels below, compared
  without accents, case or extra spaces; other columns are ignored. CSV is UTF-8 with or
  without BOM, separated by commas, semicolons or tabs. XLSX is read from its first sheet.
"""

from __future__ import annotations

import csv
import gzip
import json
import zlib
from collections.abc import Generator, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from motcua.core.text import fold

REQUIRED = ("ma_thu_tuc", "ten_thu_tuc")

# National field name → Vietnamese column labels also accepted in CSV and XLSX headers.
COLUMNS: dict[str, tuple[str, ...]] = {
    "ma_thu_tuc": ("Mã thủ tục", "Mã TTHC", "Mã số thủ tục"),
    "ten_thu_tuc": ("Tên thủ tục", "Tên TTHC", "Tên thủ tục hành chính"),
    "so_quyet_dinh": ("Số quyết định", "Quyết định công bố"),
    "cap_thuc_hien": ("Cấp thực hiện",),
    "loai_thu_tuc": ("Loại thủ tục", "Loại TTHC"),
    "linh_vuc": ("Lĩnh vực",),
    "doi_tuong_thuc_hien": ("Đối tượng thực hiện",),
    "co_quan_co_tham_quyen": ("Cơ quan có thẩm quyền", "Cơ quan có thẩm quyền quyết định"),
    "co_quan_thuc_hien": ("Cơ quan thực hiện",),
    "co_quan_phoi_hop": ("Cơ quan phối hợp",),
    "dia_chi_tiep_nhan": ("Địa chỉ tiếp nhận", "Địa chỉ tiếp nhận hồ sơ"),
    "trinh_tu_thuc_hien": ("Trình tự thực hiện",),
    "cach_thuc_thuc_hien": ("Cách thức thực hiện",),
    "thanh_phan_ho_so": ("Thành phần hồ sơ",),
    "can_cu_phap_ly": ("Căn cứ pháp lý",),
    "yeu_cau_dieu_kien": ("Yêu cầu, điều kiện thực hiện", "Yêu cầu, điều kiện"),
    "ket_qua_xu_ly": ("Kết quả thực hiện", "Kết quả xử lý"),
    "detail_url": ("Đường dẫn", "Địa chỉ trang chi tiết", "URL"),
}
_HEADER_KEYS = {fold(label): name for name, labels in COLUMNS.items() for label in (name, *labels)}
_SNIFF_BYTES = 8192
_CSV_DELIMITERS = (",", ";", "\t")


class ImportFileError(ValueError):
    """The file is not a catalogue export (or is broken): nothing from it may be imported."""


def _missing_message(path: Path, found: Sequence[str]) -> str:
    missing = ", ".join(name for name in REQUIRED if name not in found)
    return f"Tệp {path.name} không phải là dữ liệu thủ tục hành chính: thiếu cột {missing}."


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise ImportFileError(f"Không đọc được tệp {path.name}: {exc.strerror}.") from exc


def _check_text(path: Path, head: bytes) -> None:
    if b"\x00" in head:
        raise ImportFileError(f"Tệp {path.name} là tệp nhị phân, không phải văn bản.")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # a character cut by the sniff window is fine
            raise ImportFileError(
                f"Tệp {path.name} không phải văn bản UTF-8 (byte lạ ở vị trí {exc.start})."
            ) from exc


def _numbered_lines(path: Path, gzipped: bool) -> Iterator[tuple[int, str]]:
    """Decoded lines with their numbers. Lines are decoded one by one so that a bad byte or a
    truncated archive is reported at its real line."""
    number = 0
    try:
        with gzip.open(path, "rb") if gzipped else path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.decode("utf-8")
                yield number, line.removeprefix("\ufeff") if number == 1 else line
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ImportFileError(
            f"Tệp nén {path.name} bị hỏng sau dòng {number}: không giải nén được."
        ) from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"Tệp {path.name}, dòng {number}: không phải văn bản UTF-8.") from exc


def _json_object(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"Tệp {path.name}, dòng {number}: không phải JSON hợp lệ ({exc.msg})."
        ) from exc
    if not isinstance(value, dict):
        raise ImportFileError(f"Tệp {path.name}, dòng {number}: không phải một bản ghi JSON.")
    return value


def _jsonl_records(path: Path, gzipped: bool) -> Generator[dict[str, Any], None, None]:
    for number, line in _numbered_lines(path, gzipped):
        if line.strip():
            yield _json_object(path, number, line)


def _check_jsonl(path: Path, gzipped: bool) -> None:
    records = _jsonl_records(path, gzipped)
    try:
        first = next(records, None)
    finally:
        records.close()
    if first is None:
        raise ImportFileError(f"Tệp {path.name} không có bản ghi nào.")
    if any(name not in first for name in REQUIRED):
        raise ImportFileError(_missing_message(path, list(first)))


def _json_list(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"Tệp {path.name} không phải văn bản UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"Tệp {path.name}, dòng {exc.lineno}: không phải JSON hợp lệ ({exc.msg})."
        ) from exc
    if not isinstance(data, list) or not data:
        raise ImportFileError(f"Tệp {path.name} phải chứa một danh sách (mảng JSON) các bản ghi.")
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ImportFileError(f"Tệp {path.name}: phần tử thứ {index} không phải một bản ghi.")
    if any(name not in data[0] for name in REQUIRED):
        raise ImportFileError(_missing_message(path, list(data[0])))
    return data


def header_fields(path: Path, header: Sequence[object]) -> list[str | None]:
    """The national field name of each header cell (None for a column that is ignored)."""
    fields: list[str | None] = []
    for cell in header:
        label = fold(str(cell)).strip(" :*") if cell is not None else ""
        name = _HEADER_KEYS.get(label)
        if name is not None and name in fields:
            raise ImportFileError(f"Tệp {path.name}: cột {name} xuất hiện hai lần («{cell}»).")
        fields.append(name)
    if any(name not in fields for name in REQUIRED):
        raise ImportFileError(_missing_message(path, [f for f in fields if f]))
    return fields


def _row_record(fields: Sequence[str | None], row: Sequence[object]) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    for name, value in zip(fields, row, strict=False):
        if name is not None:
            record[name] = _cell_text(name, value)
    return record


def _cell_text(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and name == "ma_thu_tuc":
        # A spreadsheet turns the code 2.000980 into the number 2.00098; codes have six decimals.
        return f"{value:.6f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _csv_delimiter(path: Path, head: bytes) -> str:
    """The delimiter under which the header line names the required columns."""
    lines = head.decode("utf-8-sig", errors="replace").splitlines()
    first_line = lines[0] if lines else ""
    for delimiter in _CSV_DELIMITERS:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        labels = {_HEADER_KEYS.get(fold(cell).strip(" :*")) for cell in header}
        if all(name in labels for name in REQUIRED):
            return delimiter
    header_fields(path, next(csv.reader([first_line]), []))  # raises, naming what is missing
    return ","


def _csv_records(path: Path, delimiter: str) -> Iterator[dict[str, Any]]:
    lines = (line for _number, line in _numbered_lines(path, gzipped=False))
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        fields = header_fields(path, next(reader))
        for row in reader:
            if any(cell.strip() for cell in row):
                yield _row_record(fields, row)
    except csv.Error as exc:
        raise ImportFileError(
            f"Tệp {path.name}, dòng {reader.line_num}: CSV không hợp lệ ({exc})."
        ) from exc


def _xlsx_records(path: Path) -> Iterator[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        message = f"Tệp {path.name} không phải bảng tính Excel (.xlsx) hợp lệ."
        raise ImportFileError(message) from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next((row for row in rows if any(cell is not None for cell in row)), None)
        if header is None:
            raise ImportFileError(f"Tệp {path.name}: trang tính đầu tiên không có dữ liệu.")
        fields = header_fields(path, header)
        for row in rows:
            if any(cell not in (None, "") for cell in row):
                yield _row_record(fields, row)
    finally:
        book.close()


def _first(path: Path, records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Pull the first record now, so a wrong file fails at ``read_records`` time."""
    first = next(records, None)
    if first is None:
        raise ImportFileError(f"Tệp {path.name} không có bản ghi nào.")

    def chain() -> Iterator[dict[str, Any]]:
        yield first
        yield from records

    return chain()


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of ``path`` (.jsonl, .jsonl.gz, .json, .csv, .xlsx), with the national
    field names. Raises ``ImportFileError`` at once for a file that is not an export, and
    while iterating for a file broken further on (see the module docstring)."""
    path = Path(path)
    name = path.name.lower()
    head = _head(path)
    if name.endswith(".jsonl.gz"):
        if not head.startswith(b"\x1f\x8b"):
            raise ImportFileError(f"Tệp {path.name} không phải là tệp nén gzip.")
        _check_jsonl(path, gzipped=True)
        return _jsonl_records(path, gzipped=True)
    if name.endswith(".jsonl"):
        _check_text(path, head)
        _check_jsonl(path, gzipped=False)
        return _jsonl_records(path, gzipped=False)
    if name.endswith(".json"):
        _check_text(path, head)
        return iter(_json_list(path))
    if name.endswith(".csv"):
        _check_text(path, head)
        return _first(path, _csv_records(path, _csv_delimiter(path, head)))
    if name.endswith(".xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            raise ImportFileError(f"Tệp {path.name} không phải bảng tính Excel (.xlsx).")
        return _first(path, _xlsx_records(path))
    raise ImportFileError(
        f"Không hỗ trợ định dạng của tệp {path.name}: "
        "dùng .jsonl, .jsonl.gz, .json, .csv hoặc .xlsx."
    )
