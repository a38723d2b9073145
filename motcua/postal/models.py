"""The public postal service (Decision 45/2016/QĐ-TTg; docs/postal.md): postal orders tied to
dossiers, and the tariff they are charged by."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.outbox.models import OutboxRow, OutboxStatus
from motcua.dossiers.models import Dossier
from motcua.org.models import AdministrativeUnit


class PostalService(models.TextChoices):
    PICKUP = "pickup", _("Thu gom hồ sơ tại nhà")  # the papers, from the applicant to the agency
    DELIVERY = "delivery", _("Chuyển trả kết quả")  # the result, from the agency to the applicant


class Zone(models.TextChoices):
    """How far the address is from the competent agency (``tariff.zone_of``).

    ``same_unit``: the address is in the unit of the competent agency (a commune's people's
    committee and an address in that commune; in the three-level structure, a district's
    agency and an address in one of its communes), the old unit of an address in either
    structure counting as the unit it became. ``same_province``: anywhere else in the
    province, which is every address for a provincial agency. An address in another province
    is refused: the service is the province's (docs/postal.md "Fees")."""

    SAME_UNIT = "same_unit", _("Cùng đơn vị hành chính với cơ quan giải quyết")
    SAME_PROVINCE = "same_province", _("Trong tỉnh")


class OrderStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    CANCELLED = "cancelled", _("Đã hủy")
    # The carrier's states, moved by its tracking once orders go to the carrier.
    COLLECTING = "collecting", _("Bưu điện đang thu gom")
    COLLECTED = "collected", _("Đã thu gom")
    HANDED_OVER = "handed_over", _("Đã bàn giao cho cơ quan")
    DELIVERING = "delivering", _("Đang phát")
    DELIVERED = "delivered", _("Đã phát thành công")
    FAILED_ATTEMPT = "failed_attempt", _("Phát không thành công")
    RETURNED = "returned", _("Đã chuyển hoàn")


class OrderChannel(models.TextChoices):
    """Where the order was registered: a citizen on the portal, a 1022 operator from a call,
    a clerk at any one-stop desk, an officer at a post office, or an officer's API client."""

    PORTAL = "portal", _("Cổng dịch vụ công")
    HOTLINE = "hotline", _("Tổng đài 1022")
    DESK = "desk", _("Bộ phận một cửa")
    POST_OFFICE = "post_office", _("Bưu điện")
    API = "api", _("Kết nối API")


class PostalTariff(models.Model):
    """The postage for one service in one zone from ``valid_from`` on; the row in force on a
    day is the latest that started by then (``tariff.fee_for``). Amounts are the province's
    to set in the admin: the seeded ones are placeholders marked unconfirmed."""

    zone = models.CharField(_("vùng"), max_length=20, choices=Zone.choices)
    service = models.CharField(_("dịch vụ"), max_length=10, choices=PostalService.choices)
    fee_vnd = models.PositiveBigIntegerField(_("cước (đồng)"), validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("áp dụng từ"))
    confirmed = models.BooleanField(
        _("đã được tỉnh xác nhận"),
        default=False,
        help_text=_("Bỏ chọn khi mức cước chưa được UBND tỉnh và bưu điện thống nhất."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cước dịch vụ bưu chính công ích")
        verbose_name_plural = _("cước dịch vụ bưu chính công ích")
        ordering = ["service", "zone", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "service", "valid_from"], name="postal_tariff_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} · {self.get_zone_display()} · {self.fee_vnd}"


class PostalOrder(models.Model):
    """One postal service ordered for a dossier: the papers collected from the applicant
    (pickup) or the result brought to them (delivery). One live order per service and
    dossier: a cancelled one leaves room for a new one (docs/postal.md)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="postal_orders"
    )
    service = models.CharField(_("dịch vụ"), max_length=10, choices=PostalService.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.REGISTERED,
    )
    address_line = models.CharField(_("địa chỉ (số nhà, đường, ấp)"), max_length=255)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("người liên hệ"), max_length=120)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=20)
    preferred_time = models.CharField(_("thời gian thuận tiện"), max_length=120, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    zone = models.CharField(_("vùng"), max_length=20, choices=Zone.choices)
    fee_vnd = models.PositiveBigIntegerField(_("cước (đồng)"))
    cod_vnd = models.PositiveBigIntegerField(_("thu hộ phí, lệ phí (đồng)"), default=0)
    channel = models.CharField(_("nơi đăng ký"), max_length=20, choices=OrderChannel.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng ký"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("đăng ký lúc"))
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    # What the dossier's result delivery was before a delivery order made it postal; a
    # cancellation puts it back.
    delivery_before = models.CharField(max_length=10, blank=True, editable=False)
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, blank=True)
    # When the carrier's event that set the current status happened (postal/tracking.py).
    carrier_status_at = models.DateTimeField(_("cập nhật từ bưu điện lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn dịch vụ bưu chính")
        verbose_name_plural = _("đơn dịch vụ bưu chính")
        ordering = ["dossier", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "service"],
                condition=~Q(status="cancelled"),
                name="postal_order_one_live_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.get_service_display()}"

    @property
    def live(self) -> bool:
        return self.status != OrderStatus.CANCELLED

    @property
    def order_number(self) -> str:
        """The order's number at the carrier, the same on every attempt (a retried create is
        the same order there): the dossier's code, the service's letter, the order's id."""
        letter = "P" if self.service == PostalService.PICKUP else "D"
        return f"{self.dossier.code}-{letter}-{self.pk}"


class PostalIdempotencyKey(models.Model):
    """A registration request already served through the API: the same key and body answer
    the same orders; the same key with another body is refused (docs/architecture.md rule 8)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_digest = models.CharField(max_length=64)
    orders = models.ManyToManyField(PostalOrder, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="postal_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return self.key


class CarrierAction(models.TextChoices):
    CREATE = "create", _("Tạo đơn")
    CANCEL = "cancel", _("Hủy đơn")


class PostalCarrierCommand(OutboxRow):
    """One call to make to the carrier for an order (the carrier outbox, ``carrier.py``):
    written in the transaction of the action that causes it. A delivery's create waits,
    pending, until its dossier's result is ready (docs/postal.md "Carrier")."""

    order = models.ForeignKey(
        PostalOrder, verbose_name=_("đơn"), on_delete=models.CASCADE, related_name="commands"
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=CarrierAction.choices)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lệnh gửi bưu điện")
        verbose_name_plural = _("lệnh gửi bưu điện")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="postal_command_due",
                condition=Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.order_id}"


