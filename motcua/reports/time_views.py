"""Where the time goes: the bottlenecks page, a procedure's page and their XLSX exports
(``/bao-cao/thoi-gian/``; the figures: ``time_spent.py``).

Who reads them: inspectors and administrators see the province; an agency's leaders see the
steps their agency took and the dossiers it was competent for, nothing of other agencies.
Anyone else signed in gets the reports' refusal (403); anonymous users are sent to sign in.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.catalog.models import Procedure
from motcua.core.inputs import FIRST_DAY, LAST_DAY, parse_id
from motcua.core.xlsx import PERCENT, Column, Sheet, Workbook
from motcua.org.models import Role
from motcua.reports.hotline import Period, PeriodError, parse_period
from motcua.reports.readers import NotReaderError
from motcua.reports.readers import reader_agencies as readable
from motcua.reports.time_spent import (
    ProcedureReport,
    ProcessingFigures,
    StepFigures,
    TimeReport,
    procedure_report,
    time_report,
)

READ_ALL = {Role.INSPECTOR, Role.ADMINISTRATOR}


def reader_agencies(user: object) -> set[int] | None:
    """The agencies whose steps and dossiers ``user`` may read (``None``: all)."""
    return readable(user, READ_ALL)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/forbidden.html", status=403)


def _asked(request: HttpRequest, template: str) -> tuple[Period, set[int] | None] | HttpResponse:
    """The period and the agencies the request may read, or the refusal or the page with the
    error (400) for a bad period."""
    try:
        allowed = reader_agencies(request.user)
    except NotReaderError:
        return _forbidden(request)
    try:
        period = parse_period(request.GET, today=timezone.localdate())
        if period.start < FIRST_DAY or period.end > LAST_DAY:
            # The working calendar counts these years only (docs/security.md).
            raise PeriodError(_("Chỉ xem được các năm 2000 đến 2099."))
    except PeriodError as error:
        return render(request, template, {"error": str(error), "params": request.GET}, status=400)
    return period, allowed


@login_required
@require_GET
def time_page(request: HttpRequest) -> HttpResponse:
    """The bottlenecks, the agencies where dossiers wait, actual against statutory time."""
    asked = _asked(request, "reports/time_spent.html")
    if isinstance(asked, HttpResponse):
        return asked
    period, allowed = asked
    report = time_report(period=period, agencies=allowed)
    context = {"report": report, "params": request.GET, "query": request.GET.urlencode()}
    return render(request, "reports/time_spent.html", context)


@login_required
@require_GET
def time_xlsx(request: HttpRequest) -> HttpResponse:
    asked = _asked(request, "reports/time_spent.html")
    if isinstance(asked, HttpResponse):
        return asked
    period, allowed = asked
    report = time_report(period=period, agencies=allowed)
    return report_xlsx(report).response(
        f"thoi-gian-xu-ly-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    )


@login_required
@require_GET
def procedure_page(request: HttpRequest, procedure_id: str) -> HttpResponse:
    """One procedure: each step's time; actual processing time against the statutory."""
    asked = _asked(request, "reports/time_procedure.html")
    if isinstance(asked, HttpResponse):
        return asked
    period, allowed = asked
    procedure = _procedure(procedure_id)
    report = procedure_report(period=period, procedure=procedure, agencies=allowed)
    context = {"report": report, "params": request.GET, "query": request.GET.urlencode()}
    return render(request, "reports/time_procedure.html", context)


