"""One attempt to pay a dossier's fees through the gateway, from redirect to result."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, Payment


class TransactionStatus(models.TextChoices):
    CREATED = "created", _("Chờ thanh toán")  # sent to the gateway, no result yet
    PAID = "paid", _("Đã thanh toán")  # the gateway confirmed the money
    FAILED = "failed", _("Không thành công")  # the gateway reported a failure
    CANCELLED = "cancelled", _("Đã hủy")  # cancelled by the citizen, or replaced unpaid


class PaymentTransaction(models.Model):
    """A payment at the gateway for what a dossier owed when it started.

    ``payment`` is the dossier's payment it recorded; a paid transaction without one took
    money the dossier no longer owed (paid meanwhile by other means) and is to be refunded.
    """

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="payment_transactions",
    )
    txn_ref = models.CharField(_("mã giao dịch gửi cổng"), max_length=40, unique=True)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=TransactionStatus.choices,
        default=TransactionStatus.CREATED,
    )
    # The signed URL, given again while the transaction is open (a double click, a reload).
    redirect_url = models.TextField(_("địa chỉ thanh toán"), editable=False)
    gateway_transaction_no = models.CharField(_("mã giao dịch tại cổng"), max_length=30, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    response_code = models.CharField(_("mã phản hồi"), max_length=4, blank=True)
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("khoản đã ghi vào hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gateway_transaction",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    return_seen_at = models.DateTimeField(_("trình duyệt quay về lúc"), null=True, blank=True)
    ipn_seen_at = models.DateTimeField(_("cổng báo kết quả (IPN) lúc"), null=True, blank=True)
    raw = models.JSONField(_("kết quả cuối cùng nhận được"), default=dict, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán trực tuyến")
        verbose_name_plural = _("giao dịch thanh toán trực tuyến")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.txn_ref}: {self.amount_vnd}"

    @property
    def is_paid(self) -> bool:
        return self.status == TransactionStatus.PAID
