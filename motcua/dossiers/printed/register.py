"""Form 07, Sổ theo dõi hồ sơ: a one-stop desk's register of dossiers over a date range.

Columns (docs/rules/forms.md, Circular 03/2025/TT-VPCP Appendix I, unconfirmed; as Circular
01/2018's register): no.; dossier code; procedure; number of sets; applicant; address and
phone; lead (competent) agency; received; due; sent to the agency (the first hand-over);
result back (finished); returned; the applicant's signature on receiving; note.

A dossier belongs to the day it was received, or submitted for one refused at the desk
(never received). Rows come only from the dossiers the user may see (``Scope.visible``), and
only a desk the user works at, or whose agency the user leads, has a register for them
(inspectors read every desk's). Printed as HTML/PDF (A4 landscape) and as XLSX.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.inputs import parse_id
from motcua.core.xlsx import MOMENT, Column, Workbook
from motcua.dossiers.access import Scope
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.printed.formatting import TZ, Header, dated_line, desk_header, local
from motcua.dossiers.status import DossierStatus
from motcua.org.models import Desk

MAX_DAYS = 366
DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
FORMATS = {"", "html", "pdf", "xlsx"}
TITLE = "Sổ theo dõi hồ sơ"

NOTES: dict[str, str] = {
    DossierStatus.REFUSED: "Từ chối tiếp nhận",
    DossierStatus.WITHDRAWN: "Công dân rút hồ sơ",
    DossierStatus.STOPPED: "Dừng giải quyết",
    DossierStatus.REVOKED: "Đã thu hồi kết quả",
}
# The register's five moments, in column order.
MOMENT_KEYS = ("received", "due", "sent", "result", "returned")
CHANNEL_NOTES = {"online": "Nộp trực tuyến", "postal": "Nộp qua bưu chính"}
# Statuses whose finished_at is not a result coming back.
NO_RESULT: set[str] = {DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED}


class RegisterError(Exception):
    """A register request that cannot be served: ``status`` 400 (bad query) or 404."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class RegisterQuery:
    desk: Desk
    start: dt.date
    end: dt.date
    fmt: str


def parse_date(text: str, field: str) -> dt.date:
    match = DATE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    except ValueError:
        raise RegisterError(
            _("Ngày «%(value)s» ở ô «%(field)s» không hợp lệ; hãy ghi theo dạng dd/mm/yyyy.")
            % {"value": text, "field": field}
        ) from None


def _desk_for(scope: Scope, raw: str) -> Desk:
    if not raw:
        if len(scope.desks) == 1:
            raw = str(next(iter(scope.desks)))
        else:
            raise RegisterError(_("Cần chọn bộ phận một cửa (tham số desk)."))
    desk_id = parse_id(raw)
    if desk_id is None:
        raise RegisterError(_("Mã bộ phận một cửa «%(value)s» không hợp lệ.") % {"value": raw})
    desk = Desk.objects.select_related("agency__parent", "unit").filter(pk=desk_id).first()
    allowed = desk is not None and (
        scope.reads_across
        or desk.pk in scope.desks
        or desk.agency_id in scope.reception_agencies
        or desk.agency_id in scope.led_agencies
    )
    if desk is None or not allowed:
        raise RegisterError(_("Không tìm thấy sổ theo dõi hồ sơ của bộ phận này."), status=404)
    return desk


def parse_query(params: Mapping[str, str], scope: Scope, *, today: dt.date) -> RegisterQuery:
    """``desk`` (id; the user's only desk if omitted), ``tu`` and ``den`` (dd/mm/yyyy; today
    and at least today if omitted), ``dinh-dang`` (html, pdf or xlsx)."""
    fmt = params.get("dinh-dang", "").strip().lower()
    if fmt not in FORMATS:
        raise RegisterError(
            _("Định dạng «%(value)s» không hỗ trợ; chọn pdf hoặc xlsx.") % {"value": fmt}
        )
    start_text, end_text = params.get("tu", "").strip(), params.get("den", "").strip()
    end = parse_date(end_text, _("đến ngày")) if end_text else None
    start = parse_date(start_text, _("từ ngày")) if start_text else (end or today)
    end = end or max(start, today)
    if start > end:
        raise RegisterError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
    if (end - start).days >= MAX_DAYS:
        raise RegisterError(
            _("Mỗi lần in sổ tối đa %(days)s ngày; hãy chia nhỏ khoảng thời gian.")
            % {"days": MAX_DAYS}
        )
    return RegisterQuery(
        desk=_desk_for(scope, params.get("desk", "").strip()), start=start, end=end, fmt=fmt
    )


def _bounds(query: RegisterQuery) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(query.start, dt.time.min, tzinfo=TZ)
    end = dt.datetime.combine(query.end + dt.timedelta(days=1), dt.time.min, tzinfo=TZ)
    return start, end


