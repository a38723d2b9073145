"""The person behind tickets: one contact across channels, matched by phone, email or a
platform id (Zalo user, Messenger PSID), and mergeable when two turn out to be one person."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Contact(models.Model):
    name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    # Kept in the national form 0xxxxxxxxx (see ``core.phones.normalize_phone``) so one number
    # typed three ways is one contact.
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True, db_index=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    organisation = models.CharField(_("tổ chức, doanh nghiệp"), max_length=255, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã gộp vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("người liên hệ")
        verbose_name_plural = _("người liên hệ")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name or self.phone or self.email or f"#{self.pk}"


class ContactIdentity(models.Model):
    """The contact's id on one platform: a Zalo user id, a Messenger PSID, a national-portal
    account. Unique per channel, so a platform id always finds the same contact."""

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("người liên hệ"),
        on_delete=models.CASCADE,
        related_name="identities",
    )
    channel = models.CharField(_("kênh"), max_length=20)
    external_id = models.CharField(_("mã trên kênh"), max_length=255)
    display_name = models.CharField(_("tên hiển thị"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tài khoản trên kênh")
        verbose_name_plural = _("tài khoản trên kênh")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="contact_identity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"
