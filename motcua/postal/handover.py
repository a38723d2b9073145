"""The post office's side of a pickup (Decision 45/2016/QĐ-TTg, Articles 8–10; docs/postal.md
"The post office's check", "The hand-over"): the check of the papers at the applicant's
door, and the hand-over record (biên bản bàn giao) of the checked parcels to the agency's
desk. Imported by ``models.py``; written only by ``checking.py`` and ``handing_over.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.org.models import Agency, Desk

NOTES_MAX = 1000


class PickupCheck(models.Model):
    """One check of a pickup's papers against the procedure's list: what was there (each
    document's originals and copies), whether the dossier is complete, what is missing and
    the guidance given, and the photo or scan of the slip both signed. An incomplete check
    leaves the order waiting for the applicant; a later check may find it complete."""

    order = models.ForeignKey(
        "postal.PostalOrder",
        verbose_name=_("đơn thu gom"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nhân viên bưu điện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("kiểm tra lúc"))
    complete = models.BooleanField(_("đã nhận đủ"))
    # [{"name": str, "originals": int, "copies": int, "mandatory": bool}]: what was received.
    documents = models.JSONField(_("giấy tờ đã nhận"), default=list)
    missing = models.TextField(_("còn thiếu"), max_length=NOTES_MAX, blank=True)
    guidance = models.TextField(_("đã hướng dẫn"), max_length=NOTES_MAX, blank=True)
    slip = models.FileField(_("ảnh/bản quét phiếu đã ký"), upload_to="postal/slips/%Y/%m/")

    class Meta:
        verbose_name = _("kiểm tra hồ sơ thu gom")
        verbose_name_plural = _("kiểm tra hồ sơ thu gom")
        ordering = ["order", "checked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id} · {self.checked_at:%d/%m/%Y}"

    @property
    def originals(self) -> int:
        return sum(int(d.get("originals", 0)) for d in self.documents)

    @property
    def copies(self) -> int:
        return sum(int(d.get("copies", 0)) for d in self.documents)


class Handover(models.Model):
    """The hand-over record (biên bản bàn giao) of checked pickup parcels from a post office
    to one desk: the parcels, each dossier's documents, what the post collected in fees on
    the agency's behalf, and both signatures. The desk's receptionist confirms receipt
    (``handing_over.receive_handover``); each received dossier's clock starts then."""

    number = models.CharField(_("số biên bản"), max_length=40, unique=True)
    post_office = models.ForeignKey(
        Agency, verbose_name=_("bưu điện"), on_delete=models.PROTECT, related_name="+"
    )
    desk = models.ForeignKey(
        Desk, verbose_name=_("nơi nhận hồ sơ"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan nhận"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lập lúc"))
    cod_total_vnd = models.PositiveBigIntegerField(_("phí, lệ phí thu hộ (đồng)"), default=0)
    received_at = models.DateTimeField(_("cơ quan nhận lúc"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the post paid over to the agency at receipt: the fees collected on the parcels
    # received (a missing parcel's are not).
    remitted_vnd = models.PositiveBigIntegerField(_("phí, lệ phí đã nộp cho cơ quan"), default=0)
    receipt_note = models.TextField(_("ghi chú khi nhận"), max_length=NOTES_MAX, blank=True)

    class Meta:
        verbose_name = _("biên bản bàn giao hồ sơ")
        verbose_name_plural = _("biên bản bàn giao hồ sơ")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["desk", "received_at"], name="handover_desk_received")]

    def __str__(self) -> str:
        return self.number

    @property
    def received(self) -> bool:
        return self.received_at is not None


class HandoverOutcome(models.TextChoices):
    PENDING = "pending", _("Chờ cơ quan nhận")
    RECEIVED = "received", _("Cơ quan đã nhận")
    MISSING = "missing", _("Thiếu bưu gửi")


class HandoverItem(models.Model):
    """One parcel of a hand-over: the pickup order, its dossier, the documents as the check
    found them, and the fees collected for it. An order is in one live hand-over at most; a
    parcel found missing at receipt may go into a later one."""

    handover = models.ForeignKey(
        Handover, verbose_name=_("biên bản"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("số thứ tự"))
    order = models.ForeignKey(
        "postal.PostalOrder", verbose_name=_("đơn thu gom"), on_delete=models.PROTECT
    )
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="+"
    )
    check_record = models.ForeignKey(
        PickupCheck, verbose_name=_("lần kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    documents = models.JSONField(_("giấy tờ"), default=list)
    cod_vnd = models.PositiveBigIntegerField(_("thu hộ (đồng)"), default=0)
    outcome = models.CharField(
        _("kết quả nhận"),
        max_length=10,
        choices=HandoverOutcome.choices,
        default=HandoverOutcome.PENDING,
    )

    class Meta:
        verbose_name = _("hồ sơ trong biên bản bàn giao")
        verbose_name_plural = _("hồ sơ trong biên bản bàn giao")
        ordering = ["handover", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=~Q(outcome="missing"),
                name="handover_item_one_live_per_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.handover_id} · {self.position}"

    @property
    def originals(self) -> int:
        return sum(int(d.get("originals", 0)) for d in self.documents)

    @property
    def copies(self) -> int:
        return sum(int(d.get("copies", 0)) for d in self.documents)