def register_dossiers(scope: Scope, query: RegisterQuery) -> list[Dossier]:
    """The desk's dossiers of the period, in the order they were booked; one query."""
    start, end = _bounds(query)
    first_forward = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), kind="forward")
        .order_by("seq")
        .values("at")[:1]
    )
    booked = Q(received_at__gte=start, received_at__lt=end) | Q(
        status=DossierStatus.REFUSED,
        received_at__isnull=True,
        submitted_at__gte=start,
        submitted_at__lt=end,
    )
    return list(
        scope.visible()
        .filter(booked, desk=query.desk)
        .select_related("procedure", "competent_agency")
        .annotate(
            booked_at=Coalesce(F("received_at"), F("submitted_at")),
            sent_at=Subquery(first_forward),
        )
        .order_by("booked_at", "pk")
    )


def _note(dossier: Dossier) -> str:
    notes = [NOTES[dossier.status]] if dossier.status in NOTES else []
    if dossier.apologised:
        notes.append("Đã xin lỗi, hẹn lại")
    if dossier.cross_boundary:
        notes.append("Tiếp nhận phi địa giới")
    if dossier.channel in CHANNEL_NOTES:
        notes.append(CHANNEL_NOTES[dossier.channel])
    return "; ".join(notes)


def _cell(value: dt.datetime | None) -> dict[str, str]:
    """A moment split in two lines for a narrow column: time, then date."""
    if value is None:
        return {"time": "", "date": ""}
    moment = local(value)
    return {"time": f"{moment:%H:%M}", "date": f"{moment:%d/%m/%Y}"}


def register_rows(dossiers: list[Dossier]) -> list[dict[str, Any]]:
    rows = []
    for number, dossier in enumerate(dossiers, start=1):
        result_back = None if dossier.status in NO_RESULT else dossier.finished_at
        moments = {
            "received": dossier.received_at or getattr(dossier, "booked_at", None),
            "due": dossier.due_at,
            "sent": getattr(dossier, "sent_at", None),
            "result": result_back,
            "returned": dossier.returned_at,
        }
        contact = ", ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p)
        rows.append(
            {
                "no": number,
                "code": dossier.code,
                # Where a printed code may wrap: after its hyphens (before digits it may not).
                "code_parts": dossier.code.split("-"),
                "procedure": dossier.procedure.name,
                "procedure_code": dossier.procedure.code,
                "sets": dossier.sets,
                "applicant": dossier.applicant_name,
                "contact": contact,
                "agency": dossier.competent_agency.name,
                "moments": moments,
                "cells": [_cell(moments[key]) for key in MOMENT_KEYS],
                "note": _note(dossier),
            }
        )
    return rows


def register_context(query: RegisterQuery, rows: list[dict[str, Any]]) -> dict[str, Any]:
    header: Header = desk_header(query.desk)
    return {
        "number": "07",
        "title": TITLE,
        "header": header,
        "dated": dated_line(header.place, timezone.now()),
        "desk": query.desk,
        "start": f"{query.start:%d/%m/%Y}",
        "end": f"{query.end:%d/%m/%Y}",
        "rows": rows,
    }


COLUMNS = (
    Column("STT", 6, wrap=True),
    Column("Mã hồ sơ", 26, wrap=True),
    Column("Tên thủ tục hành chính", 40, wrap=True),
    Column("Số bộ", 7, wrap=True),
    Column("Tên cá nhân, tổ chức", 24, wrap=True),
    Column("Địa chỉ, số điện thoại", 30, wrap=True),
    Column("Cơ quan chủ trì giải quyết", 28, wrap=True),
    Column("Ngày, giờ nhận hồ sơ", 17, MOMENT, wrap=True),
    Column("Ngày, giờ hẹn trả kết quả", 17, MOMENT, wrap=True),
    Column("Chuyển hồ sơ đến cơ quan giải quyết", 17, MOMENT, wrap=True),
    Column("Nhận kết quả từ cơ quan giải quyết", 17, MOMENT, wrap=True),
    Column("Trả kết quả cho cá nhân, tổ chức", 17, MOMENT, wrap=True),
    Column("Ký nhận", 12, wrap=True),
    Column("Ghi chú", 24, wrap=True),
)


def register_xlsx(query: RegisterQuery, rows: list[dict[str, Any]]) -> Workbook:
    """Form 07 as a workbook: title lines, the column headings, one row per dossier, the
    moments as real date-times (dd/mm/yyyy hh:mm)."""
    book = Workbook()
    sheet = book.sheet(TITLE)
    sheet.row([query.desk.name])
    sheet.title(TITLE.upper())
    sheet.row([f"Từ ngày {query.start:%d/%m/%Y} đến ngày {query.end:%d/%m/%Y}"])
    sheet.blank()
    sheet.table(COLUMNS)
    for row in rows:
        sheet.row(
            [
                row["no"],
                row["code"],
                row["procedure"],
                row["sets"],
                row["applicant"],
                row["contact"],
                row["agency"],
                *(row["moments"][key] for key in MOMENT_KEYS),
                None,
                row["note"],
            ]
        )
    return book


def xlsx_filename(query: RegisterQuery) -> str:
    return f"so-theo-doi-{query.desk.pk}-{query.start:%Y%m%d}-{query.end:%Y%m%d}.xlsx"
