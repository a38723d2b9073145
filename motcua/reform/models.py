"""Business dialogues: a session where the province's leaders meet businesses; every issue
raised there becomes a hotline ticket (channel "dialogue") followed to closure.

Simplification reviews: a cycle of procedures to review, each agency's proposal per procedure
with its compliance cost before and after, and its history (docs/reform.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Fee, Procedure, ProcedureVersion, RequiredDocument
from motcua.core.chain import ChainedEvent
from motcua.org.models import AdministrativeUnit, Agency


class DialogueSession(models.Model):
    title = models.CharField(_("tên buổi đối thoại"), max_length=255)
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # One name per line: "Ông Nguyễn Văn A, Phó Chủ tịch UBND tỉnh".
    leaders = models.TextField(_("lãnh đạo chủ trì, tham dự"), blank=True)
    businesses = models.TextField(_("doanh nghiệp tham dự"), blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("buổi đối thoại doanh nghiệp")
        verbose_name_plural = _("buổi đối thoại doanh nghiệp")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def leader_list(self) -> list[str]:
        return [line.strip() for line in self.leaders.splitlines() if line.strip()]

    def business_list(self) -> list[str]:
        return [line.strip() for line in self.businesses.splitlines() if line.strip()]


# -- Simplification reviews (docs/reform.md) ---------------------------------------------------


class IncomeRate(models.Model):
    """The province's average monthly income from a date: what an hour of a citizen's or a
    firm's work is worth in a compliance cost (docs/rules/compliance-cost.md)."""

    valid_from = models.DateField(_("áp dụng từ"), unique=True)
    monthly_income_vnd = models.PositiveBigIntegerField(
        _("thu nhập bình quân tháng (đồng)"),
        validators=[MinValueValidator(1), MaxValueValidator(10**10)],
    )
    working_days_per_month = models.DecimalField(
        _("số ngày làm việc trong tháng"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(22),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(31))],
    )
    source = models.CharField(
        _("nguồn số liệu"),
        max_length=255,
        help_text=_("Ví dụ: Niên giám thống kê tỉnh 2024, thu nhập bình quân đầu người/tháng."),
    )

    class Meta:
        verbose_name = _("thu nhập bình quân")
        verbose_name_plural = _("thu nhập bình quân")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.monthly_income_vnd:,} đ/tháng từ {self.valid_from:%d/%m/%Y}".replace(
            ",", "."
        )

    @classmethod
    def on(cls, day: dt.date) -> IncomeRate | None:
        """The rate in force on ``day``: the latest that started by then."""
        return cls.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Đang rà soát")
    CLOSED = "closed", _("Đã kết thúc")


class ReviewCycle(models.Model):
    """A year's review of administrative procedures: which procedures, which agencies review
    them, by when (the province's review plan)."""

    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("tên đợt rà soát"), max_length=255)
    plan_number = models.CharField(_("số kế hoạch"), max_length=100, blank=True)
    scope = models.TextField(_("phạm vi rà soát"), blank=True)
    deadline = models.DateField(_("hạn gửi phương án"))
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan chủ trì rà soát"), related_name="+", blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đợt rà soát thủ tục hành chính")
        verbose_name_plural = _("đợt rà soát thủ tục hành chính")
        ordering = ["-year", "-id"]
        # One cycle per plan, and a form sent twice opens one cycle, not two.
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="cycle_title_once_a_year"),
            models.UniqueConstraint(
                fields=["year", "plan_number"],
                condition=~models.Q(plan_number=""),
                name="cycle_plan_once_a_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Đang rà soát")
    SUBMITTED = "submitted", _("Chờ thẩm định")
    RETURNED = "returned", _("Yêu cầu hoàn thiện")
    APPROVED = "approved", _("Đã thông qua")
    ENACTED = "enacted", _("Đã ban hành")


# The proposals an agency has finished reviewing (the cycle's "reviewed" count).
REVIEWED = frozenset({ProposalStatus.SUBMITTED, ProposalStatus.APPROVED, ProposalStatus.ENACTED})


class ChangeKind(models.TextChoices):
    """The simplifications the law knows (Decree 63/2010, Circular 02/2017/TT-VPCP)."""

    CUT_DOCUMENT = "cut_document", _("Cắt giảm thành phần hồ sơ")
    CUT_STEP = "cut_step", _("Cắt giảm bước thực hiện")
    SHORTEN_TIME = "shorten_time", _("Rút ngắn thời hạn giải quyết")
    LOWER_FEE = "lower_fee", _("Giảm phí, lệ phí")
    ONLINE_FULL = "online_full", _("Cung cấp dịch vụ công trực tuyến toàn trình")
    ONLINE_PARTIAL = "online_partial", _("Cung cấp dịch vụ công trực tuyến một phần")
    MERGE = "merge", _("Hợp nhất thủ tục")
    ABOLISH = "abolish", _("Bãi bỏ thủ tục")
    OTHER = "other", _("Sửa đổi khác")


