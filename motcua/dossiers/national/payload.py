"""A dossier, and its progress steps, in the national portal's fields (docs/national-portal.md
"Field by field"). Pure reads: built when the dossier is sent, from the dossier as it is then,
so a send never carries an older state than the one before it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch
from django.urls import reverse

from motcua.dossiers.models import (
    APPLICANT_KIND_CODE,
    Dossier,
    DossierEvent,
    DossierStep,
    ResultDelivery,
)
from motcua.dossiers.national.changes import SHOWN_KINDS
from motcua.dossiers.status import DossierStatus, national_code
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
}
_NOTE_KEYS = ("note", "reason")
# (person, agency) → the person's title there.
Titles = dict[tuple[int, int], str]


def load(dossier_id: int) -> Dossier:
    """The dossier with everything the record reads, in a fixed number of queries."""
    return (
        Dossier.objects.select_related(
            "procedure__sector",
            "competent_agency",
            "applicant_account__citizen_profile",
        )
        .prefetch_related(
            "documents",
            "fees",
            "payments",
            "results",
            "supplements",
            Prefetch("steps", queryset=DossierStep.objects.select_related("agency")),
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
        "TaiKhoanDuocXacThucVoiVNeID": _flag(_vneid_verified(dossier)),
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


def _vneid_verified(dossier: Dossier) -> bool:
    account = dossier.applicant_account
    profile = getattr(account, "citizen_profile", None) if account else None
    return bool(profile and profile.id_verified and profile.oidc_subject)


# ---- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One progress step, with the event it comes from."""

    seq: int
    fields: dict[str, Any]


def progress_steps(dossier: Dossier, events: Iterable[DossierEvent]) -> list[Step]:
    """``CapNhatTienDoHoSoMC``'s steps: one per event the portal shows, from reception on
    (the first is TrangThai "2" at NgayTiepNhan), in order. Each step is placed in the
    workflow step (Form 06's row) that was open when it happened: its agency, start and
    statutory end."""
    steps = sorted(
        (s for s in dossier.steps.all() if s.started_at is not None),
        key=lambda s: (s.started_at, s.position),
    )
    ordered = sorted(events, key=lambda e: e.seq)
    titles = _titles({e.actor_id for e in ordered if e.actor_id})
    status = ""
    received = False
    out = []
    for event in ordered:
        status = event.to_status or status or event.from_status
        if event.kind == "receive":
            received = True
        if not received or event.kind not in SHOWN_KINDS or event.kind == "submit":
            continue
        step = _open_step(steps, event)
        handler = _handler(event)
        note = next((str(event.data[k]) for k in _NOTE_KEYS if event.data.get(k)), "")
        text = STEP_TEXT.get(event.kind, event.kind)
        out.append(
            Step(
                event.seq,
                {
                    "MaHoSo": dossier.code,
                    "NguoiXuLy": handler[:HANDLER_CHARS],
                    "ChucDanh": _title(event, step, titles),
                    "ThoiDiemXuLy": portal_time(event.at),
                    "PhongBanXuLy": step.agency.name if step else dossier.competent_agency.name,
                    "NoiDungXuLy": f"{text}: {note}" if note else text,
                    "TrangThai": str(national_code(status or DossierStatus.RECEIVED)),
                    "NgayBatDau": portal_time(step.started_at if step else dossier.received_at),
                    "NgayKetThucTheoQuyDinh": portal_time(step.due_at if step else dossier.due_at),
                },
            )
        )
    return out


def _open_step(steps: list[DossierStep], event: DossierEvent) -> DossierStep | None:
    """The workflow step open when ``event`` happened: the last one started by then (a step
    finished by the event itself is still the one that did it)."""
    started = [s for s in steps if s.started_at is not None and s.started_at <= event.at]
    if event.kind == "forward" and len(started) >= 2 and started[-1].started_at == event.at:
        return started[-2]  # a hand-over closes the step it leaves
    return started[-1] if started else (steps[0] if steps else None)


def _handler(event: DossierEvent) -> str:
    if event.actor_name:
        return event.actor_name
    if event.kind == "withdraw":
        return APPLICANT_HANDLER
    return SYSTEM_HANDLER


def _titles(actor_ids: set[int]) -> Titles:
    """(person, agency) → the person's title there (chức danh), else their role's name."""
    titles: dict[tuple[int, int], str] = {}
    for membership in Membership.objects.filter(user_id__in=actor_ids).order_by("pk"):
        title = membership.title or str(membership.get_role_display())
        titles.setdefault((membership.user_id, membership.agency_id), title)
    return titles


def _title(
    event: DossierEvent, step: DossierStep | None, titles: dict[tuple[int, int], str]
) -> str:
    if event.actor_id is None:
        return ""
    if step is not None and (title := titles.get((event.actor_id, step.agency_id))):
        return title
    return next((t for (user, _agency), t in titles.items() if user == event.actor_id), "")
