"""A dossier, and its progress steps, in the national portal's fields (docs/national-portal.md
"Field by field"). Pure reads: built when the dossier is sent, from the dossier as it is then,
so a send never carries an older state than the one before it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from motcua.dossiers.models import (
    APPLICANT_KIND_CODE,
    Dossier,
    DossierEvent,
    ResultDelivery,
)
from motcua.dossiers.national.changes import SHOWN_KINDS
from motcua.dossiers.status import DossierStatus, national_code
from motcua.dossiers.tally import vneid_verified
from motcua.integrations.national_portal import portal_time
from motcua.org.models import Membership

SUMMARY_CHARS = 1000
HANDLER_CHARS = 50
CHANNEL_CODE = {"direct": 1, "online": 2, "postal": 3}
# Paid through the province's own gateway (2); 1 would be the national portal's payment
# platform, which motcua does not take payments through.
PAID_THROUGH_PROVINCE = 2
FILE_SALT = "motcua.national-portal.file"
SYSTEM_HANDLER = "Hệ thống"
APPLICANT_HANDLER = "Tổ chức, cá nhân"
# What each step did, as the portal's NoiDungXuLy reads it.
STEP_TEXT = {
    "receive": "Tiếp nhận hồ sơ",
    "forward": "Chuyển xử lý",
    "record_step": "Cập nhật quá trình xử lý",
    "request_supplement": "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    "complete_supplement": "Nhận hồ sơ bổ sung",
    "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "record_payment": "Ghi nhận đã nộp phí, lệ phí",
    "apologise": "Xin lỗi và hẹn lại ngày trả kết quả",
    "stop": "Dừng xử lý hồ sơ",
    "withdraw": "Công dân rút hồ sơ",
    "mark_result_ready": "Có kết quả giải quyết",
    "return_result": "Trả kết quả",
    "revoke_result": "Thu hồi kết quả",
    "register_postal_service": "Đăng ký dịch vụ bưu chính công ích",
    "cancel_postal_order": "Hủy đăng ký dịch vụ bưu chính công ích",
    "postal_cancel_refused": "Bưu điện không hủy được đơn, tiếp tục dịch vụ bưu chính công ích",
}
_NOTE_KEYS = ("note", "reason")


def load(dossier_id: int) -> Dossier:
    """The dossier with everything the record reads, in a fixed number of queries."""
    return (
        Dossier.objects.select_related(
            "procedure__sector",
            "desk__agency",
            "competent_agency",
            "applicant_account__citizen_profile",
            "national_sync",
        )
        .prefetch_related(
            "documents",
            "fees",
            "payments",
            "results",
            "supplements",
        )
        .get(pk=dossier_id)
    )


def dossier_record(dossier: Dossier, *, refused_at: Any = None) -> dict[str, Any]:
    """``DongBoHoSoMC``'s record of ``dossier`` (``load``-ed). ``refused_at`` is the moment
    of a refusal at reception (``NgayTuChoi``), from its event."""
    procedure = dossier.procedure
    sector = procedure.sector
    paid_online = any(p.recorded_by_id is None for p in dossier.payments.all())
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": sector.code if sector else "",
        "TenLinhVuc": sector.name if sector else "",
        "SoBienNhan": dossier.code,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": str(APPLICANT_KIND_CODE[dossier.applicant_kind]),
        "MaDoiTuong": dossier.applicant_id_number if dossier.applicant_kind != "citizen" else "",
        "SoGiayToChuHoSo": dossier.applicant_id_number,
        "DinhDanhCHS": identifiers(dossier),
        "Email": dossier.applicant_email,
        "SoDienThoai": dossier.applicant_phone,
        "TrichYeuHoSo": (dossier.summary.strip() or procedure.name)[:SUMMARY_CHARS],
        "NgayNopHoSo": portal_time(dossier.submitted_at or dossier.received_at),
        "NgayTiepNhan": portal_time(dossier.received_at),
        "NgayHenTra": portal_time(dossier.due_at),
        "NgayTuChoi": portal_time(refused_at),
        "TrangThaiHoSo": str(dossier.national_status),
        "NgayTra": portal_time(dossier.returned_at),
        "HinhThuc": "1" if dossier.result_delivery == ResultDelivery.POSTAL else "0",
        "KenhThucHien": str(CHANNEL_CODE[dossier.channel]),
        "DonViXuLy": dossier.competent_agency.name,
        "HoSoCoThanhPhanSoHoa": _flag(any(d.digitised for d in dossier.documents.all())),
        "TaiKhoanDuocXacThucVoiVNeID": _flag(vneid_verified(dossier)),
        "TaiLieuNop": [
            {
                "TepDinhKemId": str(document.pk),
                "TenTepDinhKem": document.name,
                "IsDeleted": False,
                "MaThanhPhanHoSo": "",
                "DuongDanTaiTepTin": file_url("document", document.pk) if document.file else "",
                "DuocSoHoa": _flag(document.digitised),
                "DuocTaiSuDung": _flag(document.reused),
                "DuocLayTuKhoDMQG": "0",
            }
            for document in dossier.documents.all()
        ],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": fee.name,
                "MaPhiLePhi": "",
                "HinhThucThu": "2" if paid_online else "1",
                "Gia": fee.amount_vnd,
                "LoaiPhiLePhi": "2" if fee.name.strip().lower().startswith("lệ phí") else "1",
            }
            for fee in dossier.fees.all()
        ],
        "DanhSachHoSoBoSung": [
            {
                "NgayHenTraTruoc": portal_time(supplement.due_before),
                "NgayHenTraMoi": portal_time(supplement.due_after),
            }
            for supplement in sorted(dossier.supplements.all(), key=lambda s: s.requested_at)
        ],
        "DanhSachGiayToKetQua": [
            {
                "TenGiayTo": result.name,
                "MaThanhPhanHoSo": "",
                "GiayToId": str(result.pk),
                "DuongDanTepTinKetQua": file_url("result", result.pk) if result.file else "",
                "MaGiayToKetQua": result.number,
            }
            for result in sorted(dossier.results.all(), key=lambda r: r.pk)
        ],
        "DuocThanhToanTrucTuyen": str(PAID_THROUGH_PROVINCE) if paid_online else "0",
    }


def identifiers(dossier: Dossier) -> list[dict[str, str]]:
    """``DinhDanhCHS``: a citizen's personal ID number, "1" for the 12-digit number, "2" for
    the old 9-digit identity card."""
    number = dossier.applicant_id_number
    if dossier.applicant_kind != "citizen" or not re.fullmatch(r"\d{9}|\d{12}", number):
        return []
    return [{"LoaiDinhDanh": "1" if len(number) == 12 else "2", "SoDinhDanh": number}]


def file_url(kind: str, pk: int) -> str:
    """Where the portal fetches a document or result file: a signed link, since the file is
    otherwise only served through the dossier's door."""
    # Signer, not dumps: no timestamp, so the same file has the same link in every send.
    token = signing.Signer(salt=FILE_SALT).sign_object({"k": kind, "id": pk}, compress=True)
    base = settings.NATIONAL_PORTAL_FILE_BASE_URL or settings.MOTCUA_PUBLIC_URL.rstrip("/")
    return base + reverse("national-portal-file", args=[token])


