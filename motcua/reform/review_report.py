"""A review cycle's results report (Circular 02/2017/TT-VPCP): the province's heading, the
totals (``totals.py``), per agency and per sector, then every proposal. One context for the
printable page and the PDF; the same figures as a workbook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ExecutionMethod
from motcua.core.xlsx import MONEY, Column, Sheet, Workbook
from motcua.dossiers.printed.formatting import Header, dated_line
from motcua.org.models import Agency, AgencyKind, UnitLevel
from motcua.reform import totals as figures
from motcua.reform.models import Proposal, ReviewCycle
from motcua.reform.review_sheets import change_summary, changes_prefetch

SHARE = "0.00"


@dataclass(frozen=True)
class Line:
    """One proposal in the report's table."""

    proposal: Proposal
    row: figures.Row
    changes: str

    @property
    def saving_vnd(self) -> int:
        return self.proposal.annual_before_vnd - self.proposal.annual_after_vnd

    @property
    def saving_share(self) -> Any:
        return figures.percent(self.saving_vnd, self.proposal.annual_before_vnd)


def province_committee() -> tuple[str, str]:
    """The province's People's Committee's name and the place printed before the date."""
    committee = (
        Agency.objects.filter(
            kind=AgencyKind.PEOPLES_COMMITTEE, unit__level=UnitLevel.PROVINCE, active=True
        )
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    province = str(settings.MOTCUA_PROVINCE_NAME)
    place = province.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    if committee is not None:
        unit = committee.unit
        return committee.name, (unit.short_name or place) if unit else place
    return _("Ủy ban nhân dân %(province)s") % {"province": province[:1].lower() + province[1:]}, (
        place
    )


def report_lines(proposals: QuerySet[Proposal]) -> list[Line]:
    """The proposals ``proposals`` in the cycle's order, with what the report shows of each."""
    found = (
        figures.with_counts(proposals)
        .prefetch_related(
            Prefetch(
                "procedure__methods",
                queryset=ExecutionMethod.objects.order_by("pk"),
            ),
            changes_prefetch(),
        )
        .order_by("number")
    )
    lines = []
    for proposal in found:
        lines.append(Line(proposal, figures.row_of(proposal), change_summary(proposal)))
    return lines


def report_context(cycle: ReviewCycle, proposals: QuerySet[Proposal], *, at: dt.datetime) -> Any:
    lines = report_lines(proposals)
    rows = [line.row for line in lines]
    issuer, place = province_committee()
    return {
        "cycle": cycle,
        "header": Header(superior="", issuer=issuer, place=place),
        "dated": dated_line(place, timezone.localtime(at)),
        "title": _("Báo cáo kết quả rà soát, đánh giá thủ tục hành chính"),
        "number": "",
        "lines": lines,
        "proposed_lines": [line for line in lines if line.row.proposed],
        "totals": figures.totals(rows),
        "by_agency": figures.by_agency(rows),
        "by_sector": figures.by_sector(rows),
        "at": at,
    }


def report_xlsx(context: Any) -> Workbook:
    """The report as a workbook: the totals, per agency and per sector on the first sheet,
    every proposal on the second (money in đồng, shares in percent)."""
    cycle: ReviewCycle = context["cycle"]
    total: figures.Totals = context["totals"]
    book = Workbook()
    sheet = book.sheet(_("Tổng hợp"))
    sheet.title(context["title"])
    sheet.row([context["header"].issuer])
    sheet.row([cycle.title])
    if cycle.plan_number:
        sheet.row([_("Kế hoạch số"), cycle.plan_number])
    sheet.row([_("Năm"), cycle.year])
    sheet.row([_("Số liệu tính đến"), context["at"]])
    sheet.blank()
    money = {1: MONEY}
    share = {1: SHARE}
    for label, value, formats in (
        (_("Số thủ tục đưa vào rà soát"), total.listed, None),
        (_("Số thủ tục đã rà soát"), total.reviewed, None),
        (_("Số thủ tục đề xuất đơn giản hóa"), total.proposed, None),
        (_("Tỷ lệ đề xuất đơn giản hóa (%)"), total.proposed_share, share),
        (_("Chi phí tuân thủ trước đơn giản hóa (đồng/năm)"), total.before_vnd, money),
        (_("Chi phí tuân thủ sau đơn giản hóa (đồng/năm)"), total.after_vnd, money),
        (_("Chi phí tiết kiệm (đồng/năm)"), total.saving_vnd, money),
        (_("Tỷ lệ cắt giảm chi phí (%)"), total.saving_share, share),
        (_("Trong đó đã thông qua: số thủ tục"), total.decided, None),
        (_("Trong đó đã thông qua: chi phí tiết kiệm (đồng/năm)"), total.decided_saving_vnd, money),
    ):
        sheet.row([label, value], bold=True, formats=formats)
    for name, heading, groups in (
        (_("Theo cơ quan"), _("Cơ quan"), context["by_agency"]),
        (_("Theo lĩnh vực"), _("Lĩnh vực"), context["by_sector"]),
    ):
        grouped = book.sheet(name)
        grouped.title(name)
        _group_table(grouped, heading, groups)

    detail = book.sheet(_("Phương án"))
    detail.title(_("Danh mục phương án đơn giản hóa"))
    detail.table(
        [
            Column(_("STT"), 6),
            Column(_("Mã thủ tục"), 14),
            Column(_("Tên thủ tục"), 44, wrap=True),
            Column(_("Cơ quan rà soát"), 26, wrap=True),
            Column(_("Lĩnh vực"), 20, wrap=True),
            Column(_("Trạng thái"), 16),
            Column(_("Nội dung đơn giản hóa"), 56, wrap=True),
            Column(_("Chi phí/năm trước (đồng)"), 18, MONEY),
            Column(_("Chi phí/năm sau (đồng)"), 18, MONEY),
            Column(_("Tiết kiệm/năm (đồng)"), 18, MONEY),
            Column(_("Tỷ lệ cắt giảm (%)"), 12, SHARE),
        ]
    )
    for index, line in enumerate(context["lines"], start=1):
        proposal = line.proposal
        detail.row(
            [
                index,
                proposal.procedure.code,
                proposal.procedure.name,
                proposal.agency.name,
                line.row.sector,
                proposal.get_status_display(),
                line.changes or _("Giữ nguyên"),
                proposal.annual_before_vnd,
                proposal.annual_after_vnd,
                line.saving_vnd,
                line.saving_share,
            ]
        )
    return book


def _group_table(sheet: Sheet, heading: str, groups: list[tuple[str, figures.Totals]]) -> None:
    sheet.table(
        [
            Column(heading, 40, wrap=True),
            Column(_("Đưa vào rà soát"), 12),
            Column(_("Đã rà soát"), 12),
            Column(_("Đề xuất đơn giản hóa"), 14),
            Column(_("Tỷ lệ (%)"), 10, SHARE),
            Column(_("Chi phí/năm trước (đồng)"), 18, MONEY),
            Column(_("Chi phí/năm sau (đồng)"), 18, MONEY),
            Column(_("Tiết kiệm/năm (đồng)"), 18, MONEY),
            Column(_("Tỷ lệ cắt giảm (%)"), 12, SHARE),
            Column(_("Đã thông qua"), 12),
        ]
    )
    for name, total in groups:
        sheet.row(
            [
                name or _("(chưa xác định)"),
                total.listed,
                total.reviewed,
                total.proposed,
                total.proposed_share,
                total.before_vnd,
                total.after_vnd,
                total.saving_vnd,
                total.saving_share,
                total.decided,
            ]
        )
