"""The ticket: one question, feedback, petition, complaint or service request, from any
channel, with its responsible agency and due moment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, Sector
from motcua.dossiers.models import DeadlineFlag, Dossier
from motcua.hotline.models.contacts import Contact
from motcua.hotline.status import (
    OPEN,
    DeclineReason,
    TicketChannel,
    TicketKind,
    TicketStatus,
)
from motcua.org.models import AdministrativeUnit, Agency


class TicketOutcome(models.TextChoices):
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class TicketCategory(models.Model):
    """A type of request citizens can file (published as an Open311 service): what it is
    about, the kind of ticket it makes and where it usually goes."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    group = models.CharField(_("nhóm"), max_length=120, blank=True)
    keywords = models.CharField(_("từ khóa"), max_length=255, blank=True)
    kind = models.CharField(
        _("loại yêu cầu"), max_length=20, choices=TicketKind.choices, default=TicketKind.FEEDBACK
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thường xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    needs_location = models.BooleanField(_("cần vị trí"), default=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại phản ánh, kiến nghị")
        verbose_name_plural = _("loại phản ánh, kiến nghị")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class TicketQuerySet(models.QuerySet["Ticket"]):
    def open(self) -> TicketQuerySet:
        return self.filter(status__in=OPEN)


class Ticket(models.Model):
    code = models.CharField(_("mã"), max_length=32, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=TicketKind.choices)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=TicketChannel.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("người liên hệ"), on_delete=models.PROTECT, related_name="tickets"
    )
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    category = models.ForeignKey(
        TicketCategory,
        verbose_name=_("loại phản ánh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    dossiers = models.ManyToManyField(
        Dossier, verbose_name=_("hồ sơ liên quan"), blank=True, related_name="tickets"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan chủ trì giải quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    address = models.CharField(_("địa điểm"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_tickets",
    )
    dialogue = models.ForeignKey(
        "reform.DialogueSession",
        verbose_name=_("buổi đối thoại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    # Working seconds from receipt to the first answer, measured when it was given in the
    # calendar of the agency that gave it (the province's at 1022): the statistics' figure.
    first_answer_seconds = models.PositiveIntegerField(
        _("thời gian trả lời lần đầu (giây làm việc)"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả đúng hạn"), max_length=8, choices=TicketOutcome.choices, blank=True
    )
    deadline_flag = models.CharField(
        _("cảnh báo hạn"), max_length=10, choices=DeadlineFlag.choices, blank=True
    )
    escalation_level = models.PositiveSmallIntegerField(_("mức nhắc"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã gộp vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # The routing suggestions shown when the ticket came in: what operators were told, kept so
    # the suggestions can be measured against what operators decided.
    suggestions = models.JSONField(_("gợi ý phân loại"), default=list, blank=True)
    rating = models.PositiveSmallIntegerField(_("mức hài lòng (1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("ý kiến"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Feedback and petitions (docs/rules/indicators.md "Feedback indicators"): each step's
    # working seconds, measured once, when it is first taken, in the calendar of the agency
    # taking it (the province's at 1022): from receipt to the decline and to the first request
    # for details, from the first answer to the first publication.
    decline_reason = models.CharField(
        _("lý do từ chối xử lý"), max_length=24, choices=DeclineReason.choices, blank=True
    )
    declined_at = models.DateTimeField(_("từ chối xử lý lúc"), null=True, blank=True)
    decline_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    asked_at = models.DateTimeField(_("đề nghị bổ sung, làm rõ lúc"), null=True, blank=True)
    ask_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    publish_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    event_seq = models.PositiveIntegerField(default=0, editable=False)
    event_head = models.CharField(max_length=64, blank=True, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [
            # The queues: 1022's (status new/triage) and each agency's (routed, by agency).
            models.Index(fields=["status", "agency", "due_at"], name="ticket_queue"),
            # flag_ticket_deadlines reads open tickets by due moment.
            models.Index(fields=["due_at"], name="ticket_open_due", condition=Q(status__in=OPEN)),
            models.Index(fields=["received_at"], name="ticket_received"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class TicketSequence(models.Model):
    """The last ticket number issued on a day (codes never repeat)."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
