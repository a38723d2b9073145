"""Published answers: the operators' knowledge base and the public Q&A are the same rows.

An answered ticket can be published (with the personal data removed); operators can also
write an answer directly. Operators answer from these, citizens search them at /hoi-dap/.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, Sector
from motcua.core.text import fold
from motcua.hotline.models.ticket import Ticket


class PublicAnswer(models.Model):
    question = models.TextField(_("câu hỏi"))
    answer = models.TextField(_("trả lời"))
    title = models.CharField(_("tiêu đề"), max_length=255)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_by = models.CharField(_("cơ quan trả lời"), max_length=255, blank=True)
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("từ phản ánh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publication",
    )
    published = models.BooleanField(_("công khai"), default=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người công khai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    views = models.PositiveIntegerField(_("lượt xem"), default=0)
    # Accent-free title, question and answer, kept by save(): what search matches on.
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("hỏi đáp công khai")
        verbose_name_plural = _("hỏi đáp công khai")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.title} {self.question} {self.answer}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