@login_required
@require_GET
def procedure_xlsx(request: HttpRequest, procedure_id: str) -> HttpResponse:
    asked = _asked(request, "reports/time_procedure.html")
    if isinstance(asked, HttpResponse):
        return asked
    period, allowed = asked
    procedure = _procedure(procedure_id)
    report = procedure_report(period=period, procedure=procedure, agencies=allowed)
    return procedure_report_xlsx(report).response(
        f"thoi-gian-thu-tuc-{procedure.pk}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    )


def _procedure(raw: str) -> Procedure:
    """The procedure asked for; 404 for an id that is none or names no procedure."""
    procedure_id = parse_id(raw)
    if procedure_id is None:
        raise Http404
    return get_object_or_404(Procedure, pk=procedure_id)


# -- XLSX ------------------------------------------------------------------------------------


def _step_columns() -> list[Column]:
    return [
        Column(_("Bước"), 44, wrap=True),
        Column(_("Vai trò"), 18),
        Column(_("Số bước đã xong"), 12),
        Column(_("Trung vị (giờ làm việc)"), 14),
        # xgettext:no-python-format
        Column(_("90% xong trong (giờ làm việc)"), 14),
        Column(_("Tỷ lệ trễ hạn"), 12, PERCENT),
        Column(_("Giờ vượt thời gian quy định"), 14),
        Column(_("Chờ xử lý trung bình (giờ làm việc)"), 14),
    ]


def _step_row(row: StepFigures) -> list[object]:
    return [
        row.label,
        row.role,
        row.steps,
        _round(row.median_hours),
        _round(row.p90_hours),
        row.late_share,
        _round(row.over_hours),
        _round(row.mean_waiting_hours),
    ]


def _heading(sheet: Sheet, title: str, period: Period, report_at: object) -> None:
    sheet.title(title)
    sheet.row([_("Từ ngày"), period.start])
    sheet.row([_("Đến ngày"), period.end])
    sheet.row([_("Số liệu tính đến"), report_at])
    sheet.blank()


def report_xlsx(report: TimeReport) -> Workbook:
    """The page's tables, every bottleneck (the page shows the first ones), one sheet each."""
    book = Workbook()
    sheet = book.sheet(_("Điểm nghẽn"))
    _heading(sheet, _("Thời gian xử lý: điểm nghẽn"), report.period, report.at)
    sheet.table([Column(_("Thủ tục"), 52, wrap=True), *_step_columns()])
    for row in report.bottlenecks:
        sheet.row([row.procedure, *_step_row(row)])
    sheet = book.sheet(_("Chờ xử lý theo cơ quan"))
    sheet.table(
        [
            Column(_("Cơ quan"), 52),
            Column(_("Số bước đã xong"), 12),
            Column(_("Chờ xử lý trung bình (giờ làm việc)"), 16),
            Column(_("Tổng giờ chờ xử lý"), 14),
            Column(_("Tỷ lệ trễ hạn"), 12, PERCENT),
        ]
    )
    for row in report.agencies:
        sheet.row(
            [
                row.label,
                row.steps,
                _round(row.mean_waiting_hours),
                _round(row.waiting_hours),
                row.late_share,
            ]
        )
    sheet = book.sheet(_("Thực tế so với quy định"))
    _processing_table(sheet)
    for figures in report.processing:
        _processing_row(sheet, figures)
    return book


def procedure_report_xlsx(report: ProcedureReport) -> Workbook:
    book = Workbook()
    sheet = book.sheet(_("Các bước"))
    _heading(sheet, report.procedure.name, report.period, report.at)
    sheet.table(_step_columns())
    for row in report.steps:
        sheet.row(_step_row(row))
    sheet = book.sheet(_("Thực tế so với quy định"))
    _processing_table(sheet)
    _processing_row(sheet, report.processing)
    return book


def _processing_table(sheet: Sheet) -> None:
    sheet.table(
        [
            Column(_("Thủ tục"), 52, wrap=True),
            Column(_("Số hồ sơ có kết quả"), 12),
            Column(_("Trung vị (ngày làm việc)"), 14),
            # xgettext:no-python-format
            Column(_("90% có kết quả trong (ngày làm việc)"), 14),
            Column(_("Thời hạn quy định (ngày làm việc)"), 14),
            Column(_("Thời hạn theo công bố"), 36, wrap=True),
        ]
    )


def _processing_row(sheet: Sheet, figures: ProcessingFigures) -> None:
    published = "; ".join(f"{s.channel}: {s.text}" for s in figures.statutory if s.text)
    sheet.row(
        [
            figures.procedure,
            figures.dossiers,
            _round(figures.median_days),
            _round(figures.p90_days),
            _round(figures.statutory_days),
            published,
        ]
    )


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)
