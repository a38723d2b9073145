"""The 1022 statistics page and its XLSX export (``/bao-cao/tong-dai/``).

Who reads them: 1022 operators, inspectors and administrators see every agency; an agency's
leaders see their own agency's figures only. Anyone else gets the 404 of a page that does not
exist (anonymous users are sent to sign in).
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from motcua.core.inputs import parse_id
from motcua.org.models import Agency, Membership, Role
from motcua.reports.hotline import (
    TZ,
    HotlineStats,
    PeriodError,
    hotline_stats,
    parse_period,
)

READ_ALL = {Role.HOTLINE_OPERATOR, Role.INSPECTOR, Role.ADMINISTRATOR}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reader_agencies(user: object) -> set[int] | None:
    """The agencies whose figures ``user`` may read (``None``: all); Http404 for non-readers."""
    user_id = getattr(user, "pk", None)
    if not isinstance(user_id, int):
        raise Http404
    memberships = list(
        Membership.objects.active()
        .filter(user_id=user_id, role__in=[*READ_ALL, Role.LEADER])
        .values_list("role", "agency_id")
    )
    if any(role in READ_ALL for role, _agency in memberships):
        return None
    led = {agency for role, agency in memberships if role == Role.LEADER}
    if not led:
        raise Http404
    return led


def _agency_choices(allowed: set[int] | None) -> QuerySet[Agency]:
    agencies = Agency.objects.order_by("name").only("id", "name")
    if allowed is None:
        return agencies.filter(active=True)
    return agencies.filter(pk__in=allowed)


def _chosen_agency(raw: str, choices: QuerySet[Agency]) -> Agency | None:
    raw = raw.strip()
    if not raw:
        return None
    agency_id = parse_id(raw)
    found = choices.filter(pk=agency_id).first() if agency_id is not None else None
    if found is None:
        raise PeriodError(_("Không tìm thấy cơ quan đã chọn."))
    return found


def _stats(request: HttpRequest) -> tuple[HotlineStats, QuerySet[Agency]] | HttpResponse:
    """The figures the request asks for, or the page with the error (400) for bad input."""
    allowed = reader_agencies(request.user)
    choices = _agency_choices(allowed)
    try:
        period = parse_period(request.GET, today=timezone.localdate())
        agency = _chosen_agency(request.GET.get("agency", ""), choices)
    except PeriodError as error:
        context = {"error": str(error), "choices": choices, "params": request.GET}
        return render(request, "reports/hotline.html", context, status=400)
    return hotline_stats(period=period, agencies=allowed, agency=agency), choices


@login_required
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    """Volume by channel, kind, agency and month; who answers late; satisfaction."""
    found = _stats(request)
    if isinstance(found, HttpResponse):
        return found
    stats, choices = found
    context = {
        "stats": stats,
        "choices": choices,
        "params": request.GET,
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/hotline.html", context)


@login_required
@require_GET
def stats_xlsx_export(request: HttpRequest) -> HttpResponse:
    """The page's tables as a workbook, one sheet per table."""
    found = _stats(request)
    if isinstance(found, HttpResponse):
        return found
    stats = found[0]
    response = HttpResponse(stats_xlsx(stats), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{xlsx_filename(stats)}"'
    return response


# -- XLSX ------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
PERCENT = "0.0%"


def stats_xlsx(stats: HotlineStats) -> bytes:
    """The same tables as the page, one sheet each, Vietnamese headers, dates as dates."""
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook has its sheet
    _summary_sheet(summary, stats)
    total = stats.total

    for title, heading, lines in (
        (_("Theo kênh"), _("Kênh tiếp nhận"), stats.by_channel),
        (_("Theo loại"), _("Loại phản ánh"), stats.by_kind),
    ):
        sheet = _sheet(book, title, [heading, _("Số phản ánh")], [36, 14])
        for line in lines:
            sheet.append([line.label, line.count])
        _bold_row(sheet, [_("Tổng cộng"), sum(line.count for line in lines)])

    sheet = _sheet(
        book, _("Theo cơ quan"), [_("Cơ quan"), _("Số phản ánh"), _("Tỷ lệ")], [52, 14, 10]
    )
    for row in stats.agencies:
        sheet.append([row.name, row.received, _share(row.received, total.received)])
        sheet.cell(sheet.max_row, 3).number_format = PERCENT
    _bold_row(sheet, [_("Tổng cộng"), total.received, 1.0 if total.received else None])
    sheet.cell(sheet.max_row, 3).number_format = PERCENT

    sheet = _sheet(book, _("Theo tháng"), [_("Tháng"), _("Số phản ánh")], [14, 14])
    for line in stats.by_month:
        sheet.append([line.month, line.count])
        sheet.cell(sheet.max_row, 1).number_format = "mm/yyyy"
    _bold_row(sheet, [_("Tổng cộng"), sum(line.count for line in stats.by_month)])

    sheet = _sheet(
        book,
        _("Đúng hạn"),
        [
            _("Cơ quan"),
            _("Tiếp nhận"),
            _("Trả lời đúng hạn"),
            _("Trả lời trễ hạn"),
            _("Chưa trả lời, quá hạn"),
            _("Chưa trả lời, trong hạn"),
            _("Đóng không trả lời"),
            _("Tỷ lệ trễ hạn"),
            _("Trung vị giờ làm việc đến lần trả lời đầu"),
            _("90% được trả lời trong (giờ làm việc)"),
            _("Đã nhắc, chuyển lãnh đạo"),
        ],
        [52, 11, 14, 14, 14, 14, 14, 12, 18, 18, 14],
    )
    for row in [*stats.by_late_share, total]:
        sheet.append(
            [
                row.name,
                row.received,
                row.on_time,
                row.late,
                row.open_overdue,
                row.open_within,
                row.closed_unanswered,
                row.late_share,
                _round(row.median_hours),
                _round(row.p90_hours),
                row.escalated,
            ]
        )
        sheet.cell(sheet.max_row, 8).number_format = PERCENT
    _bold(sheet)

    sheet = _sheet(
        book,
        _("Hài lòng"),
        [_("Cơ quan"), _("Số đánh giá"), _("Điểm trung bình (1–5)"), _("Tỷ lệ 4–5 điểm")],
        [52, 14, 20, 16],
    )
    for row in [*stats.by_satisfaction, total]:
        sheet.append([row.name, row.rated, _round(row.average_rating, 2), row.high_share])
        sheet.cell(sheet.max_row, 4).number_format = PERCENT
    _bold(sheet)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_filename(stats: HotlineStats) -> str:
    return f"thong-ke-1022-{stats.period.start:%Y%m%d}-{stats.period.end:%Y%m%d}.xlsx"


def _summary_sheet(sheet: Worksheet, stats: HotlineStats) -> None:
    sheet.title = _("Tổng hợp")
    sheet.append([_("Thống kê Tổng đài 1022")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Từ ngày"), stats.period.start])
    sheet.append([_("Đến ngày"), stats.period.end])
    sheet.append(
        [_("Cơ quan"), stats.agency.name if stats.agency else _("Tất cả cơ quan được xem")]
    )
    sheet.append([_("Số liệu tính đến"), _naive(stats.at)])
    sheet["B2"].number_format = sheet["B3"].number_format = "dd/mm/yyyy"
    sheet["B5"].number_format = "dd/mm/yyyy hh:mm"
    sheet.append([])
    total = stats.total
    rows: list[tuple[str, object, str]] = [
        (_("Tổng số tiếp nhận"), total.received, ""),
        (_("Trả lời đúng hạn"), total.on_time, ""),
        (_("Trả lời trễ hạn"), total.late, ""),
        (_("Chưa trả lời, quá hạn"), total.open_overdue, ""),
        (_("Chưa trả lời, trong hạn"), total.open_within, ""),
        (_("Đóng không trả lời"), total.closed_unanswered, ""),
        (_("Tỷ lệ trễ hạn"), total.late_share, PERCENT),
        (_("Trung vị giờ làm việc đến lần trả lời đầu"), _round(total.median_hours), ""),
        (_("90% được trả lời trong (giờ làm việc)"), _round(total.p90_hours), ""),
        (_("Số đánh giá"), total.rated, ""),
        (_("Điểm hài lòng trung bình (1–5)"), _round(total.average_rating, 2), ""),
        (_("Tỷ lệ 4–5 điểm"), total.high_share, PERCENT),
        (_("Đã nhắc, chuyển lãnh đạo"), total.escalated, ""),
    ]
    for label, value, number_format in rows:
        sheet.append([label, value])
        if number_format:
            sheet.cell(sheet.max_row, 2).number_format = number_format
    _widths(sheet, [52, 20])


def _sheet(book: Workbook, title: str, headings: list[str], widths: list[int]) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(headings)
    _bold(sheet)
    sheet.freeze_panes = "A2"
    _widths(sheet, widths)
    return sheet


def _bold_row(sheet: Worksheet, values: list[object]) -> None:
    sheet.append(values)
    _bold(sheet)


def _bold(sheet: Worksheet) -> None:
    """The last row in bold: a heading or the totals."""
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _naive(value: dt.datetime) -> dt.datetime:
    """Spreadsheets have no time zones: the wall-clock time in Việt Nam."""
    return value.astimezone(TZ).replace(tzinfo=None)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
