"""A dashboard as a workbook (docs/indicators.md "Downloads"): the same numbers as the page,
one sheet per table, numbers as numbers and shares as percentages, so a spreadsheet can sort
and sum them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.core.xlsx import MONTH, PERCENT, Column, Workbook
from motcua.reports.indicator_pages import Dashboard


def dashboard_xlsx(dashboard: Dashboard, *, title: str) -> Workbook:
    book = Workbook()
    current = dashboard.score

    sheet = book.sheet(_("Tổng hợp"))
    sheet.title(title)
    sheet.row([_("Phạm vi"), dashboard.scope.name])
    sheet.row([_("Kỳ"), dashboard.period.label])
    sheet.row([_("Từ ngày"), dashboard.period.start])
    sheet.row([_("Đến ngày"), dashboard.period.end])
    sheet.row([_("Số liệu đến"), dashboard.as_of])
    sheet.row([_("Tổng điểm"), round(current.score, 2)])
    sheet.row([_("Điểm tối đa"), round(current.max_score, 2)])
    sheet.row([_("Xếp loại"), str(current.grade_label)])
    sheet.row([_("Kỳ trước"), round(dashboard.previous.score, 2)])
    if dashboard.rank is not None:
        sheet.row([_("Xếp hạng"), dashboard.rank, len(dashboard.ranking)])
    sheet.row([_("Phiên bản quy tắc tính điểm"), current.rules_version])
    sheet.widths([34, 40, 10])

    sheet = book.sheet(_("Nhóm chỉ số"))
    sheet.table(
        [
            Column(_("Nhóm chỉ số"), 40),
            Column(_("Điểm"), 10),
            Column(_("Điểm tối đa"), 12),
            Column(_("Kỳ trước"), 10),
            Column(_("Chênh lệch"), 12),
        ]
    )
    for row in dashboard.groups:
        sheet.row(
            [
                row.name,
                round(row.score, 2),
                round(row.max_score, 2),
                None if row.previous is None else round(row.previous, 2),
                None if row.change is None else round(row.change, 2),
            ]
        )
    sheet.row(
        [
            _("Tổng cộng"),
            round(current.score, 2),
            round(current.max_score, 2),
            round(dashboard.previous.score, 2),
            round(dashboard.change, 2),
        ],
        bold=True,
    )

    sheet = book.sheet(_("Chỉ số"))
    sheet.table(
        [
            Column(_("Nhóm"), 30),
            Column(_("Chỉ số"), 44, wrap=True),
            Column(_("Giá trị"), 12),
            Column(_("Tử số"), 10),
            Column(_("Mẫu số"), 10),
            Column(_("Điểm"), 10),
            Column(_("Điểm tối đa"), 12),
            Column(_("Điểm chưa xác nhận"), 14),
        ]
    )
    for group in current.groups:
        for value in group.indicators:
            shown = value.value if value.applicable else None
            sheet.row(
                [
                    group.name,
                    value.name,
                    shown,
                    value.numerator,
                    value.denominator,
                    round(value.points, 2),
                    round(value.max_points, 2),
                    _("Có") if value.unconfirmed else "",
                ],
                formats={2: PERCENT if value.measure == "rate" else "0.0"},
            )

    if dashboard.ranking:
        sheet = book.sheet(_("Xếp hạng"))
        sheet.table(
            [
                Column(_("Hạng"), 8),
                Column(_("Tên"), 52),
                Column(_("Điểm"), 10),
                Column(_("Điểm tối đa"), 12),
                Column(_("Xếp loại"), 14),
            ]
        )
        for result in dashboard.ranking:
            sheet.row(
                [
                    result.rank,
                    result.scope.name,
                    round(result.score, 2),
                    round(result.max_score, 2),
                    str(result.grade_label),
                ]
            )

    sheet = book.sheet(_("Xu hướng"))
    sheet.table([Column(_("Tháng"), 12, MONTH), Column(_("Điểm"), 10), Column(_("Xếp loại"), 14)])
    for result in dashboard.trend:
        sheet.row([result.period.start, round(result.score, 2), str(result.grade_label)])

    if dashboard.agencies or dashboard.procedures:
        sheet = book.sheet(_("Nơi mất điểm"))
        sheet.table(
            [
                Column(_("Loại"), 12),
                Column(_("Tên"), 52, wrap=True),
                Column(_("Hồ sơ đã xét"), 12),
                Column(_("Giải quyết trễ hạn"), 12),
                Column(_("Đang quá hạn"), 12),
                Column(_("Điểm bị mất"), 12),
            ]
        )
        for label, costs in (
            (_("Cơ quan"), dashboard.agencies),
            (_("Thủ tục"), dashboard.procedures),
        ):
            for cost in costs:
                sheet.row(
                    [
                        label,
                        cost.ref.name,
                        cost.judged,
                        cost.late,
                        cost.open_late,
                        round(cost.lost_points, 2),
                    ]
                )
    return book


def filename(dashboard: Dashboard, prefix: str) -> str:
    scope = dashboard.scope
    name = scope.kind if scope.id is None else f"{scope.kind}-{scope.id}"
    return f"{prefix}-{name}-{dashboard.period.code.replace('..', '_')}.xlsx"
