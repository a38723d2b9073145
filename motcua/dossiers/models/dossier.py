"""The dossier (hồ sơ): one application by one applicant for one procedure."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Channel, Procedure, ProcessTemplate
from motcua.dossiers.status import ACTIVE, PAUSED, DossierStatus, national_code
from motcua.dossiers.stock import NOWHERE, Standing, standing
from motcua.org.models import AdministrativeUnit, Agency, Desk

COUNTED_COLUMNS = frozenset(
    {
        "status",
        "received_at",
        "due_at",
        "paused_at",
        "finished_at",
        "apologised",
        "fee_total_vnd",
        "paid_vnd",
    }
)


@dataclass(frozen=True)
class Counted:
    standing: Standing = NOWHERE
    owing: bool = False  # received, with fees not all paid
    paused_at: dt.datetime | None = None

    @classmethod
    def of(cls, dossier: Dossier) -> Counted:
        return cls.of_row(vars(dossier))

    @classmethod
    def of_row(cls, row: dict[str, Any]) -> Counted:
        """From the dossier's columns by name (a row the bulk simulator writes, too)."""
        zone = timezone.get_default_timezone()
        paused_at = row["paused_at"]
        return cls(
            standing(
                row["status"],
                row["due_at"],
                paused_at,
                zone,
                finished=row["finished_at"] is not None,
                apologised=bool(row["apologised"]),
            ),
            row["received_at"] is not None and row["fee_total_vnd"] > row["paid_vnd"],
            paused_at,
        )


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp")
    AGENCY = "agency", _("Cơ quan nhà nước")
    OTHER = "other", _("Tổ chức khác")


APPLICANT_KIND_CODE = {"citizen": 1, "business": 2, "agency": 3, "other": 4}


class ResultDelivery(models.TextChoices):
    DESK = "desk", _("Nhận tại bộ phận một cửa")
    ONLINE = "online", _("Nhận trực tuyến")
    POSTAL = "postal", _("Nhận qua dịch vụ bưu chính")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class DeadlineFlag(models.TextChoices):
    NONE = "", _("Còn hạn")
    NEAR_DUE = "near_due", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


LOOKUP_SECRET_LENGTH = 12


def new_lookup_secret() -> str:
    """The secret printed in Form 01's QR code: with it, the public lookup shows the
    procedure and the masked applicant (docs/decisions/dossiers.md "Public lookup")."""
    return secrets.token_urlsafe(9)[:LOOKUP_SECRET_LENGTH]