def _flag(value: bool) -> str:
    return "1" if value else "0"


# ---- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One progress step, with the event it comes from."""

    seq: int
    fields: dict[str, Any]


def progress_steps(dossier: Dossier, events: Iterable[DossierEvent]) -> list[Step]:
    """``CapNhatTienDoHoSoMC``'s steps: one per event the portal shows, from reception on
    (the first is TrangThai "2" at NgayTiepNhan), in order.

    A step is a function of the history alone, so it reads the same however late it is sent
    or sent again: the department, start and statutory end come from replaying the events
    (reception opens the desk's step until the dossier's due moment; each hand-over closes
    the step it leaves and opens the next, with the due moment it recorded), never from the
    workflow steps' rows, whose due moments later pauses move."""
    ordered = sorted(events, key=lambda e: e.seq)
    titles = _titles({e.actor_id for e in ordered if e.actor_id})
    desk_agency = dossier.desk.agency.name
    status = ""
    context: tuple[str, Any, Any] | None = None  # department, start, statutory end
    out = []
    for event in ordered:
        status = event.to_status or status or event.from_status
        data = event.data if isinstance(event.data, dict) else {}
        if event.kind == "receive":
            context = (desk_agency, event.at, _moment(data.get("due_at")))
        if context is None or event.kind not in SHOWN_KINDS or event.kind == "submit":
            continue
        department, start, end = context
        if event.kind == "forward":
            department = str(data.get("from_agency") or department)
        note = next((str(data[k]) for k in _NOTE_KEYS if data.get(k)), "")
        text = STEP_TEXT.get(event.kind, event.kind)
        out.append(
            Step(
                event.seq,
                {
                    "MaHoSo": dossier.code,
                    "NguoiXuLy": _handler(event)[:HANDLER_CHARS],
                    "ChucDanh": titles.get(event.actor_id, "") if event.actor_id else "",
                    "ThoiDiemXuLy": portal_time(event.at),
                    "PhongBanXuLy": department,
                    "NoiDungXuLy": f"{text}: {note}" if note else text,
                    "TrangThai": str(national_code(status or DossierStatus.RECEIVED)),
                    "NgayBatDau": portal_time(start),
                    "NgayKetThucTheoQuyDinh": portal_time(end),
                },
            )
        )
        if event.kind == "forward":
            step_due = _moment(data.get("step_due_at")) or end
            context = (str(data.get("to_agency") or department), event.at, step_due)
        elif event.kind == "mark_result_ready":
            context = (desk_agency, event.at, end)  # the result goes back to the desk
    return out


def _moment(value: Any) -> dt.datetime | None:
    """A moment as event data keeps it (ISO 8601 with its offset), or None."""
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _handler(event: DossierEvent) -> str:
    if event.actor_name:
        return event.actor_name
    if event.kind == "withdraw":
        return APPLICANT_HANDLER
    return SYSTEM_HANDLER


def _titles(actor_ids: set[int]) -> dict[int, str]:
    """person → their title (chức danh) in their first appointment, else its role's name."""
    titles: dict[int, str] = {}
    for membership in Membership.objects.filter(user_id__in=actor_ids).order_by("pk"):
        titles.setdefault(
            membership.user_id, membership.title or str(membership.get_role_display())
        )
    return titles
