"""The procedure catalogue (thủ tục hành chính) and the workflow each procedure runs.

Rows are created by the national-export importer (``import_procedures``) and edited by
administrators in the admin; ``ProcessTemplate`` is versioned so a dossier keeps the version
it started with when an administrator changes the workflow.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold
from motcua.org.models import Agency, Desk, Role


class Level(models.TextChoices):
    MINISTRY = "ministry", _("Cấp bộ")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    OTHER = "other", _("Cơ quan khác")


class OnlineMode(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không cung cấp trực tuyến")


class Channel(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")


class TimeUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("ngày làm việc")
    DAY = "day", _("ngày")
    HOUR = "hour", _("giờ làm việc")


class Sector(models.Model):
    """A field of procedures (lĩnh vực): Hộ tịch, Đất đai…"""

    code = models.CharField(_("mã lĩnh vực"), max_length=40, blank=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """One administrative procedure with its national code, e.g. ``1.001193``."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.TextField(_("tên thủ tục"))
    decision_number = models.CharField(_("số quyết định công bố"), max_length=255, blank=True)
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    # Levels are fixed by law; one flag each keeps filtering portable and the admin plain.
    at_ministry = models.BooleanField(_("cấp bộ"), default=False)
    at_province = models.BooleanField(_("cấp tỉnh"), default=False)
    at_district = models.BooleanField(_("cấp huyện"), default=False)
    at_commune = models.BooleanField(_("cấp xã"), default=False)
    at_other = models.BooleanField(_("cơ quan khác"), default=False)
    subjects = models.JSONField(_("đối tượng thực hiện"), default=list, blank=True)
    competent_agency_text = models.TextField(_("cơ quan có thẩm quyền (theo công bố)"), blank=True)
    implementing_agency_text = models.TextField(_("cơ quan thực hiện (theo công bố)"), blank=True)
    coordinating_agency_text = models.TextField(_("cơ quan phối hợp (theo công bố)"), blank=True)
    reception_address = models.TextField(_("địa chỉ tiếp nhận"), blank=True)
    competent_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan có thẩm quyền"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competent_for",
        help_text=_(
            "Để trống với thủ tục cấp xã: cơ quan có thẩm quyền là UBND xã nơi tiếp nhận hồ sơ."
        ),
    )
    implementing_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementing",
    )
    online_mode = models.CharField(
        _("dịch vụ công trực tuyến"),
        max_length=10,
        choices=OnlineMode.choices,
        default=OnlineMode.NONE,
    )
    steps_text = models.TextField(_("trình tự thực hiện"), blank=True)
    conditions_text = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    same_day_cutoff = models.TimeField(
        _("giờ chốt tiếp nhận trong ngày"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo."),
    )
    fast_track = models.BooleanField(
        _("4 tại chỗ"),
        default=False,
        help_text=_(
            "Tiếp nhận, thẩm định, phê duyệt và trả kết quả tại chỗ trong 1 ngày làm việc."
        ),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    source_url = models.URLField(_("nguồn công bố"), max_length=500, blank=True)
    desks = models.ManyToManyField(
        Desk, verbose_name=_("nơi tiếp nhận"), blank=True, related_name="procedures"
    )
    # Accent-free lower-case name and sector, kept by save(); what plain search matches on.
    search_text = models.TextField(editable=False, blank=True)
    # Digest of the source record last imported: an unchanged record is not written again.
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    imported_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def levels(self) -> list[str]:
        flags = {
            Level.MINISTRY: self.at_ministry,
            Level.PROVINCE: self.at_province,
            Level.DISTRICT: self.at_district,
            Level.COMMUNE: self.at_commune,
            Level.OTHER: self.at_other,
        }
        return [level.value for level, on in flags.items() if on]

    def set_levels(self, levels: list[str]) -> None:
        self.at_ministry = Level.MINISTRY in levels
        self.at_province = Level.PROVINCE in levels
        self.at_district = Level.DISTRICT in levels
        self.at_commune = Level.COMMUNE in levels
        self.at_other = Level.OTHER in levels

    def refresh_search_text(self) -> None:
        sector_name = self.sector.name if self.sector_id and self.sector else ""
        self.search_text = fold(f"{self.name} {sector_name} {self.code}")


class ExecutionMethod(models.Model):
    """How a procedure can be submitted (channel), with its processing time and fees."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="methods", verbose_name=_("thủ tục")
    )
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    time_value = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=12, choices=TimeUnit.choices, blank=True
    )
    time_text = models.TextField(_("thời hạn (theo công bố)"), blank=True)
    time_unit_assumed = models.BooleanField(
        _("đơn vị thời hạn được giả định"),
        default=False,
        help_text=_(
            "Nguồn chỉ ghi số, không ghi đơn vị; khi nhập được hiểu là ngày làm việc. Cần rà soát."
        ),
    )
    time_evidence = models.TextField(
        _("căn cứ xác định đơn vị thời hạn"),
        blank=True,
        help_text=_("Đoạn văn bản của thủ tục nêu đơn vị, khi ô thời hạn chỉ ghi số."),
    )
    fee_text = models.TextField(_("phí, lệ phí (theo công bố)"), blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("cách thức thực hiện")
        verbose_name_plural = _("cách thức thực hiện")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "channel"], name="method_one_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.time_text}"

    @property
    def processing_time(self) -> tuple[Decimal, str] | None:
        if self.time_value is None or not self.time_unit:
            return None
        return self.time_value, self.time_unit


class Fee(models.Model):
    method = models.ForeignKey(
        ExecutionMethod, on_delete=models.CASCADE, related_name="fees", verbose_name=_("cách thức")
    )
    name = models.TextField(_("tên phí, lệ phí"))
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_vnd:,} đ".replace(",", ".")


class RequiredDocumentQuerySet(models.QuerySet["RequiredDocument"]):
    def in_force(self) -> RequiredDocumentQuerySet:
        """The documents still required: what the checklists and the public page list."""
        return self.filter(withdrawn_from__isnull=True)


class RequiredDocument(models.Model):
    """A document the applicant supplies (thành phần hồ sơ)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="documents", verbose_name=_("thủ tục")
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    group = models.TextField(_("trường hợp"), blank=True)
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    templates = models.JSONField(_("mẫu đơn, tờ khai"), default=list, blank=True)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    # Set by a procedure version that cut the document (catalog/versions.py): the row stays,
    # since drafts' uploads and the version's history name it, but no checklist offers it.
    withdrawn_from = models.DateField(
        _("không còn yêu cầu từ ngày"), null=True, blank=True, editable=False
    )

    objects = RequiredDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "position"]

    def __str__(self) -> str:
        return self.name


class ResultDocument(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="results", verbose_name=_("thủ tục")
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.TextField(_("tên kết quả"))
    code = models.CharField(_("mã kết quả"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("kết quả thực hiện")
        verbose_name_plural = _("kết quả thực hiện")
        ordering = ["procedure", "position"]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="legal_basis", verbose_name=_("thủ tục")
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    title = models.TextField(_("tên văn bản"))
    number = models.CharField(_("số ký hiệu"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["procedure", "position"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class ProcessTemplate(models.Model):
    """An ordered workflow for a procedure.

    A template is a draft until it is published; once published its steps never change
    (dossiers point at the version they started with), and a change is a new draft.
    Publishing makes it the procedure's one active version.
    """

    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.CASCADE,
        related_name="templates",
        verbose_name=_("thủ tục"),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    derived = models.BooleanField(
        _("tự sinh"),
        default=False,
        help_text=_("Quy trình mặc định sinh từ thời hạn giải quyết; sửa để thay thế."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    published_at = models.DateTimeField(_("áp dụng từ"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("quy trình xử lý")
        verbose_name_plural = _("quy trình xử lý")
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "version"], name="template_version_unique"
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(active=True),
                name="template_one_active_per_procedure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def total_hours(self) -> Decimal | None:
        hours = [step.hours for step in self.steps.all()]
        if not hours or any(h is None for h in hours):
            return None
        return sum((h for h in hours if h is not None), Decimal(0))


class ProcessStep(models.Model):
    """One step: who (role, agency) does what, in how many working hours."""

    template = models.ForeignKey(
        ProcessTemplate, on_delete=models.CASCADE, related_name="steps", verbose_name=_("quy trình")
    )
    position = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="process_steps",
        help_text=_("Để trống: cơ quan có thẩm quyền của hồ sơ. Chọn cơ quan khác khi liên thông."),
    )
    hours = models.DecimalField(
        _("số giờ làm việc"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Để trống khi thủ tục chưa công bố thời hạn giải quyết."),
    )
    # At the step that decides: the result's PDF waits for the signature of the leader who
    # holds the step before the agency's (docs/signatures.md "A leader's personal signature").
    personal_signature = models.BooleanField(
        _("Lãnh đạo ký số cá nhân trên kết quả"),
        default=False,
        help_text=_(
            "Ở bước quyết định: kết quả điện tử (PDF) chờ người giữ bước này ký số bằng khóa "
            "cá nhân trước khi cơ quan ký số."
        ),
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="step_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class PostOfficeScope(models.Model):
    """What a post office's desk may receive, as the province's decision on the pilot lists
    it (docs/postal.md "The post office as a desk"): the sectors, and the competent agencies
    (the units, đơn vị, whose dossiers it takes in). Reception at a post-office desk refuses a
    procedure of another sector or for another agency; a post-office desk without a scope
    receives nothing. The procedures themselves are still the desk's list (``Procedure.desks``).
    """

    desk = models.OneToOneField(
        Desk,
        verbose_name=_("điểm bưu điện tiếp nhận"),
        on_delete=models.CASCADE,
        related_name="post_office_scope",
        limit_choices_to={"kind": "post_office"},
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("lĩnh vực được tiếp nhận"), related_name="+", blank=True
    )
    agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("cơ quan có thẩm quyền được tiếp nhận hồ sơ"),
        related_name="+",
        blank=True,
        help_text=_("Để trống: hồ sơ của mọi cơ quan có thẩm quyền trong các lĩnh vực đã chọn."),
    )
    decision = models.CharField(
        _("quyết định của tỉnh"),
        max_length=255,
        blank=True,
        help_text=_("Số, ngày của quyết định giao bưu điện tiếp nhận hồ sơ."),
    )

    class Meta:
        verbose_name = _("phạm vi tiếp nhận của bưu điện")
        verbose_name_plural = _("phạm vi tiếp nhận của bưu điện")

    def __str__(self) -> str:
        return str(self.desk)


class ProcedureVersion(models.Model):
    """One amendment of a procedure by a decision of the province (sửa đổi, bổ sung), in force
    from a date (docs/decisions/catalogue.md "Procedure versions").

    ``changes`` is what the decision says (``catalog.versions.Changes`` as JSON); ``before``
    the catalogue's values it replaced, recorded when it was applied, so the page can show
    each change as before → after for good. Applying is ``catalog.versions.bring_into_force``.
    """

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("thủ tục")
    )
    number = models.PositiveIntegerField(_("lần sửa đổi"))
    decision_number = models.CharField(_("số quyết định"), max_length=255)
    effective_from = models.DateField(_("có hiệu lực từ"))
    changes = models.JSONField(_("nội dung sửa đổi"), default=dict)
    before = models.JSONField(_("giá trị trước khi sửa đổi"), default=dict, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    enacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enacted_at = models.DateTimeField(_("ghi nhận lúc"))
    applied_at = models.DateTimeField(_("áp dụng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần sửa đổi thủ tục")
        verbose_name_plural = _("các lần sửa đổi thủ tục")
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="procedure_version_number_unique"
            )
        ]
        indexes = [
            # The versions still waiting for their date: bring_into_force (the periodic job
            # of the same name, and reception for its procedure) reads only these.
            models.Index(
                fields=["effective_from"],
                condition=models.Q(applied_at__isnull=True),
                name="procedure_version_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} · {self.number} · {self.decision_number}"

    @property
    def pending(self) -> bool:
        return self.applied_at is None