class TrackingSource(models.TextChoices):
    POLL = "poll", _("Đọc định kỳ")
    WEBHOOK = "webhook", _("Bưu điện gọi đến")


class PostalTrackingEvent(models.Model):
    """One tracking event of the carrier's, kept once whichever way it came (its id is
    unique: a repeated webhook, or the same event polled after the webhook, changes
    nothing)."""

    order = models.ForeignKey(
        PostalOrder, verbose_name=_("đơn"), on_delete=models.CASCADE, related_name="tracking"
    )
    carrier_event_id = models.BigIntegerField(_("mã sự kiện của bưu điện"), unique=True)
    status_code = models.CharField(_("mã trạng thái"), max_length=10)
    message = models.CharField(_("nội dung"), max_length=255, blank=True)
    at = models.DateTimeField(_("lúc"))
    source = models.CharField(_("nguồn"), max_length=10, choices=TrackingSource.choices)
    # The order's status this event moved it to; blank when it moved nothing (an old event,
    # or a code that is information only).
    moved_to = models.CharField(_("chuyển sang"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hành trình bưu gửi")
        verbose_name_plural = _("hành trình bưu gửi")
        ordering = ["order", "at", "carrier_event_id"]

    def __str__(self) -> str:
        return f"{self.order_id} · {self.status_code} · {self.carrier_event_id}"


class CarrierCursor(models.Model):
    """How far the tracking feed was read (one row, ``name`` "tracking")."""

    name = models.CharField(max_length=20, unique=True)
    last_id = models.BigIntegerField(default=0)
    polled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_id}"


class PostalDayCounter(models.Model):
    """The postal orders registered on a day for an agency's dossiers, by service and
    channel: how many are now in each status, the postage and the fees to collect on the
    agency's behalf (live orders only) and those the desks received with a hand-over, the
    failed delivery attempts, the deliveries made by the dossier's due moment. Kept by the
    actions in their transaction (``postal/counters.py``), read by the postal report, proved
    against a recount by ``manage.py recount_counters`` (docs/postal.md "Reports")."""

    day = models.DateField(_("ngày đăng ký"))
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan giải quyết"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    service = models.CharField(_("dịch vụ"), max_length=10, choices=PostalService.choices)
    channel = models.CharField(_("nơi đăng ký"), max_length=20, choices=OrderChannel.choices)
    # One column per ``OrderStatus``: the orders of the key now in that status.
    registered = models.IntegerField(default=0)
    cancelled = models.IntegerField(default=0)
    collecting = models.IntegerField(default=0)
    collected = models.IntegerField(default=0)
    handed_over = models.IntegerField(default=0)
    delivering = models.IntegerField(default=0)
    delivered = models.IntegerField(default=0)
    failed_attempt = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    fee_vnd = models.BigIntegerField(default=0)
    cod_vnd = models.BigIntegerField(default=0)
    failed_attempts = models.IntegerField(default=0)
    delivered_on_time = models.IntegerField(default=0)
    cod_remitted_vnd = models.BigIntegerField(default=0)

    KEY: ClassVar[tuple[str, ...]] = ("day", "agency_id", "service", "channel")

    class Meta:
        verbose_name = _("số liệu bưu chính công ích theo ngày")
        verbose_name_plural = _("số liệu bưu chính công ích theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "service", "channel"], name="postal_day_counter_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.agency_id} · {self.service} · {self.channel}"


# The post office's check and hand-over (docs/postal.md), in a module of their own.
from motcua.postal.handover import (  # noqa: E402
    Handover,
    HandoverItem,
    HandoverOutcome,
    PickupCheck,
)

__all__ = [
    "CarrierAction",
    "CarrierCursor",
    "Handover",
    "HandoverItem",
    "HandoverOutcome",
    "OrderChannel",
    "OrderStatus",
    "PickupCheck",
    "PostalCarrierCommand",
    "PostalDayCounter",
    "PostalIdempotencyKey",
    "PostalOrder",
    "PostalService",
    "PostalTariff",
    "PostalTrackingEvent",
    "TrackingSource",
    "Zone",
]
