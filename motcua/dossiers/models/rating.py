"""The applicant's satisfaction rating of a returned dossier (đánh giá sự hài lòng).

Decision 766/QĐ-TTg counts ratings by level per unit, agency and sector; the province
chooses the criteria people are asked about (``RatingCriterion``, edited in the admin).
One rating per dossier: a second one is refused, not merged, so the figures the reports
already counted never change under them (see ``actions.rating.rate_dossier``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.dossier import Dossier


class RatingLevel(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class RatingCriterion(models.Model):
    """A question the province asks with every rating ("Thái độ của cán bộ tiếp nhận")."""

    text = models.CharField(_("nội dung tiêu chí"), max_length=255)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tiêu chí đánh giá")
        verbose_name_plural = _("tiêu chí đánh giá")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Rating(models.Model):
    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="rating"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("mức độ hài lòng"), max_length=16, choices=RatingLevel.choices)
    # Each criterion as it read when answered: [{"criterion": id, "text": …, "level": …}].
    answers = models.JSONField(_("đánh giá theo tiêu chí"), default=list, blank=True)
    comment = models.TextField(_("góp ý"), blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá sự hài lòng")
        verbose_name_plural = _("đánh giá sự hài lòng")
        ordering = ["-rated_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.level}"
