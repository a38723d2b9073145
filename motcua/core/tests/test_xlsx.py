"""The one workbook writer: a table that reads well in a spreadsheet, served as a download."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from motcua.core.xlsx import CONTENT_TYPE, MONEY, PERCENT, Column, Workbook


def written() -> Workbook:
    book = Workbook()
    sheet = book.sheet("Hồ sơ")
    sheet.title("Sổ theo dõi hồ sơ")
    sheet.row(["Từ ngày", dt.date(2026, 3, 1)])
    sheet.blank()
    sheet.table(
        [
            Column("Mã hồ sơ", 20),
            Column("Phí", 12, MONEY),
            Column("Tỷ lệ", 8, PERCENT),
            Column("Nhận lúc", 17),
        ]
    )
    # 01:30 UTC is 08:30 in Việt Nam.
    sheet.row(["H20-260302-0001", 1_200_000, 0.5, dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)])
    sheet.row(["Tổng cộng", 1_200_000, 1.0], bold=True)
    book.sheet("Theo tháng").row(["Tháng"])
    return book


def test_a_table_keeps_its_heading_in_view_and_its_values_typed():
    book = load_workbook(io.BytesIO(written().to_bytes()))
    assert book.sheetnames == ["Hồ sơ", "Theo tháng"]
    sheet = book["Hồ sơ"]
    assert sheet["A1"].font.bold and sheet["A1"].font.size == 14
    assert (sheet["B2"].value, sheet["B2"].number_format) == (dt.datetime(2026, 3, 1), "dd/mm/yyyy")
    assert [cell.value for cell in sheet[4]] == ["Mã hồ sơ", "Phí", "Tỷ lệ", "Nhận lúc"]
    assert all(cell.font.bold for cell in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet.column_dimensions["A"].width == 20
    assert (sheet["B5"].value, sheet["B5"].number_format) == (1_200_000, "#,##0")
    assert sheet["C5"].number_format == "0.0%"
    assert sheet["D5"].value == dt.datetime(2026, 3, 2, 8, 30)  # wall-clock, no zone
    assert sheet["D5"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["A6"].font.bold and not sheet["A5"].font.bold


def test_a_workbook_is_downloaded_under_its_name():
    response = written().response("so-theo-doi-1-20260301-20260331.xlsx")
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="so-theo-doi-1-20260301-20260331.xlsx"'
    )
    assert load_workbook(io.BytesIO(response.content))["Theo tháng"]["A1"].value == "Tháng"