class DossierQuerySet(models.QuerySet["Dossier"]):
    def active(self) -> DossierQuerySet:
        return self.filter(status__in=ACTIVE)


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    template = models.ForeignKey(
        ProcessTemplate,
        verbose_name=_("quy trình"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text=_("Phiên bản quy trình tại thời điểm tiếp nhận."),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=DossierStatus.choices,
        default=DossierStatus.RECEIVED,
        db_index=True,
    )
    # Where the dossier was paused from (supplement, payment), to go back there.
    resume_status = models.CharField(max_length=24, blank=True, editable=False)

    applicant_kind = models.CharField(
        _("loại chủ hồ sơ"), max_length=10, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=255)
    # The applicant's name without diacritics, for search ("nguyen van an").
    applicant_folded = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    applicant_id_number = models.CharField(
        _("số định danh, mã số doanh nghiệp"), max_length=20, blank=True, db_index=True
    )
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True, db_index=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    submitter_name = models.CharField(
        _("người nộp (nếu khác chủ hồ sơ)"), max_length=255, blank=True
    )
    submitter_phone = models.CharField(_("điện thoại người nộp"), max_length=20, blank=True)
    summary = models.TextField(_("trích yếu"), blank=True)
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    desk = models.ForeignKey(
        Desk, verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT, related_name="dossiers"
    )
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    competent_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan có thẩm quyền"),
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text=_("Đơn vị của cơ quan có thẩm quyền; dùng cho thống kê."),
    )
    cross_boundary = models.BooleanField(_("tiếp nhận phi địa giới"), default=False)
    fast_track = models.BooleanField(_("4 tại chỗ"), default=False)

    current_step = models.ForeignKey(
        "dossiers.DossierStep",
        verbose_name=_("bước hiện tại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="current_dossiers",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )

    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    # Indexed for the deadline job (flag_overdue) and the "due soon" worklists.
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng tính thời gian từ"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("thời gian tạm dừng (giây làm việc)"), default=0)
    outcome = models.CharField(
        _("kết quả đúng hạn"), max_length=10, choices=Outcome.choices, blank=True
    )
    apologised = models.BooleanField(_("đã xin lỗi, hẹn lại"), default=False)
    deadline_flag = models.CharField(
        _("cảnh báo hạn"), max_length=10, choices=DeadlineFlag.choices, blank=True, db_index=True
    )

    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=10,
        choices=ResultDelivery.choices,
        default=ResultDelivery.DESK,
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    returned_via = models.CharField(
        _("đã trả qua"), max_length=10, choices=ResultDelivery.choices, blank=True
    )
    # Received at the applicant's home during home visit #N (appointments.Appointment), by
    # number only: appointments sits above dossiers (docs/appointments.md "Reception at home").
    origin_appointment = models.PositiveBigIntegerField(
        _("tiếp nhận tại nhà theo lịch hẹn số"), null=True, blank=True, editable=False
    )
    fee_total_vnd = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    paid_vnd = models.PositiveBigIntegerField(_("đã nộp (đồng)"), default=0)

    # The head of the event chain: lets verify_audit notice events removed from the end.
    event_seq = models.PositiveIntegerField(default=0, editable=False)
    event_head = models.CharField(max_length=64, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The citizen account the dossier belongs to on the portal: set when the citizen submits
    # online, never for the officer who received it at a desk (``created_by``). A dossier made
    # out to a citizen's verified ID number is theirs too (portal/citizens.py).
    applicant_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản của chủ hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_dossiers",
    )
    lookup_secret = models.CharField(
        max_length=LOOKUP_SECRET_LENGTH, default=new_lookup_secret, editable=False
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-id"]
        indexes = [
            # Worklists: what is at my agency, by due time.
            models.Index(fields=["current_agency", "status", "due_at"], name="dossier_worklist"),
            models.Index(fields=["desk", "received_at"], name="dossier_desk_register"),
        ]

    def __str__(self) -> str:
        return self.code

    # What the indicator counters last counted of this dossier (``dossiers/tally.py``): its
    # standing in the stock in progress and whether it owed fees, as loaded from the
    # database; a new dossier has counted nothing. None when the row was loaded without the
    # columns it needs (such an instance is not acted on).
    counted: Counted | None = Counted()

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Dossier:
        instance = super().from_db(db, field_names, values)
        # ``field_names`` are the columns' attribute names, all of them unless some deferred.
        loaded = COUNTED_COLUMNS.issubset(field_names)
        instance.counted = Counted.of(instance) if loaded else None
        return instance

    @property
    def national_status(self) -> int:
        return national_code(self.status)

    @property
    def is_paused(self) -> bool:
        return self.status in PAUSED

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class DossierDocument(models.Model):
    """A document received with the dossier (and its digitised copy)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    file = models.FileField(_("bản số hóa"), upload_to="dossiers/%Y/%m/", blank=True)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(_("tái sử dụng"), default=False)
    supplement = models.ForeignKey(
        "dossiers.SupplementRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name=_("nộp bổ sung"),
    )

    class Meta:
        verbose_name = _("giấy tờ đã nhận")
        verbose_name_plural = _("giấy tờ đã nhận")
        ordering = ["dossier", "position"]

    def __str__(self) -> str:
        return self.name


class DossierFee(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fees")
    name = models.TextField(_("tên phí, lệ phí"))
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))

    class Meta:
        verbose_name = _("phí, lệ phí của hồ sơ")
        verbose_name_plural = _("phí, lệ phí của hồ sơ")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_vnd}"


class Payment(models.Model):
    """Money received for a dossier; a reference is recorded once (retries are no-ops)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    reference = models.CharField(_("mã giao dịch, biên lai"), max_length=100)
    paid_at = models.DateTimeField(_("nộp lúc"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("khoản đã nộp")
        verbose_name_plural = _("khoản đã nộp")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "reference"], name="payment_reference_once")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount_vnd}"


class SupplementRequest(models.Model):
    """A request to supplement the dossier (Form 02): the clock stops until completed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("lý do"))
    items = models.JSONField(_("nội dung cần bổ sung"), default=list)
    completed_at = models.DateTimeField(_("bổ sung xong lúc"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    due_before = models.DateTimeField(_("hẹn trả trước"))
    due_after = models.DateTimeField(_("hẹn trả mới"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.requested_at:%d/%m/%Y}"


class Apology(models.Model):
    """A late dossier's apology and new appointment (Form 04); it stays counted late."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    at = models.DateTimeField(_("lúc"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("lý do"))
    due_before = models.DateTimeField(_("hẹn trả trước"))
    due_after = models.DateTimeField(_("hẹn trả mới"))

    class Meta:
        verbose_name = _("văn bản xin lỗi, hẹn lại")
        verbose_name_plural = _("văn bản xin lỗi, hẹn lại")

    def __str__(self) -> str:
        return f"{self.dossier} · {self.at:%d/%m/%Y}"
