"""Workbooks for download: every XLSX the product writes looks and reads the same.

A sheet is written top to bottom: title lines, then a table (a bold heading row that stays in
view while scrolling, the column widths, each column's number format), then rows, bold for
totals. Values keep their type, so a spreadsheet can sum and sort them: a moment is a real
date-time shown ``dd/mm/yyyy hh:mm`` in Việt Nam's wall-clock time (a spreadsheet has no
time zones), a date ``dd/mm/yyyy``; money and shares take their column's format.

    book = Workbook()
    sheet = book.sheet(_("Hồ sơ"))
    sheet.title(_("Sổ theo dõi hồ sơ"))
    sheet.table([Column(_("Mã hồ sơ"), 18), Column(_("Phí"), 14, MONEY)])
    sheet.row([dossier.code, dossier.fee_total_vnd])
    return book.response("so-theo-doi.xlsx")
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE = "dd/mm/yyyy"
MOMENT = "dd/mm/yyyy hh:mm"
MONTH = "mm/yyyy"
MONEY = "#,##0"  # whole đồng
PERCENT = "0.0%"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADING = Alignment(wrap_text=True, vertical="center", horizontal="center")
_WRAPPED = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """A table column: its heading, its width (in characters), the number format of its values
    (by default from their type) and whether long text wraps."""

    heading: str
    width: float
    format: str = ""
    wrap: bool = False


def cell_value(value: object) -> object:
    """A value as a spreadsheet keeps it: a moment in the province's wall-clock time, without
    zone."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value, timezone.get_default_timezone()).replace(tzinfo=None)
    return value


def _type_format(value: object) -> str:
    if isinstance(value, dt.datetime):
        return MOMENT
    if isinstance(value, dt.date):
        return DATE
    return ""


class Sheet:
    """One worksheet, written a row at a time."""

    def __init__(self, worksheet: Worksheet) -> None:
        self.worksheet = worksheet
        self.columns: Sequence[Column] = ()

    def title(self, text: str) -> None:
        """A title line, large and bold."""
        self.row([text])
        self.worksheet.cell(self.worksheet.max_row, 1).font = _TITLE

    def widths(self, widths: Sequence[float]) -> None:
        for index, width in enumerate(widths, start=1):
            self.worksheet.column_dimensions[get_column_letter(index)].width = width

    def table(self, columns: Sequence[Column]) -> None:
        """The heading row of the table that the following rows fill; the rows above it (titles)
        and the heading stay in view while scrolling."""
        self.columns = columns
        self.worksheet.append([column.heading for column in columns])
        for cell in self.worksheet[self.worksheet.max_row]:
            cell.font = _BOLD
            cell.alignment = _HEADING
        self.widths([column.width for column in columns])
        self.worksheet.freeze_panes = f"A{self.worksheet.max_row + 1}"

    def row(
        self,
        values: Sequence[object],
        *,
        bold: bool = False,
        formats: Mapping[int, str] | None = None,
    ) -> None:
        """Append a row. ``formats`` gives a number format by position (0 = first column), for
        values outside a table; in a table, the columns give them."""
        self.worksheet.append([cell_value(value) for value in values])
        line = self.worksheet.max_row
        for index, value in enumerate(values):
            cell = self.worksheet.cell(line, index + 1)
            column = self.columns[index] if index < len(self.columns) else None
            number_format = (formats or {}).get(index) or (column.format if column else "")
            number_format = number_format or _type_format(value)
            if number_format:
                cell.number_format = number_format
            if column is not None and column.wrap:
                cell.alignment = _WRAPPED
            if bold:
                cell.font = _BOLD

    def blank(self) -> None:
        self.worksheet.append([])


class Workbook:
    """A workbook of sheets, as bytes or as a download."""

    def __init__(self) -> None:
        self._book = OpenpyxlWorkbook()
        self._unused: Worksheet | None = self._book.active

    def sheet(self, title: str) -> Sheet:
        """A new sheet, named ``title`` (the first one takes the workbook's initial sheet)."""
        if self._unused is not None:
            worksheet, self._unused = self._unused, None
            worksheet.title = title
        else:
            worksheet = self._book.create_sheet(title)
        return Sheet(worksheet)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()

    def response(self, filename: str) -> HttpResponse:
        """The workbook as a download named ``filename``."""
        response = HttpResponse(self.to_bytes(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename) or ""
        return response
