"""Business dialogues: a session where the province's leaders meet businesses; every issue
raised there becomes a hotline ticket (channel "dialogue") followed to closure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import AdministrativeUnit


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
