"""Reading exports: every accepted format, and every kind of file that must be refused."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from motcua.catalog.importing.readers import COLUMNS, ImportFileError, read_records

# Two real records of the July 2026 export, cut down to a few fields.
RECORDS: list[dict[str, Any]] = [
    {
        "ma_thu_tuc": "1.000178",
        "ten_thu_tuc": "Giải quyết khiếu nại về quyết định hành chính, hành vi hành chính",
        "cap_thuc_hien": "Cấp bộ",
        "linh_vuc": "Khiếu nại, tố cáo",
    },
    {
        "ma_thu_tuc": "2.000980",
        "ten_thu_tuc": "Cấp lại thẻ căn cước",
        "cap_thuc_hien": "Cấp tỉnh, Cấp xã",
        "linh_vuc": "Căn cước",
    },
]
VIETNAMESE = {"ma_thu_tuc": "Mã thủ tục", "ten_thu_tuc": "Tên thủ tục"}
VIETNAMESE |= {"cap_thuc_hien": "Cấp thực hiện", "linh_vuc": "Lĩnh vực"}


def jsonl(records: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def expected(record: dict[str, Any]) -> dict[str, Any]:
    """What a CSV/XLSX row becomes: every national field, empty when the file lacks it."""
    return {name: record.get(name, "") for name in COLUMNS}


def csv_text(header: list[str], records: list[dict[str, Any]], sep: str = ",") -> str:
    keys = list(VIETNAMESE)
    rows = [sep.join(header)] + [sep.join(f'"{r[k]}"' for k in keys) for r in records]
    return "\r\n".join(rows) + "\r\n"


def xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --- accepted formats ------------------------------------------------------------------------


def test_jsonl_with_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(jsonl(RECORDS[:1]) + "\n\n" + jsonl(RECORDS[1:]), encoding="utf-8")
    assert list(read_records(path)) == RECORDS


def test_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl(RECORDS).encode("utf-8")))
    assert list(read_records(path)) == RECORDS


def test_json_list(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(RECORDS, ensure_ascii=False), encoding="utf-8")
    assert list(read_records(path)) == RECORDS


@pytest.mark.parametrize("bom", ["", "\ufeff"])
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_csv_with_vietnamese_headers(tmp_path: Path, bom: str, sep: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(bom + csv_text(list(VIETNAMESE.values()), RECORDS, sep), encoding="utf-8")
    assert list(read_records(path)) == [expected(r) for r in RECORDS]


def test_csv_with_national_headers_in_other_case_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    header = ["MA_THU_TUC", "ten_thu_tuc", "Ghi chú", "linh_vuc"]
    path.write_text(
        ",".join(header) + "\n1.000178,Cấp lại thẻ căn cước,bỏ qua,Căn cước\n,,,\n",
        encoding="utf-8",
    )
    [record] = read_records(path)
    assert record["ma_thu_tuc"] == "1.000178" and record["linh_vuc"] == "Căn cước"
    assert "Ghi chú" not in record


def test_xlsx_first_sheet(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "export.xlsx",
        [[], list(VIETNAMESE.values())] + [[r[k] for k in VIETNAMESE] for r in RECORDS],
    )
    assert list(read_records(path)) == [expected(r) for r in RECORDS]


def test_xlsx_code_typed_as_a_number_keeps_six_decimals(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "export.xlsx", [["Mã thủ tục", "Tên thủ tục"], [2.00098, "Thủ tục"]])
    [record] = read_records(path)
    assert record["ma_thu_tuc"] == "2.000980"


# --- refused files: before anything is read --------------------------------------------------


def refused(path: Path, match: str) -> None:
    with pytest.raises(ImportFileError, match=match):
        read_records(path)  # no iteration: the check happens when the reader is created


def test_gzip_that_is_not(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(b"%PDF-1.7 this is not a gzip")
    refused(path, "không phải là tệp nén gzip")


def test_gzip_of_something_else(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(gzip.compress(b"ma_thu_tuc,ten_thu_tuc\n1.000178,x\n"))
    refused(path, "dòng 1: không phải JSON hợp lệ")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ('{"ma_thu_tuc": "1.000178"}', "phải chứa một danh sách"),
        ("[]", "phải chứa một danh sách"),
        ('[{"ma_thu_tuc": "1.000178", "ten_thu_tuc": "x"}, "text"]', "phần tử thứ 2"),
        ('[{"code": "1.000178"}]', "thiếu cột ma_thu_tuc, ten_thu_tuc"),
        ('[{"ma_thu_tuc": "1.000178",\n "ten_thu_tuc": }]', "dòng 2: không phải JSON"),
    ],
)
def test_json_that_is_not_a_list_of_records(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    refused(path, match)


def test_jsonl_without_the_required_fields(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(jsonl([{"ma_thu_tuc": "1.000178", "name": "x"}]), encoding="utf-8")
    refused(path, r"không phải là dữ liệu thủ tục hành chính: thiếu cột ten_thu_tuc\.")


def test_jsonl_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('["1.000178", "Cấp lại thẻ căn cước"]\n', encoding="utf-8")
    refused(path, "dòng 1: không phải một bản ghi JSON")


def test_csv_without_the_required_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Tên thủ tục,Lĩnh vực\nCấp lại thẻ căn cước,Căn cước\n", encoding="utf-8")
    refused(path, "thiếu cột ma_thu_tuc")


def test_csv_with_a_column_twice(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Mã thủ tục,Tên thủ tục,Mã TTHC\n1.000178,x,1.000178\n", encoding="utf-8")
    refused(path, "cột ma_thu_tuc xuất hiện hai lần")


def test_csv_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    # A legacy single-byte export (Latin-1 bytes for "Mã", "Tên", "Cấp").
    path.write_bytes(b"M\xe3 th\xf9 t\xf9c,T\xean th\xf9 t\xf9c\n1.000178,C\xe2p l\xe1i\n")
    refused(path, "không phải văn bản UTF-8")


@pytest.mark.parametrize("name", ["export.jsonl", "export.csv", "export.json"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    refused(path, "tệp nhị phân")


def test_xlsx_that_is_really_text(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("Mã thủ tục,Tên thủ tục\n1.000178,x\n", encoding="utf-8")
    refused(path, r"không phải bảng tính Excel \(\.xlsx\)")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    refused(path, "không phải bảng tính Excel")


def test_xlsx_without_the_required_columns(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "export.xlsx", [["Tên thủ tục"], ["Cấp lại thẻ căn cước"]])
    refused(path, "thiếu cột ma_thu_tuc")


@pytest.mark.parametrize("name", ["export.jsonl", "export.csv", "export.json"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("", encoding="utf-8")
    with pytest.raises(ImportFileError):
        read_records(path)


def test_unsupported_extension_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(jsonl(RECORDS), encoding="utf-8")
    refused(path, "Không hỗ trợ định dạng")
    refused(tmp_path / "nope.jsonl", "Không đọc được tệp nope.jsonl")


# --- broken further on: raised when reached, naming the line ---------------------------------


def test_bad_json_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(jsonl(RECORDS) + "{not json\n" + jsonl(RECORDS), encoding="utf-8")
    records = read_records(path)
    assert next(records) == RECORDS[0]
    with pytest.raises(ImportFileError, match="dòng 3: không phải JSON hợp lệ"):
        list(records)


def test_truncated_gzip(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl.gz"
    data = gzip.compress((jsonl(RECORDS) * 200).encode("utf-8"))
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFileError, match="bị hỏng"):
        list(read_records(path))


def test_bad_byte_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(RECORDS).encode("utf-8") * 200 + b'{"ma_thu_tuc": "\xff"}\n')
    with pytest.raises(ImportFileError, match="dòng 401: không phải văn bản UTF-8"):
        list(read_records(path))


def test_every_accepted_label_is_documented() -> None:
    doc = Path(__file__).resolve().parents[3] / "docs" / "import-format.md"
    text = doc.read_text(encoding="utf-8")
    for name, labels in COLUMNS.items():
        assert f"`{name}`" in text
        assert all(label in text for label in labels), name
