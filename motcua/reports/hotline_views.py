"""The 1022 statistics page and its XLSX export (``/bao-cao/tong-dai/``).

Who reads them: 1022 operators, inspectors and administrators see every agency; an agency's
leaders see their own agency's figures only. Anyone else gets the 404 of a page that does not
exist (anonymous users are sent to sign in).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core.inputs import parse_id
from motcua.core.xlsx import MONTH, PERCENT, Column, Sheet, Workbook
from motcua.org.models import Agency, Role
from motcua.reports.hotline import (
    HotlineStats,
    PeriodError,
    feedback_steps,
    hotline_stats,
    parse_period,
)
from motcua.reports.readers import NotReaderError
from motcua.reports.readers import reader_agencies as readable

READ_ALL = {Role.HOTLINE_OPERATOR, Role.INSPECTOR, Role.ADMINISTRATOR}


def reader_agencies(user: object) -> set[int] | None:
    """The agencies whose figures ``user`` may read (``None``: all); Http404 for non-readers."""
    try:
        return readable(user, READ_ALL)
    except NotReaderError:
        raise Http404 from None


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
    return stats_xlsx(stats).response(xlsx_filename(stats))


# -- XLSX ------------------------------------------------------------------------------------


def stats_xlsx(stats: HotlineStats) -> Workbook:
    """The same tables as the page, one sheet each, Vietnamese headers, dates as dates."""
    book = Workbook()
    _summary_sheet(book.sheet(_("Tổng hợp")), stats)
    total = stats.total
    count = _("Số phản ánh")

    for title, heading, lines in (
        (_("Theo kênh"), _("Kênh tiếp nhận"), stats.by_channel),
        (_("Theo loại"), _("Loại phản ánh"), stats.by_kind),
    ):
        sheet = book.sheet(title)
        sheet.table([Column(heading, 36), Column(count, 14)])
        for line in lines:
            sheet.row([line.label, line.count])
        sheet.row([_("Tổng cộng"), sum(line.count for line in lines)], bold=True)

    sheet = book.sheet(_("Theo cơ quan"))
    sheet.table([Column(_("Cơ quan"), 52), Column(count, 14), Column(_("Tỷ lệ"), 10, PERCENT)])
    for row in stats.agencies:
        sheet.row([row.name, row.received, _share(row.received, total.received)])
    sheet.row([_("Tổng cộng"), total.received, 1.0 if total.received else None], bold=True)

    sheet = book.sheet(_("Theo tháng"))
    sheet.table([Column(_("Tháng"), 14, MONTH), Column(count, 14)])
    for line in stats.by_month:
        sheet.row([line.month, line.count])
    sheet.row([_("Tổng cộng"), sum(line.count for line in stats.by_month)], bold=True)

    sheet = book.sheet(_("Đúng hạn"))
    sheet.table(
        [
            Column(_("Cơ quan"), 52),
            Column(_("Tiếp nhận"), 11),
            Column(_("Trả lời đúng hạn"), 14),
            Column(_("Trả lời trễ hạn"), 14),
            Column(_("Chưa trả lời, quá hạn"), 14),
            Column(_("Chưa trả lời, trong hạn"), 14),
            Column(_("Đóng không trả lời"), 14),
            Column(_("Tỷ lệ trễ hạn"), 12, PERCENT),
            Column(_("Trung vị giờ làm việc đến lần trả lời đầu"), 18),
            Column(_("90% được trả lời trong (giờ làm việc)"), 18),
            Column(_("Đã nhắc, chuyển lãnh đạo"), 14),
        ]
    )
    for row in [*stats.by_late_share, total]:
        sheet.row(
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
            ],
            bold=row is total,
        )

    _feedback_sheet(book.sheet(_("Phản ánh, kiến nghị")), stats)

    sheet = book.sheet(_("Hài lòng"))
    sheet.table(
        [
            Column(_("Cơ quan"), 52),
            Column(_("Số đánh giá"), 14),
            Column(_("Điểm trung bình (1–5)"), 20),
            Column(_("Tỷ lệ 4–5 điểm"), 16, PERCENT),
        ]
    )
    for row in [*stats.by_satisfaction, total]:
        sheet.row(
            [row.name, row.rated, _round(row.average_rating, 2), row.high_share],
            bold=row is total,
        )
    return book


def _feedback_sheet(sheet: Sheet, stats: HotlineStats) -> None:
    """The four feedback indicators per agency: count, on time, on-time share."""
    columns = [Column(_("Cơ quan"), 52)]
    for _name, label in feedback_steps():
        columns += [
            Column(label, 16),
            Column(_("Đúng hạn"), 11),
            Column(_("Tỷ lệ đúng hạn"), 12, PERCENT),
        ]
    sheet.table(columns)
    total = stats.total
    for row in [*(a for a in stats.agencies if a.has_feedback), total]:
        cells: list[object] = [row.name]
        for line in row.feedback:
            cells += [line.count, line.in_time, line.share]
        sheet.row(cells, bold=row is total)


def xlsx_filename(stats: HotlineStats) -> str:
    return f"thong-ke-1022-{stats.period.start:%Y%m%d}-{stats.period.end:%Y%m%d}.xlsx"


def _summary_sheet(sheet: Sheet, stats: HotlineStats) -> None:
    sheet.title(_("Thống kê Tổng đài 1022"))
    sheet.row([_("Từ ngày"), stats.period.start])
    sheet.row([_("Đến ngày"), stats.period.end])
    sheet.row([_("Cơ quan"), stats.agency.name if stats.agency else _("Tất cả cơ quan được xem")])
    sheet.row([_("Số liệu tính đến"), stats.at])
    sheet.blank()
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
        *(
            row
            for line in total.feedback
            for row in (
                (line.label, line.count, ""),
                (_("— tỷ lệ đúng hạn"), line.share, PERCENT),
            )
        ),
    ]
    for label, value, number_format in rows:
        sheet.row([label, value], formats={1: number_format} if number_format else None)
    sheet.widths([52, 20])


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