class Proposal(models.Model):
    """One procedure's review in a cycle: the agency's proposal (possibly to keep it as it is),
    with the compliance cost before and after, followed from draft to enactment by actions
    (``reform.actions.reviews``) and recorded in its hash-chained events."""

    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("đợt rà soát"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    number = models.PositiveIntegerField(_("số thứ tự"))
    code = models.CharField(_("mã phương án"), max_length=40, unique=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan rà soát"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
        db_index=True,
    )
    description = models.TextField(_("nội dung phương án"), blank=True)
    reason = models.TextField(_("lý do, căn cứ"), blank=True)
    # The compliance cost's inputs before and after the change (``reform.costing``):
    # {"steps": [{"name", "hours"}], "fees_vnd", "service_costs_vnd", "other_costs_vnd"}.
    cost_before = models.JSONField(_("chi phí tuân thủ hiện tại (đầu vào)"), default=dict)
    cost_after = models.JSONField(_("chi phí tuân thủ sau đơn giản hóa (đầu vào)"), default=dict)
    executions_per_subject = models.DecimalField(
        _("số lần thực hiện của một đối tượng/năm"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(9999))],
    )
    subjects_per_year = models.PositiveIntegerField(
        _("số đối tượng thực hiện/năm"), default=0, validators=[MaxValueValidator(10**8)]
    )
    # "dossiers": counted from the dossiers received in the last twelve months; "override":
    # the agency's own figure (with its reason in ``volume_note``).
    volume_source = models.CharField(_("nguồn số lượng"), max_length=10, default="dossiers")
    volume_note = models.CharField(_("ghi chú số lượng"), max_length=255, blank=True)
    monthly_income_vnd = models.PositiveBigIntegerField(_("thu nhập bình quân tháng"), default=0)
    working_days_per_month = models.DecimalField(
        _("số ngày làm việc/tháng"), max_digits=3, decimal_places=1, default=Decimal(22)
    )
    income_source = models.CharField(_("nguồn thu nhập bình quân"), max_length=255, blank=True)
    per_execution_before_vnd = models.PositiveBigIntegerField(_("chi phí/lần trước"), default=0)
    per_execution_after_vnd = models.PositiveBigIntegerField(_("chi phí/lần sau"), default=0)
    annual_before_vnd = models.PositiveBigIntegerField(_("chi phí/năm trước"), default=0)
    annual_after_vnd = models.PositiveBigIntegerField(_("chi phí/năm sau"), default=0)
    review_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    decision_number = models.CharField(_("số quyết định thông qua"), max_length=100, blank=True)
    effective_from = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    # The catalogue version the enactment made (none when no change reaches the catalogue:
    # a step cut inside the agency, a merger prepared by another decision).
    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản thủ tục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    decided_at = models.DateTimeField(_("thông qua lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    event_seq = models.PositiveIntegerField(default=0, editable=False)
    event_head = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("phương án đơn giản hóa")
        verbose_name_plural = _("phương án đơn giản hóa")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "procedure"], name="proposal_once_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "number"], name="proposal_number_in_cycle"),
        ]
        indexes = [models.Index(fields=["cycle", "agency", "status"], name="proposal_queue")]

    def __str__(self) -> str:
        return self.code

    @property
    def simplifies(self) -> bool:
        """Whether the agency proposes any change (else: keep the procedure as it is)."""
        return any(True for _ in self.changes.all())

    @property
    def annual_saving_vnd(self) -> int:
        return self.annual_before_vnd - self.annual_after_vnd


class ProposalChange(models.Model):
    """One change a proposal makes; the fields a change needs to reach the catalogue are
    set for its kind (a new time, the document cut, the fee and its new amount…)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="changes")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(_("loại"), max_length=20, choices=ChangeKind.choices)
    detail = models.TextField(_("nội dung"), blank=True)
    new_time_value = models.DecimalField(
        _("thời hạn mới"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # A catalogue re-import recreates documents and fees: the change then loses its link
    # (its detail keeps what it said) and cannot be enacted until the agency picks again.
    document = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("thành phần hồ sơ cắt giảm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fee = models.ForeignKey(
        Fee,
        verbose_name=_("phí, lệ phí"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    new_fee_vnd = models.PositiveBigIntegerField(_("mức phí mới (đồng)"), null=True, blank=True)
    merged_with = models.ForeignKey(
        Procedure,
        verbose_name=_("hợp nhất với thủ tục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nội dung đơn giản hóa")
        verbose_name_plural = _("nội dung đơn giản hóa")
        ordering = ["proposal", "position", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ProposalEvent(ChainedEvent):
    record_field = "proposal"

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")

    class Meta:
        verbose_name = _("nhật ký phương án")
        verbose_name_plural = _("nhật ký phương án")
        ordering = ["proposal", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "seq"], name="proposal_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}#{self.seq} {self.kind}"
